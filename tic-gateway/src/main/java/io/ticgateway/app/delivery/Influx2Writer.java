package io.ticgateway.app.delivery;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.domain.WritePrecision;

/**
 * Writes a batch of spooled points (line protocol, nanosecond timestamps) to an InfluxDB 2.x bucket with
 * the client's blocking API, so that a failure is thrown and the batch stays in the spool.
 */
public final class Influx2Writer {

    private final InfluxDBClient client;
    private final String org;
    private final String bucket;

    public Influx2Writer(InfluxDBClient client, String org, String bucket) {
        this.client = client;
        this.org = org;
        this.bucket = bucket;
    }

    /** Writes a batch of points (line protocol, one a line); returns normally only when InfluxDB accepted them all. */
    public void write(String lines) {
        client.getWriteApiBlocking().writeRecord(bucket, org, WritePrecision.NS, lines);
    }
}
