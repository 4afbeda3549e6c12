package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.processor.aggregate.AggregateProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tic.mqtt.interval = 0}: per-frame publishing. A capture replayed as fast as it can be read gives
 * one state per frame at the broker, in the order of the frames (with an interval, frames of one interval
 * supersede each other).
 */
@ExtendWith(TestPeersExtension.class)
class MqttPerFrameTest {

    @TempDir
    Path dir;

    @Test
    void everyFrameIsOneStateInOrder(Mosquitto mosquitto) throws Exception {
        // 3,000: enough to fill Paho's in-flight window, whose retry once let later states overtake a frame
        GatewayMain gateway = replay(mosquitto, "std", 3000, "tic.files.enabled = false");
        try { // the interval mode's aggregation is not built (the route's choice is decided at start): nothing ticks
            List<AggregateProcessor> aggregations = gateway.camelContext().getRoute("sink-mqtt").filter("*").stream()
                    .filter(AggregateProcessor.class::isInstance).map(AggregateProcessor.class::cast).toList();
            assertThat(aggregations).isEmpty();
        } finally {
            gateway.stop();
        }
    }

    @Test
    void aFailingFilesSinkLeavesEveryFrameToMqtt(Mosquitto mosquitto) throws Exception {
        // the files sink runs on the reader's thread before MQTT: its folder, checked at start, is then replaced
        // by a file (its meter's folder cannot be made)
        Path frames = dir.resolve("frames");
        GatewayMain gateway = replay(mosquitto, "nofiles", 120, () -> {
            try {
                Files.delete(frames);
                Files.writeString(frames, "a file in the way");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "tic.files.enabled = true", "tic.files.dir = " + frames);
        try {
            Map<String, Object> sinks = gateway.sinkCounters().snapshot();
            assertThat(sinks).containsKeys("files", "mqtt").doesNotContainKey("meter");
            @SuppressWarnings("unchecked")
            Map<String, Object> files = (Map<String, Object>) sinks.get("files");
            assertThat((Map<String, Object>) files.get("dropped")).containsEntry("write-error", 120L);
            assertThat((long) files.get("failures")).isEqualTo(120);
        } finally {
            gateway.stop();
        }
    }

    /** Replays frames with per-frame MQTT and the given settings; every frame a state, in order. */
    private GatewayMain replay(Mosquitto mosquitto, String meter, int frames, String... settings) throws Exception {
        return replay(mosquitto, meter, frames, () -> { }, settings);
    }

    /** The same, {@code beforeStart} run once the gateway passed its start-up checks. */
    private GatewayMain replay(Mosquitto mosquitto, String meter, int frames, Runnable beforeStart, String... settings)
            throws Exception {
        MeterSimulator simulator = new MeterSimulator(SimulatedFamily.LINKY_STANDARD, null, 0, SimulatedCapture.START, 3);
        ByteArrayOutputStream capture = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++) {
            capture.write(simulator.nextFrame());
        }
        Path source = Files.write(dir.resolve("std.bin"), capture.toByteArray());
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = " + meter,
                "tic.meter." + meter + ".source = tic:file:" + source + "?pace=asap",
                "tic.meter." + meter + ".family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                String.join("\n", settings),
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.interval = 0",
                "camel.server.port = " + ExternalProcess.freePort(), ""));
        try (MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/" + meter + "/state")) {
            GatewayMain gateway = new GatewayMain(config, name -> null);
            beforeStart.run();
            gateway.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> sequences(probe, meter).size() >= frames);
                List<Long> sequences = sequences(probe, meter);
                assertThat(sequences).hasSize(frames).doesNotHaveDuplicates().isSorted();
            } catch (Throwable e) {
                gateway.stop();
                throw e;
            }
            return gateway;
        }
    }

    /** The frame sequence number of each state received, in arrival order. */
    private static List<Long> sequences(MqttProbe probe, String meter) {
        return probe.messages().stream().filter(m -> m.topic().equals("tic/" + meter + "/state"))
                .map(m -> Long.parseLong(m.payload().replaceFirst("(?s).*?\"sequence\":(\\d+).*", "$1"))).toList();
    }
}
