package io.ticgateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * The gateway in a JVM of its own (the test's class path), as a user runs it: so that a test can kill it
 * with SIGKILL, or stop it with SIGTERM, and start it again on the same data folder.
 */
final class GatewayProcess implements AutoCloseable {

    private final ExternalProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayProcess(ExternalProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code java ... TicGatewayCli --config config}, its output in {@code log}. */
    static GatewayProcess start(Path config, int port, Path log) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new GatewayProcess(ExternalProcess.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", classPath, TicGatewayCli.class.getName(), "--config", config.toString()),
                log), port);
    }

    /** {@code GET /api/meters}, or null while the gateway does not answer. */
    JsonNode meters() {
        try {
            String body = get("/api/meters");
            return body == null ? null : ReadingJson.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The body of {@code GET path} when it answers 200, else null (also while the gateway does not answer). */
    String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Entries waiting in the spool for a sink (-1 while the gateway does not answer). */
    long spoolDepth(String sink) {
        JsonNode meters = meters();
        return meters == null ? -1 : meters.path("spool").path("sinks").path(sink).path("depth").asLong(-1);
    }

    /** Frames the meter's source delivered in this run (-1 while unknown). */
    long frames(String meter) {
        JsonNode meters = meters();
        if (meters != null) {
            for (JsonNode m : meters.path("meters")) {
                if (meter.equals(m.path("name").asText())) {
                    return m.path("health").path("framesDelivered").asLong(-1);
                }
            }
        }
        return -1;
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        process.kill();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, a clean stop (SIGKILL after 20 s: the shutdown timeout, 10 s, and a margin). */
    @Override
    public void close() throws InterruptedException {
        process.terminate(20);
    }
}
