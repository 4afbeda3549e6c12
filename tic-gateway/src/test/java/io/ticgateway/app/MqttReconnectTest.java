package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker restarted (Home Assistant's Mosquitto add-on at each update) gets the states again within seconds
 * of its return: the MQTT clients try again every 4 s at most, where Paho's own delay doubles up to 2 minutes
 * (after a 20 s outage its next try came ~11 s after the broker was back).
 */
@ExtendWith(TestPeersExtension.class)
class MqttReconnectTest {

    @TempDir
    Path dir;

    @Test
    void statesComeBackWithinSecondsOfTheBrokersReturn(Mosquitto mosquitto) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = back",
                "tic.meter.back.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.meter.back.family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.enabled = false",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.interval = 0",
                "camel.server.port = " + ExternalProcess.freePort(), ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        gateway.start();
        try {
            try (MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/back/state")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> probe.messages().size() >= 2);
            }
            mosquitto.stop();
            // the outage itself, not a wait for a condition: long enough for Paho's doubling delay to pass 4 s
            Thread.sleep(20_000);
            mosquitto.start();
            try (MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/back/state")) { // a state sent after the return
                await().atMost(Duration.ofSeconds(8)).until(() -> probe.messages().stream().anyMatch(m -> !m.retained()));
            }
            // the states of the outage, lost (MQTT keeps no spool), are counted as such
            @SuppressWarnings("unchecked")
            Map<String, Object> dropped = (Map<String, Object>) ((Map<String, Object>) gateway.sinkCounters().snapshot()
                    .get("mqtt")).get("dropped");
            assertThat((long) dropped.getOrDefault("publish-failed", 0L)).isPositive();
        } finally {
            gateway.stop();
            if (!mosquitto.isRunning()) {
                mosquitto.start();
            }
        }
    }
}
