package io.ticgateway.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway in-process (the shipped YAML routes) reading three simulated meters at a fast line speed:
 * {@code pme} (PME-PMI), {@code hist} (historic) and {@code std} (Linky standard). Started once a few
 * frames of each meter were received, so that the PME-PMI deltas exist.
 */
final class SimulatedSite implements AutoCloseable {

    /** Meter name → simulator URI. */
    static final Map<String, String> METERS = Map.of(
            "pme", "tic:simulator:pmepmi?baudRate=9600",
            "hist", "tic:simulator:linky-historic?baudRate=9600",
            "std", "tic:simulator:linky-standard?baudRate=38400");

    private final GatewayMain gateway;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private SimulatedSite(GatewayMain gateway, int port) {
        this.gateway = gateway;
        this.port = port;
    }

    static SimulatedSite start(Path dir) throws Exception {
        int port = ExternalProcess.freePort();
        StringBuilder config = new StringBuilder("tic.meters = pme, hist, std\n");
        METERS.forEach((name, uri) -> config.append("tic.meter.").append(name).append(".source = ").append(uri).append('\n'));
        config.append("tic.meter.pme.family = pmepmi\ntic.meter.hist.family = historic\ntic.meter.std.family = standard\n")
                .append("tic.routes.dir = ").append(Path.of("../routes").toAbsolutePath()).append('\n')
                .append("tic.state.file = ").append(dir.resolve("state.json")).append('\n')
                .append("tic.files.enabled = false\n")
                .append("camel.server.port = ").append(port).append('\n');
        Path file = Files.writeString(dir.resolve("application.properties"), config);
        GatewayMain gateway = new GatewayMain(file, name -> null);
        gateway.start();
        SimulatedSite site = new SimulatedSite(gateway, port);
        await().atMost(Duration.ofSeconds(60)).until(() -> site.everyMeterHasFrames(4));
        return site;
    }

    private boolean everyMeterHasFrames(int frames) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/meters");
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode meters = ReadingJson.mapper().readTree(response.body()).path("meters");
        int ready = 0;
        for (JsonNode m : meters) {
            ready += m.path("frames").asLong() >= frames ? 1 : 0;
        }
        return ready == METERS.size();
    }

    /** The gateway's base URL. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        gateway.stop();
    }
}
