package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB 1.x with authentication on (influxd {@code auth-enabled}): a wrong password is a counted failure
 * that keeps every frame in the spool; the right one delivers them all.
 */
class InfluxDbAuthenticationTest {

    @TempDir
    Path dir;

    private Path config(String name, Path capture, InfluxDb influx, String password) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n",
                "tic.meters = sim",
                "tic.meter.sim.source = tic:file:" + capture + "?pace=asap",
                "tic.meter.sim.family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.enabled = false",
                "camel.server.port = " + ExternalProcess.freePort(),
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = secured",
                "tic.influxdb.username = tic",
                "tic.influxdb.password = " + password,
                "tic.influxdb.retry-delay = 200",
                "tic.spool.max-retry-delay = 500", ""));
    }

    @Test
    void aWrongPasswordKeepsTheFramesAndTheRightOneDeliversThem() throws Exception {
        int frames = 300;
        Path capture = SimulatedCapture.standard(dir.resolve("capture.bin"), frames);
        try (InfluxDb influx = new InfluxDb(dir.resolve("influx")).withAuthentication().start()) {
            influx.createAdmin("tic", "s3cret");
            GatewayMain wrong = new GatewayMain(config("wrong.properties", capture, influx, "not-the-password"), n -> null);
            try {
                wrong.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> wrong.delivery().spool().depth("influxdb") == frames
                        && ReadingJson.mapper().valueToTree(wrong.sinkCounters().snapshot()).path("influxdb")
                                .path("failures").asLong() >= 2);
                assertThat(ReadingJson.mapper().valueToTree(wrong.sinkCounters().snapshot()).path("influxdb")
                        .path("lastError").asText()).containsIgnoringCase("authoriz");
            } finally {
                wrong.stop();
            }
            Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
            GatewayMain right = new GatewayMain(config("right.properties", empty, influx, "s3cret"), n -> null);
            try {
                right.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> influx.values("secured",
                        "SELECT count(\"EAST\") FROM tic_standard", "tic", "s3cret").path(0).path(1).asLong() == frames);
                await().atMost(Duration.ofSeconds(10)).until(() -> right.delivery().spool().depth("influxdb") == 0);
            } finally {
                right.stop();
            }
        }
    }
}
