package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop keeps to its shutdown timeout when the sinks' servers do not: an InfluxDB that takes the
 * request and never answers, an MQTT broker that is down (a fresh-eyes review: 10.4 s for a 4 s timeout,
 * the batch's HTTP call held the stop for the client's read timeout; and no word of the offline messages
 * that could not be published).
 */
class StopDeadlineTest {

    @TempDir
    Path dir;

    @Test
    void aHungInfluxDbAndABrokerDownDoNotHoldTheStopPastItsTimeout() throws Exception {
        try (SilentServer hungInflux = new SilentServer(0)) { // accepts, reads, never answers
            int port = ExternalProcess.freePort();
            Path config = SimMeterConfig.write(dir, "stop.properties", port,
                    "tic.files.enabled = false",
                    "tic.influxdb.enabled = true",
                    "tic.influxdb.url = http://127.0.0.1:" + hungInflux.port(),
                    "tic.influxdb.batch-interval = 100",
                    "tic.mqtt.enabled = true",
                    "tic.mqtt.url = tcp://127.0.0.1:" + ExternalProcess.freePort(), // nobody listens
                    "camel.main.shutdown-timeout = 4");
            Path log = dir.resolve("stop.log");
            try (GatewayProcess gateway = GatewayProcess.start(config, port, log)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> hungInflux.bytesRead() > 0); // a call in flight
                long start = System.nanoTime();
                gateway.close(); // SIGTERM
                long stopMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(gateway.isAlive()).isFalse();
                // half of the 4 s go to the spool's delivery; the routes' stop, MQTT and the state take the rest
                assertThat(stopMillis).as("stop took %d ms", stopMillis).isLessThan(6_000);
            }
            String out = Files.readString(log);
            assertThat(out).containsPattern("TIC Gateway stopped: left in the spool for the next start \\{influxdb=\\d+}");
            assertThat(out).doesNotContain("Sink influxdb failing"); // the call cut at the deadline is no outage
            assertThat(out).contains("Could not publish offline to MQTT at stop (2 of 2 availability messages");
        }
    }
}
