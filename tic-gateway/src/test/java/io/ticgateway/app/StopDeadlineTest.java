package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
        List<Socket> held = new CopyOnWriteArrayList<>();
        AtomicLong requestBytes = new AtomicLong();
        try (ServerSocket hungInflux = new ServerSocket(0)) { // accepts, reads, never answers
            Thread server = new Thread(() -> {
                while (!hungInflux.isClosed()) {
                    try {
                        Socket s = hungInflux.accept();
                        held.add(s);
                        Thread reader = new Thread(() -> {
                            try (InputStream in = s.getInputStream()) {
                                byte[] b = new byte[8192];
                                for (int n; (n = in.read(b)) > 0; ) {
                                    requestBytes.addAndGet(n);
                                }
                            } catch (java.io.IOException closed) {
                                // the client gave up
                            }
                        });
                        reader.setDaemon(true);
                        reader.start();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            server.setDaemon(true);
            server.start();

            int port = ExternalProcess.freePort();
            Path config = SimMeterConfig.write(dir, "stop.properties", port,
                    "tic.files.enabled = false",
                    "tic.influxdb.enabled = true",
                    "tic.influxdb.url = http://127.0.0.1:" + hungInflux.getLocalPort(),
                    "tic.influxdb.batch-interval = 100",
                    "tic.mqtt.enabled = true",
                    "tic.mqtt.url = tcp://127.0.0.1:" + ExternalProcess.freePort(), // nobody listens
                    "camel.main.shutdown-timeout = 4");
            Path log = dir.resolve("stop.log");
            try (GatewayProcess gateway = GatewayProcess.start(config, port, log)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> requestBytes.get() > 0); // a call in flight
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
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
