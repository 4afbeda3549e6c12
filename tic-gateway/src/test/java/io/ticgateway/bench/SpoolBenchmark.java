package io.ticgateway.bench;

import io.ticgateway.app.delivery.PointClock;
import io.ticgateway.app.delivery.Spool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What the spool costs per frame: one append (one SQLite transaction, as the publish route does for each
 * frame) of a standard frame's InfluxDB line, against the direct baseline of appending the same bytes to a
 * plain file (no transaction, no fsync). Run with {@code .ci/bench SpoolBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpoolBenchmark {

    /** A standard frame's point as the spool stores it (41 fields, the real size), before its timestamp. */
    static final String POINT = "tic_standard,meter=maison,meter_id=041876543210,family=standard "
            + "EAST=12345678.0,".repeat(40) + "NTARF=1.0 ";
    private static final String LINE = POINT + "1767571200000000000";

    private Path dir;
    private Spool spool;
    private FileChannel file;
    private PointClock clock;
    private long millis;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Files.createTempDirectory("spool-bench");
        spool = Spool.open(dir.resolve("spool.db"));
        file = FileChannel.open(dir.resolve("plain.txt"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        clock = new PointClock(spool.clocks());
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        spool.close();
        file.close();
        deleteTree(dir);
    }

    /** A benchmark's temporary folder and all it holds. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void spoolAppend() {
        PointClock.Tick tick = clock.next("maison", millis++ / 2);
        spool.append(List.of(new Spool.Entry("influxdb", "maison", LINE, tick)));
    }

    @Benchmark
    public int plainFileAppend() throws IOException {
        return file.write(ByteBuffer.wrap((LINE + "\n").getBytes(StandardCharsets.UTF_8)));
    }
}
