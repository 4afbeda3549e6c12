package io.ticgateway.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real InfluxDB 1.x ({@code influxd} from Debian's influxdb package) on free loopback ports, with its
 * data in a temporary folder; queried over its HTTP API with InfluxQL.
 */
public final class InfluxDb implements AutoCloseable {

    private final Path dir;
    private final int httpPort;
    private final int rpcPort;
    private ExternalProcess process;
    private boolean authEnabled;
    private final HttpClient http = HttpClient.newHttpClient();

    public InfluxDb(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.httpPort = ExternalProcess.freePort();
        this.rpcPort = ExternalProcess.freePort();
    }

    /** Turns authentication on (before {@link #start}); the first user is made with {@link #createAdmin}. */
    public InfluxDb withAuthentication() {
        this.authEnabled = true;
        return this;
    }

    /** Creates the admin user (the only request InfluxDB takes without credentials while it has no user). */
    public void createAdmin(String user, String password) throws IOException, InterruptedException {
        String q = "CREATE USER \"" + user + "\" WITH PASSWORD '" + password + "' WITH ALL PRIVILEGES";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/query?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("CREATE USER: " + response.statusCode() + " " + response.body());
        }
    }

    /** Runs an InfluxQL query with credentials and returns the values of its first series. */
    public JsonNode values(String database, String influxQl, String user, String password)
            throws IOException, InterruptedException {
        String uri = url() + "/query?db=" + URLEncoder.encode(database, StandardCharsets.UTF_8) + "&u="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&p=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode series = new ObjectMapper().readTree(response.body()).path("results").path(0).path("series").path(0)
                .path("values");
        return series.isMissingNode() ? new ObjectMapper().createArrayNode() : series;
    }

    public InfluxDb start() throws IOException, InterruptedException {
        Path conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                  auth-enabled = %s
                [monitor]
                  store-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(rpcPort, dir, dir, dir, httpPort, authEnabled));
        process = ExternalProcess.start(List.of("influxd", "-config", conf.toString()), dir.resolve("influxd.log"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("influxd exited, see " + dir.resolve("influxd.log"));
            }
            try {
                HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (ping.statusCode() == 204) {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("influxd did not answer /ping, see " + dir.resolve("influxd.log"));
    }

    /** True while influxd runs (between {@link #start} and {@link #stop}). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Runs an InfluxQL query and returns the JSON answer. */
    public JsonNode query(String database, String influxQl) throws IOException, InterruptedException {
        String uri = url() + "/query?db=" + URLEncoder.encode(database, StandardCharsets.UTF_8) + "&q="
                + URLEncoder.encode(influxQl, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    /** The values of a query's first series ({@code []} when none). */
    public JsonNode values(String database, String influxQl) throws IOException, InterruptedException {
        JsonNode series = query(database, influxQl).path("results").path(0).path("series").path(0).path("values");
        return series.isMissingNode() ? new ObjectMapper().createArrayNode() : series;
    }

    /** Stops InfluxDB (an outage); {@link #start} brings it back with its data. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
