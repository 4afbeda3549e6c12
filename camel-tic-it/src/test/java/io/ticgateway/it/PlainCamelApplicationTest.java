package io.ticgateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * camel-tic as an integrator uses it: a plain camel-main application in a JVM of its own, whose class path is
 * exactly camel-main, camel-yaml-dsl, camel-kamelet, a logger and camel-tic (this module's runtime
 * dependencies), runs a YAML route from {@code tic:simulator:…} and one from {@code kamelet:tic-source}.
 * A test's own class path would hide a missing dependency; this one cannot.
 */
class PlainCamelApplicationTest {

    @TempDir
    Path dir;

    private static String applicationClassPath() throws IOException {
        return Files.readString(Path.of(System.getProperty("application.classpath.file"))).trim();
    }

    /** Runs {@code org.apache.camel.main.Main} on the route file until it processed {@code messages}; its output. */
    private String runCamelMain(Path route, int messages) throws Exception {
        Path log = dir.resolve(route.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", applicationClassPath(), "org.apache.camel.main.Main")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CAMEL_MAIN_ROUTESINCLUDEPATTERN", "file:" + route);
        pb.environment().put("CAMEL_MAIN_DURATIONMAXMESSAGES", Integer.toString(messages));
        Process process = pb.start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended).as("camel-main ended by itself after %d messages:%n%s", messages, output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static long framesIn(String output) {
        return output.lines().filter(l -> l.contains("FRAME {\"meter\":")).count();
    }

    @Test
    void aYamlRouteReadsASimulatedMeter() throws Exception {
        Path route = Files.writeString(dir.resolve("simulator.yaml"), """
                - route:
                    id: meter
                    from:
                      uri: "tic:simulator:linky-standard?pace=asap&name=maison"
                      steps:
                        - convertBodyTo:
                            type: java.lang.String
                        - log: "FRAME ${body}"
                """);
        String output = runCamelMain(route, 5);
        assertThat(framesIn(output)).as(output).isGreaterThanOrEqualTo(5);
        // nothing of the gateway application leaks into the integrator's runtime
        assertThat(output).doesNotContain("tic-gateway").doesNotContain("0.0.0.0:8080");
    }

    @Test
    void theKameletRunsFromTheComponentsJar() throws Exception {
        Path route = Files.writeString(dir.resolve("kamelet.yaml"), """
                - route:
                    id: from-kamelet
                    from:
                      uri: "kamelet:tic-source"
                      parameters:
                        transport: simulator
                        address: pmepmi
                        pace: asap
                        reconnectDelay: 2s
                      steps:
                        - log: "FRAME ${body}"
                """);
        // camel-main stops on its message count while the last exchange may still be logging: ask for more
        String output = runCamelMain(route, 6);
        assertThat(framesIn(output)).as(output).isGreaterThanOrEqualTo(3);
        assertThat(output).contains("\"mode\":\"pmepmi\"");
    }

    @Test
    void theComponentsJarCarriesNoApplicationConfiguration() throws Exception {
        String jar = List.of(applicationClassPath().split(java.io.File.pathSeparator)).stream()
                .filter(p -> p.contains("camel-tic")).findFirst().orElseThrow();
        if (Path.of(jar).toFile().isDirectory()) { // a reactor build that stopped before packaging
            assertThat(Path.of(jar, "application.properties")).doesNotExist();
            return;
        }
        try (ZipFile zip = new ZipFile(jar)) {
            assertThat(zip.getEntry("application.properties")).isNull();
            assertThat(zip.getEntry("META-INF/services/org/apache/camel/component.properties")).isNotNull();
            assertThat(zip.getEntry("corpus/SOURCES.md")).as("test captures stay out of the jar").isNull();
        }
    }
}
