package io.ticgateway.app;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import okhttp3.Dispatcher;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

/**
 * Builds the InfluxDB clients the sinks use, with one unambiguous signature each (a YAML bean factory
 * cannot pick among the overloads of the libraries' own factories). Neither contacts the server.
 */
public final class InfluxClients {

    private InfluxClients() {
    }

    /**
     * An InfluxDB 1.x client; user and password may be empty. Bounded timeouts: a server that accepts
     * connections and never answers fails the batch (kept in the spool) instead of holding the drainer.
     * Its calls run through {@code calls}, which a stop cancels at its deadline.
     */
    public static InfluxDB connect(String url, String username, String password, Dispatcher calls) {
        okhttp3.OkHttpClient.Builder http = new okhttp3.OkHttpClient.Builder()
                .dispatcher(calls)
                .connectTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .readTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .writeTimeout(10, java.util.concurrent.TimeUnit.SECONDS);
        if (username == null || username.isBlank()) {
            return InfluxDBFactory.connect(url, http);
        }
        return InfluxDBFactory.connect(url, username, password == null ? "" : password, http);
    }

    /** An InfluxDB 2.x client, its calls through {@code calls}, which a stop cancels at its deadline. */
    public static InfluxDBClient connect2(String url, String token, Dispatcher calls) {
        return InfluxDBClientFactory.create(InfluxDBClientOptions.builder().url(url).authenticateToken(token.toCharArray())
                .okHttpClient(new okhttp3.OkHttpClient.Builder().dispatcher(calls) // else the library's defaults
                        .protocols(java.util.List.of(okhttp3.Protocol.HTTP_1_1))
                        .connectTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                        .readTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                        .writeTimeout(10, java.util.concurrent.TimeUnit.SECONDS)).build());
    }
}
