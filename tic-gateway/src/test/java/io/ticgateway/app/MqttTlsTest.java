package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.Mosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS with a password, against Mosquitto with a TLS listener and a password file, certificates
 * made here by openssl (a CA, the broker's certificate with subjectAltName IP:127.0.0.1): the gateway
 * trusts the CA from its PEM file, and a client with the CA reads what it published.
 */
class MqttTlsTest {

    @TempDir
    Path dir;

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    @Test
    void theGatewayPublishesOverTlsWithAPassword() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=tic-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out", "broker.csr", "-subj",
                "/CN=127.0.0.1");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "broker.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "broker.crt", "-days", "2", "-extfile", "san.ext");
        try (Mosquitto broker = new Mosquitto(dir.resolve("mosquitto")).withTls(dir.resolve("ca.crt"),
                dir.resolve("broker.crt"), dir.resolve("broker.key"), "tic", "s3cret").start()) {
            String url = "ssl://127.0.0.1:" + broker.port();
            Path config = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                    "tic.meters = sim",
                    "tic.meter.sim.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                    "tic.meter.sim.family = standard",
                    "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                    "tic.state.file = " + dir.resolve("state.json"),
                    "tic.files.enabled = false",
                    "camel.server.port = " + ExternalProcess.freePort(),
                    "tic.mqtt.enabled = true",
                    "tic.mqtt.url = " + url,
                    "tic.mqtt.username = tic",
                    "tic.mqtt.password = s3cret",
                    "tic.mqtt.tls.ca = " + dir.resolve("ca.crt"),
                    "tic.mqtt.interval = 500", ""));
            GatewayMain gateway = new GatewayMain(config, name -> null);
            try {
                gateway.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> ReadingJson.mapper()
                        .valueToTree(gateway.sinkCounters().snapshot()).path("mqtt").path("delivered").asLong() > 3);
                // a client of its own, over TLS with the same CA and account, gets the retained state
                Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                        "--cafile", dir.resolve("ca.crt").toString(), "-u", "tic", "-P", "s3cret", "-t", "tic/sim/state",
                        "-C", "1", "-W", "10").redirectErrorStream(true).start();
                String state = new String(sub.getInputStream().readAllBytes());
                assertThat(sub.waitFor(15, TimeUnit.SECONDS)).isTrue();
                assertThat(state).contains("\"meter\":\"041876543210\"");
                assertThat(ReadingJson.mapper().valueToTree(gateway.sinkCounters().snapshot()).path("mqtt")
                        .path("failures").asLong()).isZero();
            } finally {
                gateway.stop();
            }
        }
    }
}
