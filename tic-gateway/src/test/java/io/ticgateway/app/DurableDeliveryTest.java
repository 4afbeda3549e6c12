package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost: frames reach InfluxDB exactly once through InfluxDB outages, SIGKILLs of the gateway and a
 * capture replayed as fast as possible with every sink on; a clean stop says offline on MQTT.
 */
@ExtendWith(TestPeersExtension.class)
class DurableDeliveryTest {

    @TempDir
    Path dir;

    /** InfluxDB is shared by the class: a test that stopped it and failed must not leave it down for the next. */
    @org.junit.jupiter.api.AfterEach
    void influxBackUp(InfluxDb influx) throws Exception {
        if (!influx.isRunning()) {
            influx.start();
        }
    }

    private static long points(InfluxDb influx, String database) throws Exception {
        return influx.values(database, "SELECT count(\"EAST\") FROM tic_standard").path(0).path(1).asLong();
    }

    private Path config(String name, String source, int port, String database, InfluxDb influx, String... more)
            throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = " + database,
                "tic.influxdb.retry-delay = 200",
                "tic.spool.max-retry-delay = 1000"));
        lines.addAll(List.of(more));
        return SimMeterConfig.writeWithSource(dir, name, port, source, lines.toArray(String[]::new));
    }

    @Test
    void framesArrivingWhileInfluxDbIsDownAllLandOnceItIsBack(InfluxDb influx) throws Exception {
        int frames = 1_200;
        Path capture = SimulatedCapture.standard(dir.resolve("capture.bin"), frames);
        influx.stop();
        int port = ExternalProcess.freePort();
        GatewayMain gateway = new GatewayMain(config("outage.properties", "tic:file:" + capture + "?pace=asap", port,
                "outage", influx), name -> null);
        try {
            gateway.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.delivery().spool().depth("influxdb") == frames);
            // longer than many attempts: the batch stays in the spool, no attempt limit drops it
            await().atMost(Duration.ofSeconds(30)).until(() -> failures(gateway) >= 5);
            influx.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> points(influx, "outage") == frames
                    && gateway.delivery().spool().depth("influxdb") == 0);
            assertThat(points(influx, "outage")).isEqualTo(frames);
        } finally {
            gateway.stop();
        }
    }

    private static long failures(GatewayMain gateway) {
        return ReadingJson.mapper().valueToTree(gateway.sinkCounters().snapshot()).path("influxdb").path("failures").asLong();
    }

    /**
     * Points InfluxDB refuses for good (older than the database's retention) are counted and leave the spool:
     * they do not hold the later frames back.
     */
    @Test
    void pointsRefusedForGoodAreCountedAndDoNotBlockTheOthers(InfluxDb influx) throws Exception {
        try (org.influxdb.InfluxDB client = org.influxdb.InfluxDBFactory.connect(influx.url())) {
            client.query(new org.influxdb.dto.Query("CREATE DATABASE refused WITH DURATION 1h NAME short"));
        }
        Path old = Files.write(dir.resolve("2023.bin"), io.ticgateway.Corpus.bytes(io.ticgateway.Corpus.STANDARD_LAINS));
        int port = ExternalProcess.freePort();
        Path config = config("refused.properties", "tic:file:" + old + "?pace=asap", port, "refused", influx,
                "tic.meters = sim, live", "tic.meter.live.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.meter.live.family = standard", "tic.influxdb.batch-size = 5", "tic.influxdb.batch-interval = 200");
        GatewayMain gateway = new GatewayMain(config, name -> null);
        try {
            gateway.start();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    gateway.sinkCounters().droppedCount("influxdb", "refused-by-sink") == 12 // the 2023 frames
                    && influx.values("refused", "SELECT count(\"EAST\") FROM tic_standard WHERE meter='live'").path(0)
                            .path(1).asLong() > 5);
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.delivery().spool().depth("influxdb") <= 5);
        } finally {
            gateway.stop();
        }
    }

    /**
     * SIGKILL three times while the replay writes the spool (InfluxDB down), then once more after the whole
     * capture is in the spool, then a restart with a source that sends nothing new and InfluxDB back: every
     * frame lands exactly once. Each restart finds at least what the spool held before the kill.
     */
    @Test
    void sigkillDuringSpoolWritesAndDuringTheOutageLosesNothingAndDuplicatesNothing(InfluxDb influx) throws Exception {
        int frames = 4_000;
        Path capture = SimulatedCapture.standard(dir.resolve("capture.bin"), frames);
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        influx.stop();
        int port = ExternalProcess.freePort();
        Path replay = config("replay.properties", "tic:file:" + capture + "?pace=asap", port, "killed", influx);
        long seenBeforeKill = 0;
        for (int kill = 1; kill <= 3; kill++) {
            // closed (a no-op after the kill) even when an assertion fails: no gateway outlives the test
            try (GatewayProcess gateway = GatewayProcess.start(replay, port, dir.resolve("gateway-" + kill + ".log"))) {
                long floor = seenBeforeKill;
                await().atMost(Duration.ofSeconds(60)).until(() -> gateway.spoolDepth("influxdb") >= floor);
                long target = floor + 300;
                await().atMost(Duration.ofSeconds(60)).until(() -> gateway.spoolDepth("influxdb") >= target);
                seenBeforeKill = gateway.spoolDepth("influxdb");
                gateway.kill();
            }
        }
        long spooled;
        try (GatewayProcess whole = GatewayProcess.start(replay, port, dir.resolve("gateway-4.log"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> whole.frames("sim") == frames);
            spooled = whole.spoolDepth("influxdb");
            assertThat(spooled).isGreaterThanOrEqualTo(frames); // replays after kills spool the same frames again
            whole.kill();
        }

        GatewayProcess quiet = GatewayProcess.start(config("quiet.properties", "tic:file:" + empty, port, "killed", influx),
                port, dir.resolve("gateway-5.log"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> quiet.spoolDepth("influxdb") >= 0);
            assertThat(quiet.spoolDepth("influxdb")).isEqualTo(spooled); // the spool reopened without deleting anything
            influx.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> quiet.spoolDepth("influxdb") == 0);
            assertThat(points(influx, "killed")).isEqualTo(frames); // every frame once: replayed frames land on the same points
        } finally {
            quiet.close();
        }
    }

    /** 50,000 frames as fast as possible, files, InfluxDB and MQTT on, default batches and queues: none lost. */
    @Test
    void aLongCaptureReplayedAsFastAsPossibleReachesEverySink(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        int frames = 50_000;
        Path capture = SimulatedCapture.standard(dir.resolve("capture.bin"), frames);
        int port = ExternalProcess.freePort();
        GatewayMain gateway = new GatewayMain(config("load.properties", "tic:file:" + capture + "?pace=asap", port, "load",
                influx, "tic.mqtt.enabled = true", "tic.mqtt.url = " + mosquitto.url(), "tic.mqtt.client-id = gw-load",
                "tic.influxdb.retry-delay = 2000", "tic.spool.max-retry-delay = 30000"), name -> null);
        try (MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/sim/state")) {
            gateway.start();
            await().atMost(Duration.ofSeconds(180)).until(() -> gateway.store().meter("sim") != null
                    && gateway.store().meter("sim").frames() == frames);
            await().atMost(Duration.ofSeconds(120)).until(() -> points(influx, "load") == frames);
            Path jsonl;
            try (Stream<Path> files = Files.walk(dir.resolve("data/frames"))) {
                jsonl = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(jsonl) == frames);
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.last("tic/sim/state") != null);
            JsonNode sinks = ReadingJson.mapper().valueToTree(gateway.sinkCounters().snapshot());
            for (String sink : List.of("files", "influxdb", "mqtt")) {
                assertThat(sinks.path(sink).path("dropped").size()).as(sink + ": every reason listed").isPositive();
                sinks.path(sink).path("dropped").forEach(n -> assertThat(n.asLong()).as(sink + " drops: " + sinks).isZero());
            }
            assertThat(sinks.path("files").path("delivered").asLong()).isEqualTo(frames);
            assertThat(sinks.path("influxdb").path("delivered").asLong()).isEqualTo(frames);
        } finally {
            gateway.stop();
        }
    }

    private static long lines(Path file) throws Exception {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /**
     * SIGTERM: the gateway and every meter say offline (retained) before the gateway disconnects. And at
     * start, a meter of the saved state that is no longer configured has its retained topics emptied.
     */
    @Test
    void aCleanStopLeavesOfflineOnEveryAvailabilityTopic(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/state.json"), """
                {"format": 2, "meters": {"garage": {"meterId": "021728123456", "family": "historic", "frames": 3,
                 "updatedAt": 1767571200000, "latest": {"groups": {"BASE": {"raw": "001234567"}}}}}}
                """);
        try (MqttProbe before = new MqttProbe(mosquitto.url(), "#")) { // what a gateway of the past left retained
            before.publish("homeassistant/sensor/tic_021728123456/base/config", "{\"name\":\"BASE\"}", true);
            before.publish("tic/garage/state", "{}", true);
        }
        int port = ExternalProcess.freePort();
        Path config = config("stop.properties", "tic:simulator:linky-standard?pace=realtime&baudRate=38400", port,
                "stop", influx, "tic.mqtt.enabled = true", "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.client-id = gw-stop");
        Path log = dir.resolve("stop.log");
        try (GatewayProcess gateway = GatewayProcess.start(config, port, log);
             MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/+/availability")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "online".equals(probe.last("tic/sim/availability"))
                    && "online".equals(probe.last("tic/gateway/availability")));
            // a subscriber that came before the clearing would get its empty messages: one that comes after gets nothing
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log)
                    .contains("Retained messages of the removed meter(s) [garage] cleared"));
            try (MqttProbe removed = new MqttProbe(mosquitto.url(), "#")) { // emptied: nothing retained any more
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                        removed.last("homeassistant/sensor/tic_021728123456/base/config") == null
                        && removed.last("tic/garage/state") == null);
            }
            gateway.close(); // SIGTERM
            await().atMost(Duration.ofSeconds(20)).until(() -> "offline".equals(probe.last("tic/sim/availability"))
                    && "offline".equals(probe.last("tic/gateway/availability")));
        }
        try (MqttProbe late = new MqttProbe(mosquitto.url(), "tic/+/availability")) { // what a new subscriber gets: retained
            await().atMost(Duration.ofSeconds(10)).until(() -> "offline".equals(late.last("tic/sim/availability"))
                    && "offline".equals(late.last("tic/gateway/availability")));
        }
        assertThat(Files.readString(log)).contains("TIC Gateway stopped");
    }

    /**
     * A meter removed from the configuration while the broker is down: it stays in state.json until its
     * retained Home Assistant configs are emptied, which happens once the broker is back.
     */
    @Test
    void aMeterRemovedWhileTheBrokerIsDownIsClearedOnceItIsBack(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        Path state = Files.createDirectories(dir.resolve("data")).resolve("state.json");
        Files.writeString(state, """
                {"format": 2, "meters": {"garage": {"meterId": "021728123456", "family": "historic", "frames": 3,
                 "updatedAt": 1767571200000, "latest": {"groups": {"BASE": {"raw": "001234567"}}}}}}
                """);
        mosquitto.stop();
        int port = ExternalProcess.freePort();
        Path config = config("removed.properties", "tic:simulator:linky-standard?pace=realtime&baudRate=38400", port,
                "removed", influx, "tic.mqtt.enabled = true", "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.client-id = gw-removed", "tic.state.save-interval = 300");
        try (GatewayProcess gateway = GatewayProcess.start(config, port, dir.resolve("removed.log"))) {
            // saved while the broker is down: the removed meter is still owed its clean-up
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(state).contains("\"sim\"")
                    && Files.readString(state).contains("\"removed\""));
            assertThat(Files.readString(state)).contains("\"garage\"");
            mosquitto.start();
            try (MqttProbe probe = new MqttProbe(mosquitto.url(), "#")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> probe.messages().stream().anyMatch(m ->
                        m.topic().equals("homeassistant/sensor/tic_021728123456/base/config") && m.payload().isEmpty()));
                await().atMost(Duration.ofSeconds(10)).until(() -> !Files.readString(state).contains("\"removed\""));
            }
            assertThat(Files.readString(state)).doesNotContain("\"garage\"");
        } finally {
            if (!mosquitto.isRunning()) {
                mosquitto.start();
            }
        }
    }
}
