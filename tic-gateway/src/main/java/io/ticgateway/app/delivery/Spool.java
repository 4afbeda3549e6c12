package io.ticgateway.app.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * The store-and-forward spool: the entries each durable sink has not accepted yet, in one SQLite database
 * in WAL mode, one table per sink (its id is the order, given by the spool from the table's highest id and
 * never reused while it runs: a row appended while a batch is out can never fall in that batch's range; no
 * AUTOINCREMENT, whose counter row is one more page written per append). An append is one transaction, in the page
 * cache when it returns (a SIGKILL loses nothing); {@link #sync} checkpoints the WAL, which fsyncs it (the
 * group commit against power loss). Entries leave in order once the sink accepted them; each entry carries
 * its point clock tick, and the last tick removed per meter is kept, so that a restart carries every
 * meter's clock on. Bounded in bytes and age by the caller ({@link #dropOldest}, {@link #dropOlderThan}).
 * Thread-safe: one connection, every call serialised.
 */
public final class Spool implements AutoCloseable {

    /** Format of the database, kept in {@code PRAGMA user_version}. */
    public static final int FORMAT = 1;

    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;

    /** One entry to append: its sink, meter, payload and point clock tick. */
    public record Entry(String sink, String meter, String payload, PointClock.Tick tick) {
    }

    /** One stored entry. */
    public record Row(long id, String meter, long enqueuedAt, String payload, PointClock.Tick tick) {
    }

    /**
     * A sink's oldest entries as one body: their payloads joined by newlines, in order (for the sinks whose
     * payload is one line, the InfluxDB points). {@code lastId} bounds the removal; {@code generation} is the
     * spool's when the batch was read: unchanged at the removal, the rows up to {@code lastId} are the batch's.
     */
    public record Lines(String sink, int count, long bytes, long lastId, long generation, String body) {
    }

    /** Entries removed without being delivered, per sink. */
    public record Dropped(Map<String, Long> perSink) {
    }

    /** Keeps a meter's later tick: several sinks carry the same ticks, each at its own pace. */
    private static final String CLOCK_UPSERT = " ON CONFLICT(meter) DO UPDATE SET time_ms = excluded.time_ms,"
            + " seq = excluded.seq WHERE excluded.time_ms > clock.time_ms"
            + " OR (excluded.time_ms = clock.time_ms AND excluded.seq > clock.seq)";

    private final Path file;
    private final Connection db;
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    // per sink, the id of the last row appended (the order: ids only grow while the spool is open)
    private final Map<String, Long> lastIds = new HashMap<>();
    private final Map<String, Long> depth = new HashMap<>();
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private long bytes;
    // bumped by every bound drop and failed removal: a batch read before may have lost rows, or have some left below it
    private long generation;

    private Spool(Path file, Connection db) throws SQLException {
        this.file = file;
        this.db = db;
        for (String sink : sinks()) {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*), coalesce(sum(length(payload)), 0) FROM " + table(sink))) {
                rs.next();
                depth.put(sink, rs.getLong(1));
                bytes += rs.getLong(2);
            }
        }
    }

    /**
     * Opens (or creates) the spool; what a previous run left, a SIGKILL included, is there.
     *
     * @throws SpoolException when the file cannot be opened or was written by a newer release
     */
    public static Spool open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            SQLiteConfig settings = new SQLiteConfig();
            settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
            settings.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // fsync at checkpoints: sync() is the group commit
            // one connection owns the file: no file lock and no shared-memory index to update per transaction
            settings.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
            settings.setGetGeneratedKeys(false); // the spool gives the ids: no "last_insert_rowid" query per insert
            Connection db = settings.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                int format;
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    format = rs.next() ? rs.getInt(1) : 0;
                }
                if (format > FORMAT) {
                    db.close();
                    throw new SpoolException(file + " has spool format " + format + ", newer than this release's ("
                            + FORMAT + ")");
                }
                if (format < FORMAT) { // a new file: nothing is written to an existing one (its disk may be full)
                    s.execute("CREATE TABLE IF NOT EXISTS clock(meter TEXT PRIMARY KEY, time_ms INTEGER NOT NULL,"
                            + " seq INTEGER NOT NULL)");
                    s.execute("PRAGMA user_version = " + FORMAT);
                }
            }
            return new Spool(file, db);
        } catch (SQLException | java.io.IOException e) {
            throw new SpoolException("cannot open the spool " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * Appends entries in one transaction.
     *
     * @throws SpoolException when the disk is full or the database cannot be written (nothing was appended)
     */
    public synchronized void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long added = 0;
        boolean one = entries.size() == 1; // one statement is its own transaction: no BEGIN and COMMIT round trips
        Map<String, Long> taken = new HashMap<>(2); // the ids this append gives, per sink
        try {
            if (!one) {
                db.setAutoCommit(false);
            }
            for (Entry e : entries) {
                PreparedStatement insert = insert(e.sink());
                long id = taken.getOrDefault(e.sink(), lastIds.get(e.sink())) + 1;
                taken.put(e.sink(), id);
                insert.setLong(1, id);
                insert.setString(2, e.meter());
                insert.setLong(3, now);
                insert.setLong(4, e.tick().timeMillis());
                insert.setInt(5, e.tick().seq());
                insert.setString(6, e.payload());
                insert.executeUpdate();
                added += e.payload().length();
            }
            if (!one) {
                db.commit();
            }
        } catch (SQLException e) {
            if (!one) {
                rollback();
            }
            throw failure(e);
        } finally {
            if (!one) {
                autoCommit();
            }
        }
        lastIds.putAll(taken); // committed: the ids are taken
        bytes += added;
        for (Entry e : entries) {
            depth.merge(e.sink(), 1L, Long::sum);
        }
    }

    /** The oldest entries of a sink, in order. */
    public List<Row> peek(String sink, int limit) {
        return peek(sink, 0, limit);
    }

    /** The oldest entries of a sink after id {@code after} (a batch still out), in order. */
    public synchronized List<Row> peek(String sink, long after, int limit) {
        List<Row> rows = new ArrayList<>(Math.min(limit, 1024));
        if (!depth.containsKey(sink)) {
            return rows;
        }
        try {
            PreparedStatement peek = prepared("SELECT id, meter, enqueued_at, payload, time_ms, seq FROM "
                    + table(sink) + " WHERE id > ? ORDER BY id LIMIT ?");
            peek.setLong(1, after);
            peek.setInt(2, limit);
            try (ResultSet rs = peek.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            new PointClock.Tick(rs.getLong(5), rs.getInt(6))));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return rows;
    }

    /**
     * A sink's oldest entries after id {@code after} (0: from the first; else a batch still out), at most
     * {@code limit}, in order, as one newline-joined body: no row objects (the drain of the point sinks).
     * The rows are walked in id order and joined here: an aggregate of SQLite ({@code group_concat} with its
     * own {@code ORDER BY}, the only way it keeps an order) sorts the batch again, ~1 µs a row.
     */
    public synchronized Lines peekLines(String sink, long after, int limit) {
        if (!depth.containsKey(sink)) {
            return new Lines(sink, 0, 0, after, generation, "");
        }
        try {
            PreparedStatement peek = prepared("SELECT id, payload, length(payload) FROM " + table(sink)
                    + " WHERE id > ? ORDER BY id LIMIT ?");
            peek.setLong(1, after);
            peek.setInt(2, limit);
            StringBuilder body = new StringBuilder(Math.max(1, Math.min(limit, 64)) * 600); // grows with a backlog
            int count = 0;
            long last = after;
            long size = 0;
            try (ResultSet rs = peek.executeQuery()) {
                while (rs.next()) {
                    if (count++ > 0) {
                        body.append('\n');
                    }
                    last = rs.getLong(1);
                    body.append(rs.getString(2));
                    size += rs.getLong(3);
                }
            }
            return new Lines(sink, count, size, last, generation, body.toString());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Removes the delivered rows (a sink's oldest, in order), keeping each meter's last clock tick. */
    public synchronized void remove(String sink, List<Row> delivered) {
        if (!delivered.isEmpty()) {
            removeThrough(sink, delivered.get(delivered.size() - 1).id(), -1, 0);
        }
    }

    /** Removes a delivered batch read by {@link #peekLines}, keeping each meter's last clock tick. */
    public synchronized void remove(Lines delivered) {
        if (delivered.count() == 0) {
            return;
        }
        boolean intact = delivered.generation() == generation;
        removeThrough(delivered.sink(), delivered.lastId(), intact ? delivered.count() : -1, delivered.bytes());
    }

    /**
     * Removes a sink's rows up to {@code lastId} in one transaction, saving each meter's last tick among them.
     *
     * @param count the rows removed and their {@code knownBytes} when known (nothing changed below
     *              {@code lastId} since they were read), or -1: then counted here
     */
    private void removeThrough(String sink, long lastId, long count, long knownBytes) {
        long size = knownBytes;
        try {
            db.setAutoCommit(false);
            if (count < 0) { // what is really removed: the bounds may have dropped some of these rows while the batch was out
                try (PreparedStatement removed = db.prepareStatement("SELECT count(*), coalesce(sum(length(payload)), 0) FROM "
                        + table(sink) + " WHERE id <= ?")) {
                    removed.setLong(1, lastId);
                    try (ResultSet rs = removed.executeQuery()) {
                        rs.next();
                        count = rs.getLong(1);
                        size = rs.getLong(2);
                    }
                }
            }
            saveClocks(sink, "id <= " + lastId);
            PreparedStatement remove = prepared("DELETE FROM " + table(sink) + " WHERE id <= ?");
            remove.setLong(1, lastId);
            remove.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            rollback();
            generation++; // its rows stay below the next batch
            throw failure(e);
        } finally {
            autoCommit();
        }
        bytes -= size;
        depth.merge(sink, -count, Long::sum);
    }

    /**
     * Saves the last tick of each meter among a sink's rows matching {@code condition}, in SQL: one statement
     * whatever the number of meters. A clock never moves back (several sinks carry the same ticks).
     */
    private void saveClocks(String sink, String condition) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("INSERT INTO clock(meter, time_ms, seq) SELECT meter, time_ms, seq FROM " + table(sink)
                    + " WHERE id IN (SELECT max(id) FROM " + table(sink) + " WHERE (" + condition + ") AND seq >= 0"
                    + " GROUP BY meter)" + CLOCK_UPSERT);
        }
    }

    /** Entries waiting for a sink. */
    public synchronized long depth(String sink) {
        return depth.getOrDefault(sink, 0L);
    }

    /** Bytes of payload waiting, every sink together. */
    public synchronized long bytes() {
        return bytes;
    }

    /** When the oldest entry of a sink entered the spool (epoch ms), or 0 when none waits. */
    public synchronized long oldestEnqueuedAt(String sink) {
        List<Row> first = peek(sink, 1);
        return first.isEmpty() ? 0 : first.get(0).enqueuedAt();
    }

    /**
     * Each meter's last point clock tick: the latest of the entries still waiting and of those delivered.
     */
    public synchronized Map<String, PointClock.Tick> clocks() {
        Map<String, PointClock.Tick> out = new LinkedHashMap<>();
        try (Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT meter, time_ms, seq FROM clock")) {
                while (rs.next()) {
                    out.put(rs.getString(1), new PointClock.Tick(rs.getLong(2), rs.getInt(3)));
                }
            }
            for (String sink : depth.keySet()) {
                try (ResultSet rs = s.executeQuery("SELECT meter, time_ms, seq FROM " + table(sink)
                        + " WHERE id IN (SELECT max(id) FROM " + table(sink) + " WHERE seq >= 0 GROUP BY meter)")) {
                    while (rs.next()) {
                        out.merge(rs.getString(1), new PointClock.Tick(rs.getLong(2), rs.getInt(3)),
                                (a, b) -> b.nanos() > a.nanos() ? b : a);
                    }
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Removes the oldest entries, every sink in turn, until at most {@code maxBytes} of payload wait. */
    public synchronized Dropped dropOldest(long maxBytes) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        while (bytes > maxBytes) {
            long before = bytes;
            for (String sink : List.copyOf(depth.keySet())) {
                dropWhere(sink, "id IN (SELECT id FROM " + table(sink) + " ORDER BY id LIMIT 100)", dropped);
            }
            if (bytes == before) {
                break;
            }
        }
        return new Dropped(dropped);
    }

    /** Removes the entries that entered the spool before {@code cutoffMillis}. */
    public synchronized Dropped dropOlderThan(long cutoffMillis) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (String sink : List.copyOf(depth.keySet())) {
            dropWhere(sink, "enqueued_at < " + cutoffMillis, dropped);
        }
        return new Dropped(dropped);
    }

    private void dropWhere(String sink, String condition, Map<String, Long> dropped) {
        try (Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(length(payload)), 0) FROM " + table(sink)
                    + " WHERE " + condition)) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
                generation++;
                dropped.merge(sink, rs.getLong(1), Long::sum);
                depth.merge(sink, -rs.getLong(1), Long::sum);
                bytes -= rs.getLong(2);
            }
            saveClocks(sink, condition); // a batch out may deliver some of them: their ticks stay taken
            s.executeUpdate("DELETE FROM " + table(sink) + " WHERE " + condition);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The group commit: checkpoints the WAL into the database, with an fsync of both. */
    public synchronized void sync() {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (!db.isClosed()) {
                try {
                    sync();
                } finally { // closed whatever the sync did: the committed entries are in the WAL, read at the next open
                    db.close();
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PreparedStatement insert(String sink) throws SQLException {
        PreparedStatement insert = inserts.get(sink);
        if (insert == null && !lastIds.containsKey(sink)) {
            if (!sink.matches("[a-z0-9]+")) {
                throw new IllegalArgumentException("not a sink name: " + sink);
            }
            try (Statement s = db.createStatement()) {
                // (tables written by 0.1 have AUTOINCREMENT ids: the ids given here keep their order too)
                s.execute("CREATE TABLE IF NOT EXISTS " + table(sink) + "(id INTEGER PRIMARY KEY, meter TEXT NOT NULL,"
                        + " enqueued_at INTEGER NOT NULL, time_ms INTEGER NOT NULL, seq INTEGER NOT NULL,"
                        + " payload TEXT NOT NULL)");
                try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM " + table(sink))) {
                    rs.next();
                    lastIds.put(sink, rs.getLong(1));
                }
            }
            depth.putIfAbsent(sink, 0L);
        }
        if (insert == null) { // the first append, or the first after a failure
            insert = db.prepareStatement("INSERT INTO " + table(sink)
                    + "(id, meter, enqueued_at, time_ms, seq, payload) VALUES (?, ?, ?, ?, ?, ?)");
            inserts.put(sink, insert);
        }
        return insert;
    }

    /** A failure of the database, its statements forgotten. */
    private SpoolException failure(SQLException e) {
        forgetStatements();
        return new SpoolException(e.getMessage(), e);
    }

    /**
     * Forgets the prepared statements after a failure: the driver finalises a statement that failed (a full
     * disk), and one kept would refuse every later call with "statement is not executing".
     */
    private void forgetStatements() {
        for (Map<String, PreparedStatement> statements : List.of(inserts, prepared)) {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // finalised already
                }
            }
            statements.clear();
        }
    }

    /** A read or remove statement, prepared once. */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = db.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** The database's size in pages (tests). */
    synchronized long pageCount() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Caps the database's size in pages: SQLite's {@code SQLITE_FULL} as on a full disk (tests). */
    synchronized void maxPageCount(long pages) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA max_page_count = " + pages)) {
            rs.next();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The sinks that have a table. */
    private List<String> sinks() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sink_%'")) {
            while (rs.next()) {
                out.add(rs.getString(1).substring(5));
            }
        }
        return out;
    }

    /** The table of a sink (sink names are fixed words, checked when the table is made). */
    private static String table(String sink) {
        return "sink_" + sink;
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone with the failure
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the next call reports the broken connection
        }
    }

    /** Whether a failure is a full disk ({@code SQLITE_FULL}). */
    public static boolean isDiskFull(Throwable failure) {
        return resultCode(failure) == SQLITE_FULL;
    }

    /** Whether a failure is the disk's: full, or failing ({@code SQLITE_IOERR}, any extended code). */
    public static boolean isDiskFailure(Throwable failure) {
        int code = resultCode(failure);
        return code == SQLITE_FULL || code == SQLITE_IOERR;
    }

    /** SQLite's primary result code of a failure's cause, or -1. */
    private static int resultCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException sqlite) {
                return sqlite.getResultCode().code & 0xff;
            }
        }
        return -1;
    }

    /** A spool that cannot be opened or written. */
    public static final class SpoolException extends RuntimeException {
        public SpoolException(String message) {
            super(message);
        }

        public SpoolException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
