package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.TestPeersExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A board without a hardware clock: frames received before systemd-timesyncd's file exists are flagged in
 * the canonical JSON and tagged in InfluxDB; once it exists, the next frames are not.
 */
@ExtendWith(TestPeersExtension.class)
class ClockSyncTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void framesBeforeTheClockIsSynchronisedAreFlagged(@TempDir Path dir, InfluxDb influx) throws Exception {
        Path timesync = Files.createDirectories(dir.resolve("run/systemd/timesync"));
        Path marker = timesync.resolve("synchronized");
        int port = ExternalProcess.freePort();
        Path config = Files.writeString(dir.resolve("site.properties"), String.join("\n",
                "tic.meters = maison",
                "tic.meter.maison.source = tic:simulator:linky-historic?pace=realtime",
                "tic.meter.maison.family = historic",
                "tic.clock.sync-file = " + marker,
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool.db"),
                "tic.files.enabled = false",
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = clock",
                "tic.influxdb.batch-size = 1",
                "camel.server.port = " + port, ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        gateway.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(port) != null);
            assertThat(latest(port).path("clockUnsynchronised").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> clockTags(influx).contains("unsynchronised"));

            Files.createFile(marker); // timesyncd reached an NTP server
            long flagged = latest(port).path("sequence").asLong();
            await().atMost(Duration.ofSeconds(30)).until(() -> latest(port).path("sequence").asLong() > flagged + 1);
            assertThat(latest(port).has("clockUnsynchronised")).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> influx.values("clock",
                    "SELECT count(\"PAPP\") FROM tic_historic WHERE \"clock\" != 'unsynchronised'").path(0).path(1).asInt() > 0);
        } finally {
            gateway.stop();
        }
    }

    @Test
    void withoutTimesyncdNothingIsFlagged(@TempDir Path dir) {
        assertThat(new ClockSync(dir.resolve("no-such-folder/synchronized").toString()).synchronised()).isTrue();
        assertThat(new ClockSync("").synchronised()).isTrue();
        assertThat(new ClockSync(dir.resolve("synchronized").toString()).synchronised()).isFalse();
    }

    /** The meter's latest frame from the REST API, or null before the first. */
    private JsonNode latest(int port) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/meters/maison")).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? ReadingJson.mapper().readTree(response.body()) : null;
    }

    private static String clockTags(InfluxDb influx) throws Exception {
        return influx.values("clock", "SHOW TAG VALUES FROM tic_historic WITH KEY = \"clock\"").toString();
    }
}
