package io.ticgateway.app.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store-and-forward spool: the entries each durable sink has not accepted yet, in one SQLite database
 * in WAL mode. An append is one transaction, in the page cache when it returns (a SIGKILL loses nothing);
 * {@link #sync} checkpoints the WAL, which fsyncs it (the group commit against power loss). Entries leave
 * in order, per sink, once the sink accepted them. Bounded in bytes and age by the caller
 * ({@link #dropOldest}, {@link #dropOlderThan}). Thread-safe: one connection, every call serialised.
 */
public final class Spool implements AutoCloseable {

    /** Format of the database, kept in {@code PRAGMA user_version}. */
    public static final int FORMAT = 1;

    /** One entry to append. */
    public record Entry(String sink, String meter, String payload) {
    }

    /** One stored entry. */
    public record Row(long id, String meter, long enqueuedAt, String payload) {
    }

    /** Entries removed without being delivered, per sink. */
    public record Dropped(Map<String, Long> perSink) {
        public long total() {
            return perSink.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Path file;
    private final Connection db;
    private final PreparedStatement insert;
    private final PreparedStatement peek;
    private final PreparedStatement remove;
    private final PreparedStatement removedBytes;
    private final PreparedStatement saveClock;
    private final Map<String, Long> depth = new HashMap<>();
    private long bytes;

    private Spool(Path file, Connection db) throws SQLException {
        this.file = file;
        this.db = db;
        this.insert = db.prepareStatement("INSERT INTO entry(sink, meter, enqueued_at, payload) VALUES (?, ?, ?, ?)");
        this.peek = db.prepareStatement(
                "SELECT id, meter, enqueued_at, payload FROM entry WHERE sink = ? ORDER BY id LIMIT ?");
        this.remove = db.prepareStatement("DELETE FROM entry WHERE sink = ? AND id <= ?");
        this.removedBytes = db.prepareStatement(
                "SELECT count(*), coalesce(sum(length(payload)), 0) FROM entry WHERE sink = ? AND id <= ?");
        this.saveClock = db.prepareStatement("INSERT INTO clock(meter, time_ms, seq) VALUES (?, ?, ?)"
                + " ON CONFLICT(meter) DO UPDATE SET time_ms = excluded.time_ms, seq = excluded.seq");
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT sink, count(*), coalesce(sum(length(payload)), 0) FROM entry GROUP BY sink")) {
            while (rs.next()) {
                depth.put(rs.getString(1), rs.getLong(2));
                bytes += rs.getLong(3);
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
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL"); // fsync at checkpoints only: sync() is the group commit
                int format;
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    format = rs.next() ? rs.getInt(1) : 0;
                }
                if (format > FORMAT) {
                    db.close();
                    throw new SpoolException(file + " has spool format " + format + ", newer than this release's ("
                            + FORMAT + ")");
                }
                s.execute("CREATE TABLE IF NOT EXISTS entry(id INTEGER PRIMARY KEY AUTOINCREMENT, sink TEXT NOT NULL,"
                        + " meter TEXT NOT NULL, enqueued_at INTEGER NOT NULL, payload TEXT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS entry_sink ON entry(sink, id)");
                s.execute("CREATE TABLE IF NOT EXISTS clock(meter TEXT PRIMARY KEY, time_ms INTEGER NOT NULL,"
                        + " seq INTEGER NOT NULL)");
                s.execute("PRAGMA user_version = " + FORMAT);
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
     * Appends entries and the meters' point clocks in one transaction.
     *
     * @throws SpoolException when the disk is full or the database cannot be written (nothing was appended)
     */
    public synchronized void append(List<Entry> entries, Map<String, PointClock.Tick> clocks) {
        if (entries.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            db.setAutoCommit(false);
            long added = 0;
            for (Entry e : entries) {
                insert.setString(1, e.sink());
                insert.setString(2, e.meter());
                insert.setLong(3, now);
                insert.setString(4, e.payload());
                insert.addBatch();
                added += e.payload().length();
            }
            insert.executeBatch();
            for (Map.Entry<String, PointClock.Tick> c : clocks.entrySet()) {
                saveClock.setString(1, c.getKey());
                saveClock.setLong(2, c.getValue().timeMillis());
                saveClock.setInt(3, c.getValue().seq());
                saveClock.executeUpdate();
            }
            db.commit();
            bytes += added;
            for (Entry e : entries) {
                depth.merge(e.sink(), 1L, Long::sum);
            }
        } catch (SQLException e) {
            rollback();
            throw new SpoolException(e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    /** The oldest entries of a sink, in order. */
    public synchronized List<Row> peek(String sink, int limit) {
        List<Row> rows = new ArrayList<>(Math.min(limit, 1024));
        try {
            peek.setString(1, sink);
            peek.setInt(2, limit);
            try (ResultSet rs = peek.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new SpoolException(e.getMessage(), e);
        }
        return rows;
    }

    /** Removes a sink's entries up to {@code lastId} included (the sink accepted them). */
    public synchronized void remove(String sink, long lastId) {
        try {
            removedBytes.setString(1, sink);
            removedBytes.setLong(2, lastId);
            long count;
            long size;
            try (ResultSet rs = removedBytes.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
                size = rs.getLong(2);
            }
            remove.setString(1, sink);
            remove.setLong(2, lastId);
            remove.executeUpdate();
            bytes -= size;
            depth.merge(sink, -count, Long::sum);
        } catch (SQLException e) {
            throw new SpoolException(e.getMessage(), e);
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

    /** The meters' point clocks as last appended. */
    public synchronized Map<String, PointClock.Tick> clocks() {
        Map<String, PointClock.Tick> out = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT meter, time_ms, seq FROM clock")) {
            while (rs.next()) {
                out.put(rs.getString(1), new PointClock.Tick(rs.getLong(2), rs.getInt(3)));
            }
        } catch (SQLException e) {
            throw new SpoolException(e.getMessage(), e);
        }
        return out;
    }

    /** Removes the oldest entries, every sink together, until at most {@code maxBytes} of payload wait. */
    public synchronized Dropped dropOldest(long maxBytes) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        while (bytes > maxBytes) {
            long before = bytes;
            dropWhere("id IN (SELECT id FROM entry ORDER BY id LIMIT 500)", dropped);
            if (bytes == before) {
                break;
            }
        }
        return new Dropped(dropped);
    }

    /** Removes the entries that entered the spool before {@code cutoffMillis}. */
    public synchronized Dropped dropOlderThan(long cutoffMillis) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        dropWhere("enqueued_at < " + cutoffMillis, dropped);
        return new Dropped(dropped);
    }

    private void dropWhere(String condition, Map<String, Long> dropped) {
        try (Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT sink, count(*), coalesce(sum(length(payload)), 0) FROM entry WHERE "
                    + condition + " GROUP BY sink")) {
                while (rs.next()) {
                    dropped.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    depth.merge(rs.getString(1), -rs.getLong(2), Long::sum);
                    bytes -= rs.getLong(3);
                }
            }
            s.executeUpdate("DELETE FROM entry WHERE " + condition);
        } catch (SQLException e) {
            throw new SpoolException(e.getMessage(), e);
        }
    }

    /** The group commit: checkpoints the WAL into the database, with an fsync of both. */
    public synchronized void sync() {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            throw new SpoolException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (!db.isClosed()) {
                sync();
                db.close();
            }
        } catch (SQLException e) {
            throw new SpoolException(e.getMessage(), e);
        }
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
