package io.ticgateway.bench;

import io.ticgateway.app.delivery.PointClock;
import io.ticgateway.app.delivery.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading a batch of 1,000 InfluxDB points back from the spool costs (the drainer's read, before the
 * POST): {@link Spool#peekLines}, against the statement it used before (one {@code group_concat} with its own
 * {@code ORDER BY id}) on a copy of the same rows. Run with {@code .ci/bench SpoolReadBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpoolReadBenchmark {

    private static final int ROWS = 20_000;
    private static final int BATCH = 1_000;

    private Path dir;
    private Spool spool;
    private Connection copy;
    private PreparedStatement groupConcat;
    private long after;

    @Setup(Level.Trial)
    public void fill() throws IOException, SQLException {
        dir = Files.createTempDirectory("spool-read-bench");
        spool = Spool.open(dir.resolve("spool.db"));
        copy = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("copy.db"));
        try (Statement s = copy.createStatement()) {
            s.execute("CREATE TABLE sink_influxdb(id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
        }
        PointClock clock = new PointClock(spool.clocks());
        copy.setAutoCommit(false);
        try (PreparedStatement insert = copy.prepareStatement("INSERT INTO sink_influxdb VALUES (?, ?)")) {
            List<Spool.Entry> entries = new ArrayList<>();
            for (int i = 1; i <= ROWS; i++) {
                String point = SpoolBenchmark.POINT + (1_767_571_200_000_000_000L + i * 1_000_000_000L);
                entries.add(new Spool.Entry("influxdb", "maison", point, clock.next("maison", i * 1000L)));
                insert.setLong(1, i);
                insert.setString(2, point);
                insert.executeUpdate();
                if (entries.size() == BATCH) {
                    spool.append(entries);
                    entries.clear();
                }
            }
        }
        copy.commit();
        groupConcat = copy.prepareStatement("SELECT count(*), coalesce(max(id), 0), coalesce(sum(length(payload)), 0),"
                + " coalesce(group_concat(payload, char(10) ORDER BY id), '') FROM (SELECT id, payload FROM"
                + " sink_influxdb WHERE id > ? ORDER BY id LIMIT ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        spool.close();
        copy.close();
        SpoolBenchmark.deleteTree(dir);
    }

    /** The batches in turn, from the first again after the last. */
    private long nextAfter() {
        long from = after;
        after = (after + BATCH) % ROWS;
        return from;
    }

    @Benchmark
    public String peekLines() {
        return spool.peekLines("influxdb", nextAfter(), BATCH).body();
    }

    @Benchmark
    public String groupConcatOrdered() throws SQLException {
        groupConcat.setLong(1, nextAfter());
        groupConcat.setInt(2, BATCH);
        try (ResultSet rs = groupConcat.executeQuery()) {
            rs.next();
            return rs.getString(4);
        }
    }
}
