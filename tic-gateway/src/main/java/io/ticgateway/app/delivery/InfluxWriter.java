package io.ticgateway.app.delivery;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;

/**
 * Writes a batch of spooled points (line protocol, nanosecond timestamps) to InfluxDB 1.x in one request;
 * creates the database first (idempotent) the first time. A failure is thrown: the batch stays in the spool.
 */
public final class InfluxWriter {

    private final InfluxDB influx;
    private final String database;
    private volatile boolean databaseReady;

    public InfluxWriter(InfluxDB influx, String database) {
        this.influx = influx;
        this.database = database;
    }

    /** Writes the rows' points; returns normally only when InfluxDB accepted them all. */
    public void write(List<Spool.Row> rows) {
        if (!databaseReady) {
            influx.query(new Query("CREATE DATABASE \"" + database + "\""));
            databaseReady = true;
        }
        influx.write(database, "autogen", InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS,
                rows.stream().map(Spool.Row::payload).toList());
    }
}
