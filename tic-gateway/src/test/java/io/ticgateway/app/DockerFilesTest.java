package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ticgateway.peers.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker files, read as Docker reads them (no engine runs on the build machines): the compose stack's
 * health checks, start order, volumes, secrets, device and time zone, and the image's health check script
 * run against a real gateway.
 */
class DockerFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode compose(String file) throws IOException {
        return YAML.readTree(Path.of("../docker", file).toFile()).path("services");
    }

    @Test
    void everyServiceTheGatewayNeedsIsHealthyBeforeItStarts() throws Exception {
        JsonNode services = compose("compose.yaml");
        for (String peer : List.of("mosquitto", "influxdb", "grafana")) {
            JsonNode test = services.path(peer).path("healthcheck").path("test");
            assertThat(test.isArray() && test.size() > 1).as(peer + " health check").isTrue();
            assertThat(test.get(0).asText()).isIn("CMD", "CMD-SHELL");
        }
        JsonNode dependsOn = services.path("gateway").path("depends_on");
        assertThat(dependsOn.fieldNames()).toIterable().containsExactlyInAnyOrder("mosquitto", "influxdb");
        dependsOn.forEach(d -> assertThat(d.path("condition").asText()).isEqualTo("service_healthy"));
        assertThat(services.path("grafana").path("depends_on").path("influxdb").path("condition").asText())
                .isEqualTo("service_healthy");
    }

    /** Grafana's provisioning reads its dashboards where compose mounts them. */
    @Test
    void theDashboardsAreWhereTheProvisioningLooks() throws Exception {
        String path = YAML.readTree(Path.of("../docker/grafana/dashboards.yaml").toFile()).path("providers").path(0)
                .path("options").path("path").asText();
        List<String> mounts = new ArrayList<>();
        compose("compose.yaml").path("grafana").path("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts).contains("./grafana/dashboards:" + path + ":ro");
        try (var files = Files.list(Path.of("../docker/grafana/dashboards"))) {
            assertThat(files.map(f -> f.getFileName().toString())).contains("tic-standard.json", "tic-historic.json",
                    "tic-pmepmi.json");
        }
    }

    /** The image builds from the files it copies: every module the root pom lists has its pom there. */
    @Test
    void theImageCopiesEveryModulePom() throws Exception {
        String dockerfile = Files.readString(Path.of("../docker/Dockerfile"));
        java.util.regex.Matcher module = java.util.regex.Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(Path.of("../pom.xml")));
        while (module.find()) {
            String name = module.group(1);
            assertThat(dockerfile).as(name).containsPattern("COPY " + name + "(/pom.xml)? " + name);
        }
    }

    @Test
    void stateLivesInVolumesAndNothingHasADefaultPassword() throws Exception {
        JsonNode services = compose("compose.yaml");
        Map<String, String> dataPaths = Map.of("gateway", "/app/data", "mosquitto", "/mosquitto/data",
                "influxdb", "/var/lib/influxdb", "grafana", "/var/lib/grafana");
        JsonNode volumes = YAML.readTree(Path.of("../docker/compose.yaml").toFile()).path("volumes");
        dataPaths.forEach((service, path) -> {
            List<String> mounts = new ArrayList<>();
            services.path(service).path("volumes").forEach(v -> mounts.add(v.asText()));
            assertThat(mounts).as(service).anySatisfy(m -> {
                String[] parts = m.split(":");
                assertThat(parts[1]).isEqualTo(path);
                assertThat(volumes.has(parts[0])).as(parts[0] + " declared as a named volume").isTrue();
            });
        });
        assertThat(Files.readString(Path.of("../docker/mosquitto.conf"))).contains("persistence_location /mosquitto/data/");
        String password = services.path("grafana").path("environment").path("GF_SECURITY_ADMIN_PASSWORD").asText();
        assertThat(password).matches("\\$\\{GRAFANA_ADMIN_PASSWORD:\\?[^}]+}"); // required, no default
        assertThat(Files.readString(Path.of("../docker/env.example"))).contains("GRAFANA_ADMIN_PASSWORD=\n");
    }

    @Test
    void everyContainerRunsInParisTimeAndTheGatewayTakesItsPortFromTheConfiguration() throws Exception {
        JsonNode services = compose("compose.yaml");
        services.forEach(s -> assertThat(s.path("environment").path("TZ").asText()).isEqualTo("Europe/Paris"));
        JsonNode gateway = services.path("gateway");
        String port = gateway.path("environment").path("CAMEL_SERVER_PORT").asText();
        assertThat(port).isEqualTo("${TIC_HTTP_PORT:-8080}");
        assertThat(gateway.path("ports").get(0).asText()).isEqualTo(port + ":" + port);
        assertThat(gateway.path("environment").path("TIC_CONFIG").asText()).contains("/app/config/examples/demo.properties");
        // the anonymous broker is published on the host's loopback unless MQTT_BIND says otherwise
        assertThat(services.path("mosquitto").path("ports").get(0).asText()).isEqualTo("${MQTT_BIND:-127.0.0.1}:1883:1883");
        assertThat(Files.readString(Path.of("../docker/mosquitto.conf"))).contains("allow_anonymous true");
        assertThat(Path.of("../config/examples/demo.properties")).exists();

        String dockerfile = Files.readString(Path.of("../docker/Dockerfile"));
        assertThat(dockerfile).contains("TZ=Europe/Paris").contains("HEALTHCHECK").contains("/app/healthcheck.sh")
                .doesNotContain("/dev/tcp/127.0.0.1/8080");
    }

    @Test
    void theMeterOverrideAddsTheDeviceWithTheSerialGroup() throws Exception {
        JsonNode gateway = compose("compose.meter.yaml").path("gateway");
        assertThat(gateway.path("devices").get(0).asText()).matches("\\$\\{TIC_DEVICE:\\?[^}]+}:/dev/tic0");
        assertThat(gateway.path("group_add").get(0).asText()).isEqualTo("dialout");
    }

    @Test
    void theImageHealthCheckAsksTheConfiguredPort(@TempDir Path dir) throws Exception {
        int port = ExternalProcess.freePort();
        Path config = Files.writeString(dir.resolve("site.properties"), String.join("\n",
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.files.dir = " + dir.resolve("frames"),
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "camel.server.port = " + port, ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        gateway.start();
        try {
            assertThat(healthCheck(Map.of("TIC_CONFIG", config.toString()))).isZero();
            assertThat(healthCheck(Map.of("TIC_CONFIG", config.toString(), "CAMEL_SERVER_PORT", String.valueOf(port))))
                    .isZero();
            int nobody = ExternalProcess.freePort();
            assertThat(healthCheck(Map.of("TIC_CONFIG", config.toString(), "CAMEL_SERVER_PORT", String.valueOf(nobody))))
                    .isNotZero();
        } finally {
            gateway.stop();
        }
        assertThat(healthCheck(Map.of("TIC_CONFIG", config.toString()))).as("gateway stopped").isNotZero();
    }

    /** Runs docker/healthcheck.sh as Docker would, with only the given environment; its exit status. */
    private static int healthCheck(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("../docker/healthcheck.sh").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
