package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.Corpus;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.TestPeersExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole gateway in-process (camel-main, the shipped YAML routes) against a real InfluxDB 1.x and a
 * real Mosquitto: two captures replayed → InfluxDB, MQTT/Home Assistant, files, REST.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestPeersExtension.class)
class GatewayEndToEndTest {

    @TempDir
    static Path dir;

    private InfluxDb influx;
    private Mosquitto mosquitto;
    private MqttProbe probe;
    private GatewayMain gateway;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startEverything(InfluxDb influx, Mosquitto mosquitto) throws Exception {
        this.influx = influx;
        this.mosquitto = mosquitto;
        probe = new MqttProbe(mosquitto.url(), "#");
        Path standard = dir.resolve("standard.bin");
        Files.write(standard, Corpus.bytes(Corpus.STANDARD_LAINS));
        Path pme = dir.resolve("pme.bin");
        Files.write(pme, Corpus.bytes(Corpus.PMEPMI));
        port = ExternalProcess.freePort();
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = std, pme",
                "tic.meter.std.source = tic:file:" + standard,
                "tic.meter.std.family = standard",
                "tic.meter.pme.source = tic:file:" + pme,
                "tic.meter.pme.family = pmepmi",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.dir = " + dir.resolve("frames"),
                "tic.files.csv = true",
                "camel.server.port = " + port,
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = tictest",
                "tic.influxdb.batch-size = 10",
                "tic.influxdb.batch-interval = 300",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.client-id = gw-e2e",
                "tic.mqtt.interval = 1000",
                "tic.mqtt.per-label = true",
                ""));
        gateway = new GatewayMain(config, name -> null);
        gateway.start();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (probe != null) {
            probe.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return ReadingJson.mapper().readTree(response.body());
    }

    /** A label's value in every frame, in order, as the decode command gives it. */
    private static List<Long> decodedValues(byte[] bytes, String label) throws Exception {
        List<Long> values = new ArrayList<>();
        for (String line : io.ticgateway.DecodedJson.decodeJson(bytes)) {
            JsonNode frame = ReadingJson.mapper().readTree(line);
            values.add(frame.get("groups").get(label).get("value").asLong());
        }
        return values;
    }

    @Test
    void influxDbHoldsTheDecodedValues() throws Exception {
        // one point per frame, two frames in the same second included (a nanosecond sequence tells them apart)
        List<Long> expected = decodedValues(Corpus.bytes(Corpus.STANDARD_LAINS), "EAST");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                influx.values("tictest", "SELECT count(\"EAST\") FROM tic_standard WHERE meter='std'").path(0).path(1)
                        .asInt() == expected.size());
        JsonNode rows = influx.values("tictest", "SELECT \"EAST\", meter_id FROM tic_standard WHERE meter='std'");
        List<Long> east = new ArrayList<>();
        rows.forEach(r -> east.add(r.get(1).asLong()));
        assertThat(east).containsExactlyElementsOf(expected);
        assertThat(rows.get(0).get(2).asText()).isEqualTo("064468368739");
        assertThat(rows.get(0).get(0).asText()).isEqualTo("2023-03-01T08:18:34Z"); // the meter's time, +01:00

        List<Long> pme = decodedValues(Corpus.bytes(Corpus.PMEPMI), "EA_s");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                influx.values("tictest", "SELECT count(\"EA_s\") FROM tic_pmepmi").path(0).path(1).asInt() == pme.size());
        JsonNode pmeRows = influx.values("tictest", "SELECT \"EA_s\", period FROM tic_pmepmi");
        List<Long> eas = new ArrayList<>();
        pmeRows.forEach(r -> eas.add(r.get(1).asLong()));
        assertThat(eas).containsExactlyElementsOf(pme);
        assertThat(pmeRows.get(0).get(2).asText()).isEqualTo("HPE");
    }

    @Test
    void mqttCarriesStateAvailabilityAndHomeAssistantDiscovery() throws Exception {
        await().atMost(Duration.ofSeconds(20)).alias("topics: " + probe.messages().stream().map(MqttProbe.Received::topic)
                .distinct().toList()).until(() -> probe.last("tic/std/state") != null
                && probe.last("homeassistant/sensor/tic_064468368739/east/config") != null
                && probe.last("homeassistant/sensor/tic_064468368739/sinsts/config") != null
                && probe.last("homeassistant/sensor/tic_041436028024/derived_conso_totale_s/config") != null
                && "011887650".equals(probe.last("tic/std/EAST")) // the latest frame: the replay may straddle two intervals
                && probe.last("tic/std/state").contains("\"raw\":\"011887650\"")
                && probe.last("tic/gateway/availability") != null);
        JsonNode state = ReadingJson.mapper().readTree(probe.last("tic/std/state"));
        assertThat(state.get("meter").asText()).isEqualTo("064468368739");
        assertThat(state.get("groups").get("EAST").get("value").asLong()).isEqualTo(11887650L); // the latest frame
        assertThat(probe.messages()).filteredOn(m -> m.topic().equals("tic/std/state")).isNotEmpty().allSatisfy(m -> {
            assertThat(m.retained() || !m.payload().isEmpty()).isTrue();
            assertThat(ReadingJson.mapper().readTree(m.payload()).get("meter").asText()).isEqualTo("064468368739");
        });
        JsonNode east = ReadingJson.mapper().readTree(probe.last("homeassistant/sensor/tic_064468368739/east/config"));
        assertThat(east.get("unique_id").asText()).isEqualTo("tic_064468368739_east");
        assertThat(east.get("device_class").asText()).isEqualTo("energy");
        assertThat(east.get("state_class").asText()).isEqualTo("total_increasing");
        assertThat(east.get("unit_of_measurement").asText()).isEqualTo("Wh");
        assertThat(east.get("state_topic").asText()).isEqualTo("tic/std/state");
        assertThat(east.get("value_template").asText()).startsWith("{{ value_json.groups['EAST'].value if ");
        JsonNode power = ReadingJson.mapper().readTree(probe.last("homeassistant/sensor/tic_064468368739/sinsts/config"));
        assertThat(power.get("device_class").asText()).isEqualTo("apparent_power");
        assertThat(power.get("state_class").asText()).isEqualTo("measurement");
        assertThat(probe.last("homeassistant/sensor/tic_041436028024/derived_conso_totale_s/config")).contains("kWh");
        assertThat(probe.last("tic/gateway/availability")).isEqualTo("online");
        assertThat(probe.last("tic/std/EAST")).isEqualTo("011887650");

        long before = probe.messages().stream().filter(m -> m.topic().endsWith("/east/config")).count();
        probe.publish("homeassistant/status", "online", false); // Home Assistant restarted
        await().atMost(Duration.ofSeconds(20)).until(() ->
                probe.messages().stream().filter(m -> m.topic().endsWith("/east/config")).count() > before);
    }

    @Test
    void filesHoldOneJsonLinePerFrameAndCsvRows() throws Exception {
        List<String> expected = io.ticgateway.DecodedJson.decodeJson(Corpus.bytes(Corpus.STANDARD_LAINS));
        await().atMost(Duration.ofSeconds(20)).until(() -> dayFile("std", ".jsonl") != null
                && Files.readAllLines(dayFile("std", ".jsonl")).size() == expected.size());
        Path jsonl = dayFile("std", ".jsonl"); // named after the day it was written: found, not recomputed
        List<String> lines = Files.readAllLines(jsonl).stream()
                .map(io.ticgateway.DecodedJson::withoutReceiveTime).toList();
        assertThat(lines).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(20)).until(() -> dayFile("pme", ".csv") != null
                && Files.readString(dayFile("pme", ".csv")).contains(";EAP_s;9649kWh;9649;kWh"));
    }

    /** The meter's file of the day ({@code <meter>-yyyyMMdd<suffix>}), or null before it exists. */
    private Path dayFile(String meter, String suffix) throws Exception {
        Path folder = dir.resolve("frames/" + meter);
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().matches(meter + "-\\d{8}" + java.util.regex.Pattern.quote(suffix)))
                    .findFirst().orElse(null);
        }
    }

    @Test
    void restApiAndCompatibilityUrls() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> json("/api/meters").get("meters").size() == 2);
        JsonNode meters = json("/api/meters").get("meters");
        assertThat(meters.findValuesAsText("name")).containsExactlyInAnyOrder("std", "pme");
        assertThat(json("/api/meters/std").get("groups").get("EAST").get("unit").asText()).isEqualTo("Wh");
        assertThat(json("/api/meters/064468368739").get("name").asText()).isEqualTo("std");
        JsonNode pme = json("/api/meters/pme");
        assertThat(pme.get("tariffPeriod").asText()).isEqualTo("HPE");
        assertThat(json("/api/meters/pme/values/HPE.EAP_s").get("value").asLong()).isEqualTo(9649L);
        assertThat(json("/api/meters/pme/values/CONSO_TOTALE_s").get("value").asLong()).isEqualTo(9649L);
        HttpResponse<String> unknownMeter = get("/api/meters/nope");
        assertThat(unknownMeter.statusCode()).isEqualTo(404);
        assertThat(unknownMeter.body()).isEqualTo("{\"error\":\"unknown meter 'nope'\",\"status\":404}"); // the order too
        assertThat(get("/api/meters/std/values/NOPE").statusCode()).isEqualTo(404);
        assertThat(json("/api/openapi.json").get("paths").has("/api/meters/{id}/values/{label}")).isTrue();

        JsonNode interpretation = json("/get_interpretation");
        assertThat(interpretation.get("HPE").get("EAP_s").get(0).asText()).isEqualTo("9649");
        assertThat(interpretation.get("HPE").get("EAP_s").get(1).asText()).isEqualTo("kWh");
        assertThat(interpretation.get("INDEP_TARIF").get("ID_COMPTEUR").get(0).asText()).isEqualTo("041436028024");
        assertThat(interpretation.get("INDEP_TARIF").get("CONTRAT").get(0).asText()).isEqualTo("BT 4 SUP36");
        assertThat(interpretation.get("INDEP_TARIF").get("TGPHI_s").get(0).asText()).startsWith("-0.");
        assertThat(get("/get_donnee?tarif=HPE&etiquette=EAP_s").body()).isEqualTo("9649");
        assertThat(get("/get_donnee?tarif=INDEP_TARIF&etiquette=PTCOUR1").body()).isEqualTo("HPE");
        assertThat(get("/get_donnee?tarif=INDEP_TARIF&etiquette=EAST&meter=std").body()).isEqualTo("11887650");
        assertThat(get("/get_donnee?tarif=HPE&etiquette=NOPE").statusCode()).isEqualTo(404);
        assertThat(get("/get_donnee").statusCode()).isEqualTo(400);
        JsonNode zabbix = json("/zabbix_autoconf");
        assertThat(zabbix.get("data").findValuesAsText("{#ETIQUETTE}")).contains("EAP_s", "PS", "CONSO_TOTALE_s");
        assertThat(zabbix.get("data")).anySatisfy(item -> {
            assertThat(item.get("{#ETIQUETTE}").asText()).isEqualTo("EAP_s");
            assertThat(item.get("{#PTARIF}").asText()).isEqualTo("HPE");
            assertThat(item.get("{#UNITE}").asText()).isEqualTo("kWh");
            assertThat(item.get("{#PERIODE}").asText()).isEqualTo("60");
        });
        assertThat(json("/zabbix_autoconf?type=float").get("data").findValuesAsText("{#ETIQUETTE}"))
                .containsOnly("TGPHI_s");
        assertThat(get("/").body()).contains("/zabbix_autoconf");

        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).isEqualTo(200);
        String metrics = get("/observe/metrics").body();
        assertThat(metrics).contains("tic_value{label=\"EAST\",meter=\"std\"}");
        assertThat(metrics).containsPattern("tic_frames_delivered_total\\{meter=\"pme\"} 21");
        // an enabled sink's counters are there before its first failure or drop, described
        assertThat(metrics).contains("tic_sink_failures_total{sink=\"files\"} 0.0").contains("# HELP tic_sink_delivered_total Frames")
                .contains("tic_sink_dropped_total{reason=\"write-error\",sink=\"files\"} 0.0")
                .contains("tic_sink_dropped_total{reason=\"file-removed\",sink=\"files\"} 0.0")
                .contains("tic_sink_dropped_total{reason=\"write-error\",sink=\"csv\"} 0.0")
                .contains("tic_sink_dropped_total{reason=\"queue-full\",sink=\"mqtt\"} 0.0")
                .doesNotContain("sink=\"kafka\""); // a sink that is off has none
        // and /api/meters says the same: every reason there at 0, not from its first drop on
        JsonNode sinks = json("/api/meters").path("sinks");
        assertThat(sinks.path("mqtt").path("dropped").path("queue-full").isNumber()).isTrue();
        assertThat(sinks.path("files").path("dropped").path("file-removed").asLong(-1)).isZero();
        assertThat(sinks.path("csv").path("dropped").path("write-error").asLong(-1)).isZero();
        assertThat(sinks.has("kafka")).isFalse();
    }

    @Test
    void theMetersNoDataTimeoutDrivesTheSourcesReadiness() {
        io.ticgateway.camel.TicEndpoint source = (io.ticgateway.camel.TicEndpoint) gateway.camelContext()
                .getRoute("meter-std").getEndpoint();
        assertThat(source.getNoDataTimeout()).isEqualTo(gateway.config().number("tic.meter.no-data-timeout", -1))
                .isEqualTo(60_000); // tic.meter.no-data-timeout, not the endpoint's own default (30000)
    }

    @Test
    void noEventNotifierIsWalkedPerFrameForNothing() {
        // camel-main's start-up summaries register one notifier per REST route (41); Camel walks every started
        // notifier at each asynchronous step of every frame: removed before the routes start (a few added later
        // stay, told to ignore exchanges), none of those left wanting exchange events
        assertThat(gateway.camelContext().getManagementStrategy().getStartedEventNotifiers())
                .hasSizeLessThan(10)
                .allMatch(org.apache.camel.spi.EventNotifier::isIgnoreExchangeEvents);
        assertThat(gateway.camelContext().getCamelContextExtension().isEventNotificationApplicable()).isFalse();
    }

    @Test
    void stateIsSavedAndRestored() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.store().meters().size() == 2);
        gateway.store().save();
        StateStore restored = new StateStore();
        restored.setFile(dir.resolve("state.json").toString());
        restored.restore(List.of("pme", "std"));
        assertThat(restored.meter("pme").meterId()).isEqualTo("041436028024");
        assertThat(restored.meter("std").latest().get("mode")).isEqualTo("standard");
        long frames = restored.meter("std").frames();
        assertThat(frames).isPositive();

        StateStore withoutPme = new StateStore(); // pme left the configuration: not restored, purged at the next save
        withoutPme.setFile(dir.resolve("state.json").toString());
        withoutPme.restore(List.of("std"));
        assertThat(withoutPme.meter("pme")).isNull();
        assertThat(withoutPme.removed()).extracting(StateStore.RemovedMeter::name).containsExactly("pme");
        assertThat(withoutPme.removed().get(0).labels()).contains("EA_s", "derived.CONSO_TOTALE_s");
        assertThat(withoutPme.meter("std").frames()).isEqualTo(frames);
    }
}
