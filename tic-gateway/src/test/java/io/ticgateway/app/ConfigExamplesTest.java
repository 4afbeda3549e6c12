package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.TicMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped configuration and its example profiles pass the startup checks and select the right routes. */
class ConfigExamplesTest {

    /** Loads an example as the gateway does; the users file an example points to is one made here. */
    private static GatewayConfig load(String file) {
        try {
            Path users = java.nio.file.Files.createTempFile("users", ".properties");
            java.nio.file.Files.writeString(users, "user.zabbix = example,reader\nrole.reader = *\n");
            users.toFile().deleteOnExit();
            // a free port: the start-up checks bind it, and 8080 may be taken on a shared machine
            Map<String, String> env = Map.of("CAMEL_SERVER_BASICPROPERTIESFILE", users.toString(),
                    "CAMEL_SERVER_PORT", String.valueOf(io.ticgateway.peers.ExternalProcess.freePort()));
            return new GatewayMain(Path.of(file), env::get).config();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String freePort() {
        try {
            return String.valueOf(io.ticgateway.peers.ExternalProcess.freePort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void embeddedDefaultIsASimulatedLinkyToRestAndFiles() {
        GatewayConfig config = new GatewayMain(null, Map.of("CAMEL_SERVER_PORT", freePort())::get).config();
        assertThat(config.meters()).containsExactly(new MeterConfig("linky", "tic:simulator:linky-standard", TicMode.STANDARD));
        assertThat(config.routesIncludePattern()).contains("/sinks/rest.yaml", "/sinks/files.yaml")
                .doesNotContain("influxdb", "mqtt", "kafka");
    }

    @Test
    void examples() {
        GatewayConfig influx = load("../config/examples/linky-standard-influxdb-grafana.properties");
        assertThat(influx.meters()).extracting(MeterConfig::name).containsExactly("maison");
        assertThat(influx.routesIncludePattern()).contains("/sinks/influxdb.yaml").doesNotContain("mqtt");

        GatewayConfig ha = load("../config/examples/historic-home-assistant.properties");
        assertThat(ha.meters().get(0).family()).isEqualTo(TicMode.HISTORIC);
        assertThat(ha.routesIncludePattern()).contains("/sinks/mqtt.yaml");

        GatewayConfig pme = load("../config/examples/pmepmi-influxdb-zabbix.properties");
        assertThat(pme.meters().get(0).family()).isEqualTo(TicMode.PMEPMI);
        assertThat(pme.camelOverrides()).containsOnlyKeys("camel.server.basicPropertiesFile", "camel.server.port"); // the test's

        GatewayConfig two = load("../config/examples/two-meters.properties");
        assertThat(two.meters()).extracting(MeterConfig::name).containsExactly("maison", "atelier");
        assertThat(two.routesIncludePattern()).contains("/sinks/mqtt.yaml", "/sinks/influxdb.yaml");

        GatewayConfig site = load("../config/examples/kafka-gateway.properties");
        assertThat(site.routesIncludePattern()).contains("/sinks/kafka.yaml").doesNotContain("/central/");

        // run against a real Kafka and InfluxDB by KafkaScaleOutTest
        GatewayConfig central = load("../config/examples/central.properties");
        assertThat(central.meters()).isEmpty();
        assertThat(central.routesIncludePattern()).contains("/central/*.yaml", "/sinks/influxdb.yaml");
    }

    /** Every example runs without its hardware, brokers or databases: TIC_SIMULATE=true, as docs/gateway.md says. */
    @Test
    void everyExampleRunsOnTheSimulatorWithOneOverride(@TempDir Path dir) throws Exception {
        Path users = java.nio.file.Files.writeString(dir.resolve("users.properties"), "user.zabbix = example,reader\nrole.reader = *\n");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String example : List.of("linky-standard-influxdb-grafana", "historic-home-assistant", "pmepmi-influxdb-zabbix",
                "two-meters", "demo", "kafka-gateway")) {
            int port = io.ticgateway.peers.ExternalProcess.freePort();
            Map<String, String> env = Map.of("TIC_SIMULATE", "true", "CAMEL_SERVER_PORT", String.valueOf(port),
                    "CAMEL_SERVER_BASICPROPERTIESFILE", users.toString(),
                    "TIC_ROUTES_DIR", Path.of("../routes").toAbsolutePath().toString(),
                    "TIC_STATE_FILE", dir.resolve(example + "/state.json").toString(),
                    "TIC_SPOOL_FILE", dir.resolve(example + "/spool.db").toString(),
                    "TIC_FILES_DIR", dir.resolve(example + "/frames").toString());
            GatewayMain gateway = new GatewayMain(Path.of("../config/examples/" + example + ".properties"), env::get);
            assertThat(gateway.config().meters()).as(example)
                    .allMatch(m -> m.source().startsWith("tic:simulator:") && m.source().contains("?pace=realtime&name=" + m.name()));
            // two meters never play the same simulated meter under the same id (one Home Assistant device each)
            assertThat(gateway.config().meters().stream().map(m -> m.source().replaceAll("&name=[^&]*", "")).distinct())
                    .as(example).hasSameSizeAs(gateway.config().meters());
            try {
                gateway.start();
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/meters"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("zabbix:example".getBytes())).build();
                int meters = gateway.config().meters().size();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                    String body = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    return body.split("\"frames\":").length - 1 == meters && !body.contains("\"frames\":0");
                });
            } finally {
                gateway.stop();
            }
        }
    }

    @Test
    void simulatedSourcesKeepTheirKindAndTwinsGetTheirOwnIds() {
        MeterConfig tri = new MeterConfig("a", GatewayConfig.simulated("tic:simulator:linky-standard-tri", TicMode.STANDARD,
                "a", List.of()), TicMode.STANDARD);
        assertThat(tri.source()).isEqualTo("tic:simulator:linky-standard-tri?pace=realtime&name=a");
        MeterConfig serial = new MeterConfig("b", GatewayConfig.simulated("tic:serial:/dev/ttyUSB0", TicMode.STANDARD,
                "b", List.of(tri)), TicMode.STANDARD);
        assertThat(serial.source()).isEqualTo("tic:simulator:linky-standard?pace=realtime&name=b");
        String twin = GatewayConfig.simulated("tic:tcp:host:2001", TicMode.STANDARD, "c", List.of(tri, serial));
        assertThat(twin).startsWith("tic:simulator:linky-standard?pace=realtime&name=c&meterId=").matches(".*meterId=\\d{12}");
    }

    @Test
    void environmentOverridesAnyKey() {
        GatewayMain main = new GatewayMain(null, Map.of("TIC_MQTT_ENABLED", "true", "CAMEL_SERVER_PORT", freePort(),
                "TIC_METER_LINKY_SOURCE", "tic:simulator:linky-historic", "TIC_METER_LINKY_FAMILY", "historic")::get);
        assertThat(main.config().routesIncludePattern()).contains("/sinks/mqtt.yaml");
        assertThat(main.config().camelOverrides()).containsKey("camel.server.port");
        assertThat(main.config().meters().get(0).family()).isEqualTo(TicMode.HISTORIC);
    }
}
