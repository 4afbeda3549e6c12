package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticgateway.Corpus;
import io.ticgateway.UartLine;
import io.ticgateway.UartLine.Format;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.PtyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/meters} and readiness agree, and the diagnosis holds still, on a gateway reading a serial port
 * (a socat pty) that receives no byte while the reader tries each speed, a replayed capture without one valid
 * frame, and a simulated Linky.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeterHealthTest {

    @TempDir
    static Path dir;

    private PtyPair pty;
    private GatewayMain gateway;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        pty = new PtyPair(dir).start();
        Path garbage = Files.write(dir.resolve("wrong-speed.raw"), UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS),
                9600, Format.SEVEN_EVEN_ONE, 1200, Format.SEVEN_EVEN_ONE));
        port = ExternalProcess.freePort();
        Path config = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "tic.meters = silent, empty, linky",
                "tic.meter.silent.source = tic:serial:" + pty.gatewayEnd() + "?baudDetectTimeout=700",
                "tic.meter.silent.family = standard",
                "tic.meter.empty.source = tic:file:" + garbage,
                "tic.meter.empty.family = standard",
                "tic.meter.linky.source = tic:simulator:linky-standard",
                "tic.meter.linky.family = standard",
                "tic.meter.no-data-timeout = 4000",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.enabled = false",
                "camel.server.port = " + port, ""));
        gateway = new GatewayMain(config, name -> null);
        gateway.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (pty != null) {
            pty.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One meter's {@code health} in {@code /api/meters}. */
    private JsonNode health(String name) throws Exception {
        for (JsonNode meter : json.readTree(get("/api/meters").body()).path("meters")) {
            if (meter.path("name").asText().equals(name)) {
                return meter.path("health");
            }
        }
        throw new AssertionError("no meter " + name);
    }

    private String readiness(String name) throws Exception {
        for (JsonNode check : json.readTree(get("/observe/health/ready").body()).path("checks")) {
            if (check.path("name").asText().equals("consumer:meter-" + name)) {
                return check.path("status").asText();
            }
        }
        return null;
    }

    @Test
    void aSilentPortSearchingItsSpeedGoesDownAndItsDiagnosisHoldsStill() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode health = health("silent");
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(health.path("message").asText()).startsWith("no valid frame in the last");
            assertThat(health.path("diagnosis").path("code").asText()).isEqualTo("no-bytes");
            assertThat(readiness("silent")).isEqualTo("DOWN");
        });
        // while the reader goes on trying speeds, the diagnosis stays no-bytes and the meter DOWN
        Set<Integer> speeds = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode health = health("silent");
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(health.path("diagnosis").path("code").asText()).isEqualTo("no-bytes");
            assertThat(health.path("diagnosis").path("text").asText()).contains("No byte at all for", "in turn");
            speeds.add(health.path("baudRate").asInt());
            return speeds.size() >= 3;
        });
        assertThat(health("silent").path("connected").asBoolean()).isTrue();
    }

    @Test
    void aMeterThatNeverDeliveredAFrameHasItsSourceCountersInTheMetrics() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String metrics = get("/observe/metrics").body();
            assertThat(metrics).contains("tic_connected{meter=\"silent\"} 1.0", "tic_reconnects_total{meter=\"silent\"} 0.0",
                    "tic_frames_delivered_total{meter=\"empty\"} 0.0", "tic_frames_rejected_total{meter=\"empty\",reason=\"checksum\"} ");
        });
    }

    @Test
    void aCaptureWithoutOneValidFrameIsDownWithAnErrorDiagnosis() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode health = health("empty");
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(health.path("message").asText()).contains("without one valid frame");
            assertThat(health.path("diagnosis").path("level").asText()).isEqualTo("error");
            assertThat(health.path("diagnosis").path("code").asText()).isEqualTo("wrong-speed");
            assertThat(health.path("diagnosis").path("text").asText())
                    .startsWith("The capture was replayed to its end without one valid frame");
            assertThat(readiness("empty")).isEqualTo("DOWN");
        });
    }

    @Test
    void aMeterSendingFramesIsUpInBoth() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode health = health("linky");
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.has("message")).isFalse();
            assertThat(health.path("diagnosis").path("code").asText()).isEqualTo("ok");
            assertThat(readiness("linky")).isEqualTo("UP");
        });
    }
}
