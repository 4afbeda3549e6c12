package io.ticgateway.app.delivery;

import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Query;

/**
 * Writes a batch of points (line protocol, one a line, nanosecond timestamps) to InfluxDB 1.x in one request;
 * creates the database first (idempotent) the first time. A failure is thrown: the batch stays in the spool.
 * A partial write (InfluxDB kept the batch but refused some points for good: beyond the retention policy, a
 * field type conflict) is no failure: retrying would refuse them again and hold every later frame back;
 * the refused points are returned, to be counted as dropped.
 */
public final class InfluxWriter {

    private static final Pattern DROPPED = Pattern.compile("dropped=(\\d+)");

    private final Supplier<InfluxDB> connect;
    private InfluxDB influx;
    private final String database;
    private final String retentionPolicy;
    private volatile boolean databaseReady;

    /**
     * @param retentionPolicy the retention policy to write to; empty for the database's default
     */
    public InfluxWriter(InfluxDB influx, String database, String retentionPolicy) {
        this(() -> influx, database, retentionPolicy);
    }

    /**
     * @param connect makes the client at the first batch (the client resolves the host when made: a name
     *                DNS cannot resolve yet is a failed batch kept in the spool, not a failed start)
     */
    public InfluxWriter(Supplier<InfluxDB> connect, String database, String retentionPolicy) {
        this.connect = connect;
        this.database = database;
        this.retentionPolicy = retentionPolicy == null ? "" : retentionPolicy;
    }

    /**
     * Writes a batch of points (line protocol, one a line) in one POST; returns normally when InfluxDB took it.
     *
     * @return the points InfluxDB refused for good in a partial write (0 when it kept them all)
     */
    public long write(String lines) {
        if (influx == null) {
            influx = connect.get();
        }
        if (!databaseReady) {
            influx.query(new Query("CREATE DATABASE \"" + database + "\""));
            databaseReady = true;
        }
        try {
            influx.write(database, retentionPolicy, InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, lines);
            return 0;
        } catch (InfluxDBException e) {
            String message = String.valueOf(e.getMessage());
            Matcher dropped = DROPPED.matcher(message);
            if (message.contains("partial write") && dropped.find()) {
                return Long.parseLong(dropped.group(1));
            }
            throw e;
        }
    }
}
