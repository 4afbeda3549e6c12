package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.TicMode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped configuration and its example profiles pass the startup checks and select the right routes. */
class ConfigExamplesTest {

    /** Loads an example as the gateway does; the users file an example points to is one made here. */
    private static GatewayConfig load(String file) {
        try {
            Path users = java.nio.file.Files.createTempFile("users", ".properties");
            java.nio.file.Files.writeString(users, "user.zabbix = example,reader\nrole.reader = *\n");
            users.toFile().deleteOnExit();
            return new GatewayMain(Path.of(file), name -> "CAMEL_SERVER_BASICPROPERTIESFILE".equals(name)
                    ? users.toString() : null).config();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void embeddedDefaultIsASimulatedLinkyToRestAndFiles() {
        GatewayConfig config = new GatewayMain(null, name -> null).config();
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
        assertThat(pme.camelOverrides()).containsOnlyKeys("camel.server.basicPropertiesFile"); // the test's users file

        GatewayConfig two = load("../config/examples/two-meters.properties");
        assertThat(two.meters()).extracting(MeterConfig::name).containsExactly("maison", "atelier");
        assertThat(two.routesIncludePattern()).contains("/sinks/mqtt.yaml", "/sinks/influxdb.yaml");
    }

    @Test
    void environmentOverridesAnyKey() {
        GatewayMain main = new GatewayMain(null, Map.of("TIC_MQTT_ENABLED", "true", "CAMEL_SERVER_PORT", "9999",
                "TIC_METER_LINKY_SOURCE", "tic:simulator:historic", "TIC_METER_LINKY_FAMILY", "historic")::get);
        assertThat(main.config().routesIncludePattern()).contains("/sinks/mqtt.yaml");
        assertThat(main.config().camelOverrides()).containsEntry("camel.server.port", "9999");
        assertThat(main.config().meters().get(0).family()).isEqualTo(TicMode.HISTORIC);
    }
}
