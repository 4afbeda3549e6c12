package io.ticgateway.app;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

/**
 * Builds the InfluxDB clients the sinks use, with one unambiguous signature each (a YAML bean factory
 * cannot pick among the overloads of the libraries' own factories). Neither contacts the server.
 */
public final class InfluxClients {

    private InfluxClients() {
    }

    /** An InfluxDB 1.x client (camel-influxdb); user and password may be empty. */
    public static InfluxDB connect(String url, String username, String password) {
        if (username == null || username.isBlank()) {
            return InfluxDBFactory.connect(url);
        }
        return InfluxDBFactory.connect(url, username, password == null ? "" : password);
    }

    /** An InfluxDB 2.x client (camel-influxdb2). */
    public static InfluxDBClient connect2(String url, String token) {
        return InfluxDBClientFactory.create(url, token.toCharArray());
    }
}
