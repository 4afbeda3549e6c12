package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sinks going down and coming back: the gateway starts with InfluxDB and Mosquitto down and serves REST;
 * they come up and data flows; InfluxDB stops mid-run: MQTT keeps flowing, failures are counted;
 * InfluxDB returns and the points flow again.
 */
@ExtendWith(TestPeersExtension.class)
class GatewayOutageTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + labels + "[^}]*} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static int count(InfluxDb influx) throws Exception {
        return influx.values("outage", "SELECT count(\"EAST\") FROM tic_standard").path(0).path(1).asInt();
    }

    @Test
    void sinksDownAtStartThenUpThenInfluxDownAndBack(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        influx.stop(); // both down when the gateway starts
        mosquitto.stop();
        int port = ExternalProcess.freePort();
        Path config = SimMeterConfig.writeWithSource(dir, "application.properties", port,
                "tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.files.enabled = false",
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = outage",
                "tic.influxdb.batch-size = 5",
                "tic.influxdb.batch-interval = 300",
                "tic.influxdb.retry-delay = 200",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.client-id = gw-outage",
                "tic.mqtt.interval = 500",
                "camel.routecontroller.back-off-delay = 1000");
        GatewayMain gateway = new GatewayMain(config, name -> null);
        try {
            gateway.start(); // nothing listens on the InfluxDB and MQTT ports
            await().atMost(Duration.ofSeconds(20)).until(() -> get(port, "/api/meters").contains("\"sim\""));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    metric(get(port, "/observe/metrics"), "tic_sink_failures_total", "sink=\"influxdb\"") > 0
                    && metric(get(port, "/observe/metrics"), "tic_sink_failures_total", "sink=\"mqtt\"") > 0);
            // the broker, down since the start, is tried every 4 s and not once per message: those between are
            // dropped and counted (broker-down)
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    metric(get(port, "/observe/metrics"), "tic_sink_dropped_total", "reason=\"broker-down\"") >= 10);
            String metrics = get(port, "/observe/metrics");
            assertThat(metric(metrics, "tic_sink_failures_total", "sink=\"mqtt\""))
                    .isLessThan(metric(metrics, "tic_sink_dropped_total", "reason=\"broker-down\""));

            influx.start();
            mosquitto.start();
            try (MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/#")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> count(influx) > 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> probe.last("tic/sim/state") != null);

                influx.stop(); // mid-run
                double failuresBefore = metric(get(port, "/observe/metrics"), "tic_sink_failures_total",
                        "sink=\"influxdb\"");
                int stateMessages = probe.messages().size();
                await().atMost(Duration.ofSeconds(30)).until(() -> metric(get(port, "/observe/metrics"),
                        "tic_sink_failures_total", "sink=\"influxdb\"") > failuresBefore);
                await().atMost(Duration.ofSeconds(20)).until(() -> probe.messages().size() > stateMessages + 3);

                influx.start(); // back, with its data
                int pointsBefore = count(influx);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(influx) > pointsBefore + 5);
            }
            assertThat(get(port, "/api/meters")).contains("\"status\":\"UP\"");
        } finally {
            gateway.stop();
        }
    }
}
