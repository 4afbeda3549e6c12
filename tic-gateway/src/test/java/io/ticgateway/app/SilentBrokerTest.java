package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MQTT "broker" that accepts the TCP connection and never answers (a hung broker, a proxy with nothing
 * behind it) is a broker down: the gateway starts and serves the rest, its MQTT attempts are bounded
 * (tic.mqtt.connection-timeout), counted, closed and tried again; it publishes once a real broker answers,
 * and a SIGTERM meanwhile stops it within its shutdown timeout. Before, Paho's unbounded wait for the CONNACK
 * held the start forever (the REST API never answered) and the stop with it.
 */
@ExtendWith(TestPeersExtension.class)
class SilentBrokerTest {

    @TempDir
    Path dir;

    private static double metric(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + labels + "[^}]*} ([0-9.E]+)")
                .matcher(metrics == null ? "" : metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Lines written to the meter's JSON lines files. */
    private static long jsonLines(Path frames) throws IOException {
        if (!Files.isDirectory(frames)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(frames)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).mapToLong(f -> {
                try (Stream<String> lines = Files.lines(f)) {
                    return lines.count();
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    @Test
    void aSilentBrokerIsABrokerDownUntilItAnswers(Mosquitto mosquitto) throws Exception {
        mosquitto.stop(); // its port answers TCP, not MQTT, until the broker starts
        int port = ExternalProcess.freePort();
        Path config = SimMeterConfig.writeWithSource(dir, "silent.properties", port,
                "tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.client-id = gw-silent",
                "tic.mqtt.interval = 0",
                "tic.mqtt.connection-timeout = 2000");
        Path log = dir.resolve("silent.log");
        try (SilentServer silent = new SilentServer(mosquitto.port());
             GatewayProcess gateway = GatewayProcess.start(config, port, log)) {
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.frames("sim") > 0);
            System.out.printf("SilentBrokerTest: REST answers %d ms after the process started (broker silent)%n",
                    (System.nanoTime() - start) / 1_000_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> jsonLines(dir.resolve("data/frames")) > 0);
            assertThat(silent.accepted()).isPositive(); // the attempts reached the silent server

            // each attempt timed out, was counted like a broker down, its connection closed (none piles up)
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String metrics = gateway.get("/observe/metrics");
                return metric(metrics, "tic_sink_failures_total", "sink=\"mqtt\"") > 0
                        && metric(metrics, "tic_sink_dropped_total", "reason=\"publish-failed\"") > 0
                        && silent.accepted() >= 4 && silent.open() <= 2;
            });

            silent.close();
            mosquitto.start(); // the broker answers now, on the same port
            // the test's own subscriber: its first connection was once refused right after the start under load
            try (MqttProbe probe = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> new MqttProbe(mosquitto.url(), "#"), java.util.Objects::nonNull)) {
                // states, and discovery sent again once the broker took a publish (the two in either order)
                await().atMost(Duration.ofSeconds(20)).until(() -> probe.messages().stream().anyMatch(m ->
                        m.topic().equals("tic/sim/state") && !m.retained()) && probe.messages().stream().anyMatch(m ->
                        m.topic().startsWith("homeassistant/") && m.topic().endsWith("/config")));
                assertThat(probe.messages()).anySatisfy(m -> {
                    assertThat(m.topic()).startsWith("homeassistant/").endsWith("/config");
                    assertThat(m.payload()).isNotEmpty();
                });
            }
            assertThat(gateway.meters().path("sinks").path("mqtt").path("delivered").asLong()).isPositive();
        }
        String out = Files.readString(log);
        assertThat(out).contains("TIC Gateway running");
        assertThat(Pattern.compile("Sink mqtt failing").matcher(out).results().count()).isEqualTo(1); // one per outage
        assertThat(out).contains("TIC Gateway stopped");
    }

    @Test
    void aSigtermWhileTheBrokerIsSilentStopsWithinTheShutdownTimeout() throws Exception {
        try (SilentServer silent = new SilentServer(ExternalProcess.freePort())) {
            int port = ExternalProcess.freePort();
            // the default connection timeout (10 s), as long as the default shutdown timeout
            Path config = SimMeterConfig.write(dir, "sigterm.properties", port,
                    "tic.mqtt.enabled = true",
                    "tic.mqtt.url = tcp://127.0.0.1:" + silent.port());
            Path log = dir.resolve("sigterm.log");
            long stopMillis;
            try (GatewayProcess gateway = GatewayProcess.start(config, port, log)) {
                long start = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.frames("sim") > 0);
                System.out.printf("SilentBrokerTest: REST answers %d ms after the process started (broker silent)%n",
                        (System.nanoTime() - start) / 1_000_000);
                await().atMost(Duration.ofSeconds(10)).until(() -> silent.open() > 0); // an attempt waits
                long stop = System.nanoTime();
                gateway.close(); // SIGTERM
                stopMillis = (System.nanoTime() - stop) / 1_000_000;
                assertThat(gateway.isAlive()).isFalse();
            }
            System.out.printf("SilentBrokerTest: stopped %d ms after SIGTERM%n", stopMillis);
            assertThat(stopMillis).as("stop took %d ms", stopMillis).isLessThan(10_000);
            assertThat(Files.readString(log)).contains("TIC Gateway stopped: nothing waits in the spool");
        }
    }
}
