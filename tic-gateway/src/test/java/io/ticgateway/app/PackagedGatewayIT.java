package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run as users run it, with the routes it ships and every sink switched on: a
 * component a YAML route needs but the jar lacks fails here. Killing it makes the broker publish its
 * last will.
 */
@ExtendWith(TestPeersExtension.class)
class PackagedGatewayIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void jarRunsTheShippedRoutesWithEverySinkAndLeavesItsLastWill(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        Path jar = Path.of("target/tic-gateway.jar").toAbsolutePath();
        assertThat(jar).exists();
        try (MqttProbe probe = new MqttProbe(mosquitto.url(), "#")) {
            int port = ExternalProcess.freePort();
            Path config = dir.resolve("application.properties");
            // the shipped configuration, with every sink switched on by environment variables below
            Files.copy(Path.of("../config/application.properties"), config);
            Path work = Files.createDirectories(dir.resolve("work")); // no routes/ folder here: the jar's copy is used
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx128m", "-jar", jar.toString(), "--config", config.toString())
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile());
            pb.environment().putAll(java.util.Map.of(
                    "CAMEL_SERVER_PORT", String.valueOf(port),
                    "TIC_METER_LINKY_SOURCE", "tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                    "TIC_INFLUXDB_ENABLED", "true", "TIC_INFLUXDB_URL", influx.url(), "TIC_INFLUXDB_BATCH_INTERVAL", "500",
                    "TIC_MQTT_ENABLED", "true", "TIC_MQTT_URL", mosquitto.url(), "TIC_MQTT_INTERVAL", "1000",
                    "TIC_KAFKA_ENABLED", "true", "TIC_FILES_CSV", "true"));
            Process gateway = pb.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/api/meters").contains("\"linky\""));
                await().atMost(Duration.ofSeconds(30)).until(() -> "online".equals(probe.last("tic/gateway/availability"))
                        && probe.last("tic/linky/state") != null
                        && probe.last("homeassistant/sensor/tic_041876543210/east/config") != null);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        influx.values("tic", "SELECT count(\"EAST\") FROM tic_standard").path(0).path(1).asInt() > 3);
                assertThat(get(port, "/get_donnee?tarif=INDEP_TARIF&etiquette=ADSC")).isEqualTo("041876543210");
                assertThat(Files.walk(work.resolve("data/frames")).map(Path::toString).toList())
                        .anyMatch(p -> p.endsWith(".jsonl")).anyMatch(p -> p.endsWith(".csv"));
                // a burst of client errors from one address: one log line, no stack trace
                for (int i = 0; i < 20; i++) {
                    for (String bad : List.of("/api/meters/nosuch", "/api/meters/linky/values/%0a", "/api/meters/linky?id=x",
                            "/get_donnee?tarif=%00")) {
                        get(port, bad);
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("gateway.log")).contains("ClientErrorLog"));
                String log = Files.readString(dir.resolve("gateway.log"));
                assertThat(log).contains("TIC Gateway running").doesNotContain("ERROR").doesNotContain("\tat ");
                assertThat(log.lines().filter(l -> l.contains("ClientErrorLog"))).hasSize(1);
            } finally {
                gateway.destroyForcibly(); // kill -9: no clean MQTT disconnect
                gateway.waitFor();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> "offline".equals(probe.last("tic/gateway/availability")));
            assertThat(probe.messages()).anyMatch(m -> m.topic().equals("tic/gateway/availability")
                    && m.payload().equals("offline"));
            List<String> topics = probe.messages().stream().map(MqttProbe.Received::topic).distinct().toList();
            assertThat(topics).contains("tic/linky/availability");
        }
    }

    /** HTTP port already in use: exit 3 at once with one line naming the key, never a gateway running blind. */
    @Test
    void aPortAlreadyInUseStopsTheStartWithOneLine() throws Exception {
        Path jar = Path.of("target/tic-gateway.jar").toAbsolutePath();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path work = Files.createDirectories(dir.resolve("clash"));
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx128m", "-jar", jar.toString())
                    .directory(work.toFile()).redirectOutput(dir.resolve("clash.out").toFile())
                    .redirectError(dir.resolve("clash.err").toFile());
            pb.environment().put("CAMEL_SERVER_PORT", String.valueOf(taken.getLocalPort()));
            Process gateway = pb.start();
            boolean ended = gateway.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) {
                gateway.destroyForcibly();
            }
            String err = Files.readString(dir.resolve("clash.err"));
            assertThat(ended).as(err).isTrue();
            assertThat(gateway.exitValue()).as(err).isEqualTo(3);
            assertThat(err.trim().lines()).as(err).hasSize(1);
            assertThat(err).contains("camel.server.port:").contains(String.valueOf(taken.getLocalPort()));
        }
    }

    /** A route file that does not parse, or a route to an unknown component: one line naming it, exit 3. */
    @Test
    void aBrokenRouteFileStopsTheStartWithOneLine() throws Exception {
        Path jar = Path.of("target/tic-gateway.jar").toAbsolutePath();
        for (String[] broken : new String[][] {
            {"broken.yaml", "- route:\n    id: broken\n    from:\n      uri: \"timer:x\"\n      steps:\n        - log: [unclosed\n",
                "broken.yaml, line 6"},
            {"unknown.yaml", "- route:\n    id: unknown-sink\n    from:\n      uri: \"timer:x\"\n      steps:\n        - to: \"nosuchcomponent:x\"\n",
                "route unknown-sink: "},
            {"twice.yaml", "- route:\n    id: first\n    from:\n      uri: direct:custom-standard\n      steps:\n        - log: one\n"
                + "- route:\n    id: second\n    from:\n      uri: direct:custom-standard\n      steps:\n        - log: two\n",
                "Multiple consumers for the same endpoint"}}) {
            Path routes = dir.resolve("routes-" + broken[0]);
            copyTree(Path.of("../routes"), routes);
            // in routes/custom/, which is always loaded: a broken file there stops the start too
            Files.writeString(Files.createDirectories(routes.resolve("custom")).resolve(broken[0]), broken[1]);
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx128m", "-jar", jar.toString())
                    .directory(dir.toFile()).redirectOutput(dir.resolve("broken.out").toFile())
                    .redirectError(dir.resolve("broken.err").toFile());
            pb.environment().put("CAMEL_SERVER_PORT", String.valueOf(ExternalProcess.freePort()));
            pb.environment().put("TIC_ROUTES_DIR", routes.toString());
            pb.environment().put("TIC_STATE_FILE", dir.resolve("broken-state.json").toString());
            pb.environment().put("TIC_FILES_DIR", dir.resolve("broken-frames").toString());
            Process gateway = pb.start();
            boolean ended = gateway.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) {
                gateway.destroyForcibly();
            }
            String err = Files.readString(dir.resolve("broken.err"));
            assertThat(ended).as(err).isTrue();
            assertThat(gateway.exitValue()).as(err).isEqualTo(3);
            List<String> errors = err.lines().filter(l -> l.startsWith("tic-gateway: ")).toList();
            assertThat(errors).as(err).hasSize(1);
            assertThat(errors.get(0)).startsWith("tic-gateway: start-up error: ").contains(broken[2]);
            assertThat(err).as("no stack trace").doesNotContain("\tat org.apache");
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
