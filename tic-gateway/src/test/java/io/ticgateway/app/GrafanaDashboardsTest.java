package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.TestPeersExtension;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioned Grafana dashboards (docker/grafana/dashboards/) run, query by query, against a real
 * InfluxDB 1.x that the gateway fed with simulated meters: every panel of every dashboard returns data,
 * grouped by meter, on captures spanning more than two hours of meter time, replayed as fast as possible.
 * Standard and PME-PMI points carry the meter's time; historic frames carry none, so their points land
 * at the receive time (seconds apart in a replay).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestPeersExtension.class)
class GrafanaDashboardsTest {

    private static final Path DASHBOARDS = Path.of("../docker/grafana/dashboards");
    private static final Duration SPAN = Duration.ofMinutes(130);
    private static final String DAY = "time >= '2026-01-06T00:00:00Z' AND time < '2026-01-07T00:00:00Z'";

    @TempDir
    static Path dir;

    private InfluxDb influx;
    private GatewayMain gateway;
    private Instant replayStarted;
    private final Map<String, Integer> framesPerMeter = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    /** Writes a simulated meter's frames from {@code start} until {@link #SPAN} of its time has passed. */
    private Path capture(String name, SimulatedFamily family, String meterId, Instant start) throws IOException {
        MeterSimulator simulator = new MeterSimulator(family, meterId, 0, start.toEpochMilli(), 7);
        Path file = dir.resolve(name + ".bin");
        int frames = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (simulator.clockMillis() < start.plus(SPAN).toEpochMilli()) {
                out.write(simulator.nextFrame());
                frames++;
            }
        }
        framesPerMeter.put(name, frames);
        return file;
    }

    @BeforeAll
    void replayTheMeters(InfluxDb influx) throws Exception {
        this.influx = influx;
        Map<String, String> meters = new LinkedHashMap<>();
        // 05:00-07:10 and 11:00-13:10 in Paris: off-peak to peak, and the sun on the producer's panels
        meters.put("tri", "standard:" + capture("tri", SimulatedFamily.LINKY_STANDARD_TRI, null, Instant.parse("2026-01-06T04:00:00Z")));
        meters.put("prod", "standard:" + capture("prod", SimulatedFamily.LINKY_PRODUCER, null, Instant.parse("2026-01-06T10:00:00Z")));
        meters.put("histo", "historic:" + capture("histo", SimulatedFamily.HISTORIC_TRI, null, Instant.parse("2026-01-06T04:00:00Z")));
        meters.put("pme1", "pmepmi:" + capture("pme1", SimulatedFamily.PMEPMI, "041436028024", Instant.parse("2026-01-06T04:00:00Z")));
        meters.put("pme2", "pmepmi:" + capture("pme2", SimulatedFamily.PMEPMI, "041436028025", Instant.parse("2026-01-06T04:00:00Z")));
        List<String> config = new ArrayList<>(List.of(
                "tic.meters = " + String.join(", ", meters.keySet()),
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.enabled = false",
                "camel.server.port = " + ExternalProcess.freePort(),
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = grafana",
                "tic.influxdb.batch-size = 2000",
                "tic.influxdb.batch-interval = 200"));
        meters.forEach((name, source) -> {
            String[] familyAndFile = source.split(":", 2);
            config.add("tic.meter." + name + ".family = " + familyAndFile[0]);
            config.add("tic.meter." + name + ".source = tic:file:" + familyAndFile[1]);
        });
        Path file = dir.resolve("application.properties");
        Files.write(file, config);
        replayStarted = Instant.now();
        gateway = new GatewayMain(file, name -> null);
        gateway.start();
        // one point per frame: a field every frame of the family carries
        await().atMost(Duration.ofSeconds(90)).until(() -> points("SINSTS", "tic_standard", "tri|prod")
                == framesPerMeter.get("tri") + framesPerMeter.get("prod")
                && points("IINST1", "tic_historic", "histo") == framesPerMeter.get("histo")
                && points("TGPHI_s", "tic_pmepmi", "pme1|pme2") == framesPerMeter.get("pme1") + framesPerMeter.get("pme2"));
    }

    private int points(String field, String measurement, String meters) throws Exception {
        return influx.values("grafana", "SELECT count(\"" + field + "\") FROM " + measurement
                + " WHERE meter =~ /^(" + meters + ")$/").path(0).path(1).asInt();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    /** The query as Grafana sends it: every meter selected, the time range and interval filled in. */
    private JsonNode run(String query, String timeFilter) throws Exception {
        String sent = query.replace("$timeFilter", timeFilter).replace("$__interval", "1m")
                .replace("$meter", "(" + String.join("|", framesPerMeter.keySet()) + ")");
        JsonNode result = influx.query("grafana", sent).path("results").path(0);
        assertThat(result.has("error")).as(sent + " -> " + result).isFalse();
        return result.path("series");
    }

    private JsonNode dashboard(String name) throws IOException {
        return json.readTree(DASHBOARDS.resolve("tic-" + name + ".json").toFile());
    }

    /** Per panel title: the meters its query returned series for (empty when it returned nothing). */
    private Map<String, Set<String>> metersPerPanel(String name, String timeFilter) throws Exception {
        Map<String, Set<String>> meters = new LinkedHashMap<>();
        for (JsonNode panel : dashboard(name).get("panels")) {
            Set<String> seen = new TreeSet<>();
            for (JsonNode target : panel.get("targets")) {
                run(target.get("query").asText(), timeFilter).forEach(s -> seen.add(s.path("tags").path("meter").asText()));
            }
            meters.put(panel.get("title").asText(), seen);
        }
        return meters;
    }

    @Test
    void everyPanelOfTheStandardDashboardHasDataForEachMeter() throws Exception {
        Map<String, Set<String>> panels = metersPerPanel("standard", DAY);
        assertThat(panels).hasSize(8).allSatisfy((title, meters) -> {
            if (title.startsWith("Producer")) {
                assertThat(meters).as(title).containsExactly("prod");
            } else {
                assertThat(meters).as(title).containsExactly("prod", "tri");
            }
        });
    }

    @Test
    void everyPanelOfTheHistoricDashboardHasData() throws Exception {
        String replay = "time >= '" + replayStarted.minusSeconds(3600) + "' AND time <= now() + 1h";
        assertThat(metersPerPanel("historic", replay)).hasSize(6)
                .allSatisfy((title, meters) -> assertThat(meters).as(title).containsExactly("histo"));
    }

    @Test
    void everyPanelOfThePmePmiDashboardHasDataForEachMeterAndPeriod() throws Exception {
        assertThat(metersPerPanel("pmepmi", DAY)).hasSize(8)
                .allSatisfy((title, meters) -> assertThat(meters).as(title).containsExactly("pme1", "pme2"));
        String perHour = panelQuery("pmepmi", "Energy per hour per tariff period (EAP_s)");
        Set<String> periods = new TreeSet<>();
        run(perHour, DAY).forEach(s -> periods.add(s.path("tags").path("period").asText()));
        assertThat(periods).containsExactly("HCH", "HPH"); // 06:00 in winter: off-peak to peak
    }

    @Test
    void energyPerHourCountsTheFirstHourAndAddsUpToTheIndex() throws Exception {
        JsonNode perHour = run(panelQuery("standard", "Energy per hour (EAST)"), DAY);
        for (JsonNode series : perHour) {
            String meter = series.path("tags").path("meter").asText();
            JsonNode index = influx.values("grafana", "SELECT first(\"EAST\"), last(\"EAST\") FROM tic_standard WHERE meter = '"
                    + meter + "'").path(0);
            long increase = index.get(2).asLong() - index.get(1).asLong();
            long sum = 0;
            for (JsonNode bucket : series.get("values")) {
                sum += bucket.get(1).asLong();
            }
            // three clock hours from the first frame on; what is lost is the step across each bucket's end
            assertThat(series.get("values")).as(meter).hasSize(3);
            assertThat(sum).as(meter).isLessThanOrEqualTo(increase).isGreaterThan(increase * 99 / 100);
        }
        assertThat(perHour).hasSize(2);
    }

    @Test
    void theMeterVariableListsTheMetersOfItsFamily() throws Exception {
        Map<String, List<String>> expected = Map.of("standard", List.of("prod", "tri"), "historic", List.of("histo"),
                "pmepmi", List.of("pme1", "pme2"));
        for (var entry : expected.entrySet()) {
            JsonNode variable = dashboard(entry.getKey()).get("templating").get("list").get(0);
            assertThat(variable.get("name").asText()).isEqualTo("meter");
            List<String> values = new ArrayList<>();
            influx.values("grafana", variable.get("query").asText()).forEach(v -> values.add(v.get(1).asText()));
            assertThat(values).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void dashboardsUseTheProvisionedDataSourceAndACurrentSchema() throws Exception {
        JsonNode source = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("../docker/grafana/datasource.yaml").toFile()).get("datasources").get(0);
        assertThat(source.get("uid").asText()).isEqualTo("tic-influxdb");
        assertThat(source.has("database")).as("deprecated top-level database").isFalse();
        assertThat(source.get("jsonData").get("dbName").asText()).isEqualTo("tic");
        for (String name : List.of("standard", "historic", "pmepmi")) {
            JsonNode dashboard = dashboard(name);
            assertThat(dashboard.get("schemaVersion").asInt()).as(name).isGreaterThanOrEqualTo(41);
            assertThat(dashboard.get("uid").asText()).isEqualTo("tic-" + name);
            assertThat(dashboard.findValues("datasource")).as(name).isNotEmpty()
                    .allSatisfy(ds -> assertThat(ds.get("uid").asText()).isEqualTo("tic-influxdb"));
        }
    }

    private String panelQuery(String dashboard, String title) throws IOException {
        for (JsonNode panel : dashboard(dashboard).get("panels")) {
            if (panel.get("title").asText().equals(title)) {
                return panel.get("targets").get(0).get("query").asText();
            }
        }
        throw new AssertionError("no panel '" + title + "' in " + dashboard);
    }
}
