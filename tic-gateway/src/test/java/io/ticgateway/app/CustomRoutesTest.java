package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.LogLines;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an integrator adds without editing a shipped file: a route in routes/custom/ (the shipped power
 * alert example), and the sinks of each family chosen in the properties.
 */
@ExtendWith(TestPeersExtension.class)
class CustomRoutesTest {

    /** A REST route of the integrator's, without the shipped routes' header filter. */
    private static final String HELLO = """
                - rest:
                    get:
                      - path: /hello
                        to: direct:hello
                - route:
                    from:
                      uri: direct:hello
                      steps:
                        - setBody:
                            constant: hello
                """;

    @TempDir
    Path dir;

    private Path routesWithExample() throws IOException {
        Path routes = dir.resolve("routes");
        try (Stream<Path> files = Files.walk(Path.of("../routes"))) {
            for (Path from : files.toList()) {
                Path to = routes.resolve(Path.of("../routes").relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Files.copy(routes.resolve("examples/power-alert.yaml"), routes.resolve("custom/power-alert.yaml"));
        // a REST route of the integrator's, without the shipped routes' header filter
        Files.writeString(routes.resolve("custom/hello.yaml"), HELLO);
        return routes;
    }

    @Test
    void theExampleAlertRunsFromCustomAndEachFamilyGoesToItsOwnSinks(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        int port = ExternalProcess.freePort();
        Path alerts = dir.resolve("alerts");
        Path frames = dir.resolve("frames");
        Path config = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "tic.meters = linky, vieux",
                "tic.meter.linky.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.meter.linky.family = standard",
                "tic.meter.vieux.source = tic:simulator:linky-historic?pace=realtime&baudRate=38400",
                "tic.meter.vieux.family = historic",
                "tic.routes.dir = " + routesWithExample(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.dir = " + frames,
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = custom",
                "tic.influxdb.batch-interval = 200",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.client-id = gw-custom",
                "tic.mqtt.interval = 500",
                "tic.family.standard.sinks = files, mqtt",
                "tic.family.historic.sinks = influxdb",
                "alert.power-va = 1",
                "alert.dir = " + alerts,
                "camel.server.port = " + port, ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        try (MqttProbe probe = new MqttProbe(mosquitto.url(), "#")) {
            gateway.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(alerts.resolve("power-alerts.jsonl")));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(alerts.resolve("power-alerts.jsonl")).endsWith("}\n"));
            JsonNode alert = ReadingJson.mapper().readTree(Files.readAllLines(alerts.resolve("power-alerts.jsonl")).get(0));
            assertThat(alert.get("meter").asText()).isEqualTo("linky");
            assertThat(alert.get("SINSTS").asInt()).isGreaterThan(1);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    influx.values("custom", "SELECT count(\"HCHC\") FROM tic_historic WHERE meter='vieux'").path(0).path(1).asInt() > 2
                    && Files.exists(frames.resolve("linky")));
            // nothing of a request comes back, even from a route that does not filter its headers
            java.net.http.HttpResponse<String> hello = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/hello?Set-Cookie=pwn&Location=http://evil.example")).header("X-Anything", "reflected").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(hello.body()).isEqualTo("hello");
            assertThat(hello.headers().map().keySet()).allMatch(h -> h.startsWith(":")
                    || io.ticgateway.app.http.HttpEdge.SAFE_HEADERS.contains(h.toLowerCase()));
            // standard went only to files, historic only to InfluxDB
            assertThat(influx.values("custom", "SELECT count(\"EAST\") FROM tic_standard")).isEmpty();
            assertThat(frames.resolve("vieux")).doesNotExist();
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.last("tic/linky/state") != null
                    && "online".equals(probe.last("tic/linky/availability")));
            assertThat(probe.messages()).noneMatch(m -> m.topic().contains("vieux") || m.topic().contains("021861348497"));
            // the alert took a copy: the frames themselves reached their sink unchanged
            try (Stream<Path> days = Files.list(frames.resolve("linky"))) {
                List<String> lines = Files.readAllLines(days.findFirst().orElseThrow());
                assertThat(ReadingJson.mapper().readTree(lines.get(0)).path("groups").has("SINSTS")).isTrue();
            }
        } finally {
            gateway.stop();
        }
    }

    /** A capture of {@code frames} simulated Linky standard frames. */
    private Path standardCapture(String name, int frames) throws IOException {
        io.ticgateway.simulator.MeterSimulator simulator = new io.ticgateway.simulator.MeterSimulator(
                io.ticgateway.simulator.SimulatedFamily.LINKY_STANDARD, null, 0, SimulatedCapture.START, 5);
        java.io.ByteArrayOutputStream capture = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            capture.writeBytes(simulator.nextFrame());
        }
        return Files.write(dir.resolve(name), capture.toByteArray());
    }

    /** A gateway replaying {@code source} through one custom route of the standard family, its steps {@code steps}. */
    private GatewayMain gatewayWithCustomRoute(String name, String steps, Path source, String... moreConfig) throws IOException {
        Path routes = Files.createDirectories(dir.resolve(name + "/custom"));
        Files.writeString(routes.resolve(name + ".yaml"), """
                - route:
                    from:
                      uri: direct:custom-standard
                      steps:
                """ + steps.indent(8));
        Path config = Files.writeString(dir.resolve(name + ".properties"), String.join("\n",
                "tic.meters = linky",
                "tic.meter.linky.source = tic:file:" + source + "?pace=asap",
                "tic.meter.linky.family = standard",
                "tic.routes.dir = " + dir.resolve(name),
                "tic.state.file = " + dir.resolve(name + "-state.json"),
                "tic.files.dir = " + dir.resolve(name + "-frames"),
                "camel.server.port = " + ExternalProcess.freePort(), String.join("\n", moreConfig), ""));
        return new GatewayMain(config, meter -> null);
    }

    /** A custom route that throws for one frame in ten: those are counted as dropped, the others go on. */
    @Test
    void framesACustomRouteFailsAreCountedForEverySinkAndTheOthersGoOn() throws Exception {
        GatewayMain gateway = gatewayWithCustomRoute("boom", """
                - filter:
                    simple: "${body.sequence} regex '.*0'"
                    steps:
                      - throwException:
                          exceptionType: java.lang.IllegalStateException
                          message: boom
                """, standardCapture("boom.bin", 100), "tic.files.csv = true");
        try {
            gateway.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.sinkCounters().deliveredCount("files") == 90);
            assertThat(gateway.sinkCounters().droppedCount("files", "route-error")).isEqualTo(10);
            assertThat(gateway.sinkCounters().droppedCount("csv", "route-error")).isEqualTo(10); // its rows too
            assertThat(gateway.store().meter("linky").statistics().getFramesDelivered()).isEqualTo(100);
        } finally {
            gateway.stop();
        }
    }

    @Test
    void aCustomRouteFailingEveryFrameDoesNotFloodTheLog() throws Exception {
        // a fresh configuration: its rate limit has not seen the failures of the tests before
        ((org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false)).reconfigure();
        List<String> errorHandlerLines;
        GatewayMain gateway = gatewayWithCustomRoute("flood", """
                - throwException:
                    exceptionType: java.lang.IllegalStateException
                    message: boom
                """, standardCapture("flood.bin", 300));
        try (LogLines errorHandler = new LogLines("org.apache.camel.processor.errorhandler.DefaultErrorHandler")) {
            errorHandlerLines = errorHandler.lines();
            try {
                gateway.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.sinkCounters().droppedCount("files", "route-error") == 300);
            } finally {
                gateway.stop();
            }
        }
        // every frame failed and was counted; Camel's error handler of the route logged its first 10 only
        assertThat(errorHandlerLines).hasSize(10);
        assertThat(errorHandlerLines.get(0)).contains("boom");
    }

    /** A routes folder holding custom/ alone: the shipped routes come from the jar. */
    @Test
    void aFolderWithCustomRoutesAloneIsEnough() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("mine/custom"));
        Files.writeString(routes.resolve("hello.yaml"), HELLO);
        int port = ExternalProcess.freePort();
        Path config = Files.writeString(dir.resolve("alone.properties"), String.join("\n",
                "tic.meters = linky",
                "tic.meter.linky.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.meter.linky.family = standard",
                "tic.routes.dir = " + dir.resolve("mine"),
                "tic.state.file = " + dir.resolve("alone-state.json"),
                "tic.files.enabled = false",
                "camel.server.port = " + port, ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try {
            gateway.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/meters/linky")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/hello")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello");
        } finally {
            gateway.stop();
        }
    }

    @Test
    void aFamilySentToAnUnknownOrDisabledSinkStopsTheStart() throws Exception {
        for (String[] bad : new String[][] {
            {"tic.family.historic.sinks = mqqt", "tic.family.historic.sinks: unknown sink 'mqqt' (did you mean mqtt?"},
            {"tic.family.historic.sinks = files, influxdb", "tic.family.historic.sinks: sink 'influxdb' is not enabled"}}) {
            Path config = Files.writeString(dir.resolve("bad.properties"), String.join("\n",
                    "tic.meters = vieux",
                    "tic.meter.vieux.source = tic:simulator:linky-historic",
                    "tic.meter.vieux.family = historic",
                    "camel.server.port = " + ExternalProcess.freePort(), // not 8080: another program may hold it
                    bad[0], ""));
            assertThatThrownBy(() -> new GatewayMain(config, name -> null).build()).hasMessageStartingWith(bad[1]);
        }
    }
}
