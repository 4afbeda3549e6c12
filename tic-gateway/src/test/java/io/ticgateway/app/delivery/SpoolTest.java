package io.ticgateway.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own: order, reopening, clocks, bounds, format. */
class SpoolTest {

    @TempDir
    Path dir;

    private static Spool.Entry point(String meter, String payload, long millis, int seq) {
        return new Spool.Entry("influxdb", meter, payload, new PointClock.Tick(millis, seq));
    }

    @Test
    void entriesLeaveInOrderAndSurviveAReopening() {
        Path file = dir.resolve("spool.db");
        try (Spool spool = Spool.open(file)) {
            for (int i = 0; i < 250; i++) {
                spool.append(List.of(point("m", "p" + i, 1000L * i, 0),
                        new Spool.Entry("kafka", "m", "{\"n\":" + i + "}", PointClock.NONE)));
            }
            spool.remove("influxdb", spool.peek("influxdb", 100));
            assertThat(spool.depth("influxdb")).isEqualTo(150);
            assertThat(spool.depth("kafka")).isEqualTo(250);
        }
        try (Spool reopened = Spool.open(file)) {
            assertThat(reopened.depth("influxdb")).isEqualTo(150);
            assertThat(reopened.depth("kafka")).isEqualTo(250);
            assertThat(reopened.peek("influxdb", 3)).extracting(Spool.Row::payload).containsExactly("p100", "p101", "p102");
            assertThat(reopened.peek("kafka", 1).get(0).payload()).isEqualTo("{\"n\":0}");
            assertThat(reopened.bytes()).isEqualTo(150 * 4 + sumKafkaBytes()); // "p100".."p249"
        }
    }

    private static long sumKafkaBytes() {
        long bytes = 0;
        for (int i = 0; i < 250; i++) {
            bytes += ("{\"n\":" + i + "}").length();
        }
        return bytes;
    }

    @Test
    void eachMetersClockCarriesOnFromWaitingAndDeliveredEntries() {
        Path file = dir.resolve("spool.db");
        try (Spool spool = Spool.open(file)) {
            spool.append(List.of(point("a", "a1", 5000, 0)));
            spool.append(List.of(point("a", "a2", 5000, 1)));
            spool.append(List.of(point("b", "b1", 7000, 3)));
            spool.remove("influxdb", spool.peek("influxdb", 3)); // all delivered: the clock table keeps the ticks
            spool.append(List.of(point("a", "a3", 6000, 0))); // waiting: newer than the delivered one
        }
        try (Spool reopened = Spool.open(file)) {
            Map<String, PointClock.Tick> clocks = reopened.clocks();
            assertThat(clocks).containsEntry("a", new PointClock.Tick(6000, 0)).containsEntry("b", new PointClock.Tick(7000, 3));
            PointClock clock = new PointClock(clocks);
            assertThat(clock.next("b", 7000)).isEqualTo(new PointClock.Tick(7000, 4)); // no collision after a restart
            assertThat(clock.next("a", 9000)).isEqualTo(new PointClock.Tick(9000, 0));
        }
    }

    @Test
    void pastItsBoundTheOldestAreDroppedAndCounted() {
        try (Spool spool = Spool.open(dir.resolve("spool.db"))) {
            for (int i = 0; i < 1000; i++) {
                spool.append(List.of(point("m", "0123456789", i, 0)));
            }
            Spool.Dropped dropped = spool.dropOldest(5_000);
            assertThat(dropped.perSink().get("influxdb")).isEqualTo(500);
            assertThat(spool.depth("influxdb")).isEqualTo(500);
            assertThat(spool.bytes()).isEqualTo(5_000);
            assertThat(spool.peek("influxdb", 1).get(0).tick().timeMillis()).isEqualTo(500); // the newest kept
            assertThat(spool.dropOlderThan(System.currentTimeMillis() + 1).perSink().get("influxdb")).isEqualTo(500);
            assertThat(spool.depth("influxdb")).isZero();
        }
    }

    @Test
    void rowsDroppedWhileTheirBatchWasOutAreNotCountedTwice() {
        try (Spool spool = Spool.open(dir.resolve("spool.db"))) {
            for (int i = 0; i < 100; i++) {
                spool.append(List.of(point("m", "0123456789", i, 0)));
            }
            List<Spool.Row> batch = spool.peek("influxdb", 50); // out to the sink...
            assertThat(spool.dropOldest(800).perSink().get("influxdb")).isEqualTo(100); // ...while the bound drops
            spool.append(List.of(point("m", "0123456789", 100, 0)));
            spool.remove("influxdb", batch); // the sink accepted the batch
            assertThat(spool.depth("influxdb")).isEqualTo(1);
            assertThat(spool.bytes()).isEqualTo(10);
            assertThat(spool.peek("influxdb", 10)).hasSize(1);
        }
    }

    @Test
    void pointsLeaveAsOneBodyAndTheNextBatchIsReadWhileOneIsOut() {
        Path file = dir.resolve("spool.db");
        try (Spool spool = Spool.open(file)) {
            for (int i = 0; i < 10; i++) {
                spool.append(List.of(point(i % 2 == 0 ? "a" : "b", "p" + i, 1000L * i, 0)));
            }
            Spool.Lines first = spool.peekLines("influxdb", 0, 4);
            assertThat(first.body()).isEqualTo("p0\np1\np2\np3");
            assertThat(first.count()).isEqualTo(4);
            assertThat(first.bytes()).isEqualTo(8);
            Spool.Lines second = spool.peekLines("influxdb", first.lastId(), 4); // read while the first is out
            assertThat(second.body()).isEqualTo("p4\np5\np6\np7");
            spool.remove(first);
            spool.remove(second);
            assertThat(spool.depth("influxdb")).isEqualTo(2);
            assertThat(spool.bytes()).isEqualTo(4);
            assertThat(spool.peekLines("influxdb", 0, 100).body()).isEqualTo("p8\np9");
            assertThat(spool.peekLines("influxdb", second.lastId() + 2, 100).count()).isZero();
        }
        try (Spool reopened = Spool.open(file)) { // each meter's last delivered tick is kept
            assertThat(reopened.clocks()).containsEntry("a", new PointClock.Tick(8000, 0))
                    .containsEntry("b", new PointClock.Tick(9000, 0));
            reopened.remove(reopened.peekLines("influxdb", 0, 100));
        }
        try (Spool reopened = Spool.open(file)) {
            assertThat(reopened.clocks()).containsEntry("a", new PointClock.Tick(8000, 0))
                    .containsEntry("b", new PointClock.Tick(9000, 0));
        }
    }

    @Test
    void pointsDroppedWhileTheirBatchWasOutAreNotCountedTwiceAndKeepTheirTicks() {
        Path file = dir.resolve("spool.db");
        try (Spool spool = Spool.open(file)) {
            for (int i = 0; i < 100; i++) {
                spool.append(List.of(point("m", "0123456789", i, 0)));
            }
            Spool.Lines batch = spool.peekLines("influxdb", 0, 50); // out to the sink...
            assertThat(spool.dropOldest(800).perSink().get("influxdb")).isEqualTo(100); // ...while the bound drops
            spool.append(List.of(point("n", "0123456789", 100, 0)));
            spool.remove(batch); // the sink accepted the batch
            assertThat(spool.depth("influxdb")).isEqualTo(1);
            assertThat(spool.bytes()).isEqualTo(10);
        }
        try (Spool reopened = Spool.open(file)) { // the batch reached InfluxDB: its ticks stay taken
            assertThat(reopened.clocks()).containsEntry("m", new PointClock.Tick(99, 0));
        }
    }

    @Test
    void aSpoolWhoseTablesHaveAutoincrementIdsKeepsItsOrder() throws Exception {
        Path file = dir.resolve("spool.db");
        Spool.open(file).close();
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            // the table as release 0.1 created it, two entries waiting after 40 delivered
            s.execute("CREATE TABLE sink_influxdb(id INTEGER PRIMARY KEY AUTOINCREMENT, meter TEXT NOT NULL,"
                    + " enqueued_at INTEGER NOT NULL, time_ms INTEGER NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL)");
            s.execute("INSERT INTO sink_influxdb VALUES (41, 'm', 1, 41000, 0, 'p41'), (42, 'm', 1, 42000, 0, 'p42')");
        }
        try (Spool spool = Spool.open(file)) {
            spool.append(List.of(point("m", "p43", 43000, 0)));
            Spool.Lines first = spool.peekLines("influxdb", 0, 2);
            assertThat(first.body()).isEqualTo("p41\np42");
            spool.remove(first);
            spool.append(List.of(point("m", "p44", 44000, 0)));
            assertThat(spool.peek("influxdb", 10)).extracting(Spool.Row::id).containsExactly(43L, 44L);
        }
    }

    @Test
    void aSpoolWrittenByANewerReleaseIsRefused() throws Exception {
        Path file = dir.resolve("spool.db");
        Spool.open(file).close();
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            s.execute("PRAGMA user_version = " + (Spool.FORMAT + 1));
        }
        assertThatThrownBy(() -> Spool.open(file)).isInstanceOf(Spool.SpoolException.class)
                .hasMessageContaining("newer than this release");
    }

    @Test
    void aFullOrFailingDiskIsToldFromOtherFailures() throws Exception {
        assertThat(Spool.isDiskFull(new Spool.SpoolException("append", new SQLiteException("full", SQLiteErrorCode.SQLITE_FULL))))
                .isTrue();
        assertThat(Spool.isDiskFailure(new Spool.SpoolException("open",
                new SQLiteException("shm", SQLiteErrorCode.SQLITE_IOERR_SHMSIZE)))).isTrue();
        assertThat(Spool.isDiskFull(new SQLiteException("shm", SQLiteErrorCode.SQLITE_IOERR_SHMSIZE))).isFalse();
        // a file that is not a database: the configuration's fault, not the disk's
        Path garbage = java.nio.file.Files.writeString(dir.resolve("garbage.db"), "not a database ".repeat(400));
        assertThatThrownBy(() -> Spool.open(garbage)).isInstanceOfSatisfying(Spool.SpoolException.class,
                e -> assertThat(Spool.isDiskFailure(e)).isFalse());
    }

    @Test
    void aSpoolThatFilledItsDiskTakesEntriesAgainOnceThereIsRoom() {
        // SQLite's page cap gives the SQLITE_FULL of a full disk without filling one; the driver finalises a
        // statement that failed, so a spool that kept its statements refused every later append
        try (Spool spool = Spool.open(dir.resolve("spool.db"))) {
            spool.append(List.of(point("m", "first", 1000, 0)));
            spool.maxPageCount(spool.pageCount());
            String big = "x".repeat(3000);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    spool.append(List.of(point("m", big, 2000L + i, 0)));
                }
            }).isInstanceOfSatisfying(Spool.SpoolException.class, e -> assertThat(Spool.isDiskFull(e)).isTrue());
            assertThatThrownBy(() -> spool.append(List.of(point("m", big, 5000, 0), point("m", big, 5001, 0))))
                    .isInstanceOf(Spool.SpoolException.class); // a batch too

            spool.maxPageCount(1_000_000); // room again
            spool.append(List.of(point("m", "after", 9000, 0)));
            spool.append(List.of(point("m", "after2", 9001, 0), point("m", "after3", 9002, 0)));
            List<Spool.Row> rows = spool.peek("influxdb", 100);
            assertThat(rows).extracting(Spool.Row::payload).contains("first", "after", "after2", "after3");
            spool.remove("influxdb", rows);
            assertThat(spool.depth("influxdb")).isZero();
        }
    }
}
