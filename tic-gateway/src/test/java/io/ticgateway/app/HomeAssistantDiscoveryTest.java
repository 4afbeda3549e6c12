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
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameDecoder;
import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicFrame;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The six simulated meters (captures replayed) through the gateway to a real Mosquitto and InfluxDB: every
 * Home Assistant discovery payload checked against Home Assistant's rules, the unique ids of release 0.1.0
 * kept, the derived active power in every sink, an impossible index held back from all of them, and the
 * entities of a meter that left the configuration removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(TestPeersExtension.class)
class HomeAssistantDiscoveryTest {

    /** Meter name → simulated family, as configured. */
    private static final Map<String, SimulatedFamily> METERS = new LinkedHashMap<>();

    static {
        METERS.put("std", SimulatedFamily.LINKY_STANDARD);
        METERS.put("tri", SimulatedFamily.LINKY_STANDARD_TRI);
        METERS.put("prod", SimulatedFamily.LINKY_PRODUCER);
        METERS.put("hist", SimulatedFamily.LINKY_HISTORIC);
        METERS.put("htri", SimulatedFamily.HISTORIC_TRI);
        METERS.put("pme", SimulatedFamily.PMEPMI);
    }

    /** The glitch written into the std capture: EAST jumps by 50 MWh in one frame. */
    private static final long GLITCH_WH = 50_000_000;

    // ---- Home Assistant's rules, from homeassistant/components/sensor/const.py (DEVICE_CLASS_UNITS,
    // DEVICE_CLASS_STATE_CLASSES), binary_sensor's device classes and the MQTT discovery schema ----
    private static final Map<String, Set<String>> UNITS = Map.of(
            "energy", Set.of("Wh", "kWh", "MWh", "GWh", "mWh", "J", "kJ", "MJ", "GJ", "cal", "kcal", "Mcal", "Gcal"),
            "reactive_energy", Set.of("varh", "kvarh"),
            "apparent_power", Set.of("VA", "kVA", "mVA"),
            "power", Set.of("W", "kW", "MW", "GW", "TW", "mW", "BTU/h"),
            "reactive_power", Set.of("var", "kvar", "mvar"),
            "current", Set.of("A", "mA"),
            "voltage", Set.of("V", "mV", "µV", "kV", "MV"),
            "duration", Set.of("d", "h", "min", "s", "ms", "µs"));
    private static final Map<String, Set<String>> STATE_CLASSES = Map.of(
            "energy", Set.of("total", "total_increasing"),
            "reactive_energy", Set.of("total", "total_increasing"),
            "apparent_power", Set.of("measurement"),
            "power", Set.of("measurement"),
            "reactive_power", Set.of("measurement"),
            "current", Set.of("measurement"),
            "voltage", Set.of("measurement"),
            "duration", Set.of("measurement", "total", "total_increasing"),
            "enum", Set.of());
    private static final Set<String> BINARY_DEVICE_CLASSES = Set.of("problem", "power", "plug", "running", "safety");
    private static final Set<String> ALL_STATE_CLASSES = Set.of("measurement", "total", "total_increasing");

    @TempDir
    static Path dir;

    private Mosquitto mosquitto;
    private InfluxDb influx;
    private MqttProbe probe;
    private GatewayMain gateway;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(Mosquitto mosquitto, InfluxDb influx) throws Exception {
        this.mosquitto = mosquitto;
        this.influx = influx;
        probe = new MqttProbe(mosquitto.url(), "#");
        port = ExternalProcess.freePort();
        gateway = new GatewayMain(config(METERS.keySet(), port), name -> null);
        gateway.start();
        // every meter announced, with the derived power of the standard meters (60 s of meter time replayed)
        await().atMost(Duration.ofSeconds(60)).until(() -> METERS.keySet().stream().allMatch(m ->
                probe.last("tic/" + m + "/state") != null && probe.last("tic/" + m + "/availability") != null)
                && List.of("041876543210", "041876543211", "041876543212").stream().allMatch(id ->
                probe.last("homeassistant/sensor/tic_" + id + "/derived_puissance_active/config") != null));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        probe.close();
    }

    private Path config(Iterable<String> meters, int httpPort) throws Exception {
        StringBuilder c = new StringBuilder("tic.meters = " + String.join(",", meters) + "\n");
        for (String m : meters) {
            SimulatedFamily family = METERS.get(m);
            c.append("tic.meter.").append(m).append(".source = tic:file:").append(capture(m, family)).append('\n')
                    .append("tic.meter.").append(m).append(".family = ").append(family.mode().id()).append('\n');
        }
        c.append(String.join("\n",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.enabled = false",
                "camel.server.port = " + httpPort,
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = " + influx.url(),
                "tic.influxdb.database = hatest",
                "tic.influxdb.batch-interval = 300",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mosquitto.url(),
                "tic.mqtt.interval = 500",
                "tic.mqtt.language = en",
                ""));
        Path file = dir.resolve("application-" + String.join("-", meters) + ".properties");
        Files.writeString(file, c);
        return file;
    }

    /** A capture of the simulated meter covering more than 60 s of its time; std's frame 150 has a glitched EAST. */
    private static Path capture(String name, SimulatedFamily family) throws Exception {
        Path file = dir.resolve(name + ".bin");
        if (Files.exists(file)) {
            return file;
        }
        MeterSimulator simulator = new MeterSimulator(family, null, 0, SimulatedCapture.START, 11);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = family.mode() == io.ticgateway.protocol.TicMode.STANDARD ? 200 : 40;
        for (int n = 1; n <= frames; n++) {
            byte[] frame = simulator.nextFrame();
            out.write(name.equals("std") && n == 150 ? withEastPlus(frame, GLITCH_WH) : frame);
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    /** The same standard frame with EAST increased by {@code wh}. */
    private static byte[] withEastPlus(byte[] frame, long wh) {
        List<TicFrame> decoded = new ArrayList<>();
        new FrameDecoder(decoded::add, DecoderOptions.defaults().withMode(io.ticgateway.protocol.TicMode.STANDARD),
                () -> 0L).feed(frame, 0, frame.length);
        TicFrame f = decoded.get(0);
        List<TicGroup> groups = new ArrayList<>();
        for (int g = 0; g < f.size(); g++) {
            String data = f.label(g).equals("EAST") ? String.format("%09d", Long.parseLong(f.data(g)) + wh) : f.data(g);
            groups.add(new TicGroup(f.label(g), f.horodate(g), data));
        }
        return FrameEncoder.frame(io.ticgateway.protocol.TicMode.STANDARD, groups);
    }

    /** The latest non-empty discovery config of every topic. */
    private Map<String, JsonNode> configs() throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        for (MqttProbe.Received m : probe.messages()) {
            if (m.topic().startsWith("homeassistant/") && m.topic().endsWith("/config")) {
                if (m.payload().isEmpty()) {
                    out.remove(m.topic());
                } else {
                    out.put(m.topic(), ReadingJson.mapper().readTree(m.payload()));
                }
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void everyDiscoveryPayloadFollowsHomeAssistantsRules() throws Exception {
        Map<String, JsonNode> configs = configs();
        assertThat(configs).hasSizeGreaterThan(72);
        List<String> violations = new ArrayList<>();
        configs.forEach((topic, c) -> violations.addAll(violations(topic, c)));
        assertThat(violations).isEmpty();

        JsonNode east = configs.get("homeassistant/sensor/tic_041876543210/east/config");
        assertThat(east.get("name").asText()).isEqualTo("Total energy imported"); // tic.mqtt.language = en
        assertThat(east.get("default_entity_id").asText()).isEqualTo("sensor.tic_std_east");
        assertThat(east.get("json_attributes_template").asText()).contains("'label': 'EAST'");
        JsonNode flag = configs.get("homeassistant/binary_sensor/tic_041876543210/stge_depassementpuissance/config");
        assertThat(flag.get("unique_id").asText()).isEqualTo("tic_041876543210_stge_depassementpuissance");
        assertThat(flag.get("device_class").asText()).isEqualTo("problem");
        assertThat(probe.last("homeassistant/sensor/tic_041876543210/stge_depassementpuissance/config"))
                .as("the sensor of release 0.1.0 emptied").isEmpty();
        JsonNode colour = configs.get("homeassistant/sensor/tic_041876543211/stge_couleurjour/config");
        assertThat(colour.get("device_class").asText()).isEqualTo("enum");
        assertThat(colour.get("options").toString()).contains("BLEU", "ROUGE");
        assertThat(configs.get("homeassistant/sensor/tic_021861348497/ptec/config").get("options").toString())
                .contains("HC..", "HP..");
        assertThat(configs.get("homeassistant/sensor/tic_041876543210/ntarf/config").has("state_class")).isFalse();
        assertThat(configs.get("homeassistant/sensor/tic_041876543210/ltarf/config").has("device_class")).isFalse();
        assertThat(configs.get("homeassistant/sensor/tic_041876543210/pref/config").get("entity_category").asText())
                .isEqualTo("diagnostic");
        JsonNode power = configs.get("homeassistant/sensor/tic_041876543210/derived_puissance_active/config");
        assertThat(power.get("device_class").asText()).isEqualTo("power");
        assertThat(power.get("unit_of_measurement").asText()).isEqualTo("W");
    }

    /** What Home Assistant would refuse, or show wrongly, in one config. */
    private static List<String> violations(String topic, JsonNode c) {
        List<String> v = new ArrayList<>();
        String component = topic.split("/")[1];
        String dc = c.path("device_class").asText(null);
        String unit = c.path("unit_of_measurement").asText(null);
        String sc = c.path("state_class").asText(null);
        if (c.has("object_id")) {
            v.add(topic + ": object_id is deprecated");
        }
        if (!c.path("default_entity_id").asText("").matches(component + "\\.[a-z0-9_]+")) {
            v.add(topic + ": default_entity_id " + c.path("default_entity_id") + " is not " + component + ".<id>");
        }
        for (String key : List.of("unique_id", "name", "state_topic", "value_template", "device", "origin",
                "availability", "json_attributes_topic")) {
            if (!c.has(key)) {
                v.add(topic + ": no " + key);
            }
        }
        if (!c.path("origin").has("name")) {
            v.add(topic + ": origin without a name");
        }
        if (c.path("name").asText("").equals(c.path("json_attributes_template").asText("").replaceAll(".*'label': '([^']*)'.*", "$1"))) {
            v.add(topic + ": the name is the raw label");
        }
        String template = c.path("value_template").asText("");
        boolean numeric = !topic.contains("/binary_sensor/") && (c.has("unit_of_measurement") || c.has("state_class")
                || c.has("device_class") && !"enum".equals(c.path("device_class").asText()));
        if (numeric ? !template.endsWith(" else '' }}") : !template.contains("this.state")) {
            // Home Assistant ignores an empty state for a numeric sensor; this.state would be in the display unit
            v.add(topic + ": the template does not keep the state when the label is absent");
        }
        if (c.has("entity_category") && !"diagnostic".equals(c.get("entity_category").asText())) {
            v.add(topic + ": a sensor's entity_category can only be diagnostic");
        }
        if (component.equals("binary_sensor")) {
            if (unit != null || sc != null) {
                v.add(topic + ": a binary_sensor has no unit nor state class");
            }
            if (dc != null && !BINARY_DEVICE_CLASSES.contains(dc)) {
                v.add(topic + ": binary device class " + dc);
            }
            if (!c.has("payload_on") || !c.has("payload_off")) {
                v.add(topic + ": payload_on/payload_off");
            }
            return v;
        }
        if ("enum".equals(dc)) {
            if (!c.path("options").isArray() || c.path("options").isEmpty()) {
                v.add(topic + ": an enum needs options");
            }
            if (unit != null || sc != null) {
                v.add(topic + ": an enum has no unit nor state class");
            }
            return v;
        }
        if (c.has("options")) {
            v.add(topic + ": options without device_class enum");
        }
        if (dc != null) {
            if (!UNITS.containsKey(dc)) {
                v.add(topic + ": device class " + dc + " not checked here");
            } else if (!UNITS.get(dc).contains(unit)) {
                v.add(topic + ": unit " + unit + " not allowed for " + dc);
            }
            if (sc != null && !STATE_CLASSES.getOrDefault(dc, Set.of()).contains(sc)) {
                v.add(topic + ": state class " + sc + " not allowed for " + dc);
            }
        }
        if (sc != null && !ALL_STATE_CLASSES.contains(sc)) {
            v.add(topic + ": state class " + sc);
        }
        if (sc != null && !c.path("value_template").asText("").contains(".value")) {
            v.add(topic + ": a numeric state class on a non-value template");
        }
        return v;
    }

    @Test
    @Order(2)
    void theUniqueIdsOfRelease010AreKept() throws Exception {
        List<String> before = Files.readAllLines(Path.of(getClass().getResource("/homeassistant-unique-ids.txt").toURI()))
                .stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        List<String> now = configs().values().stream().map(c -> c.get("unique_id").asText()).toList();
        assertThat(before).hasSize(72);
        assertThat(now).containsAll(before).doesNotHaveDuplicates();
    }

    @Test
    @Order(3)
    void oneMqttClientSendsEveryMessage() {
        // Camel makes a producer, a Paho client, per `to:` step: two steps to the broker would be two clients
        // with one client id, pushing each other off the broker (the second started by a full in-flight window)
        List<String> toBroker = gateway.camelContext().getRoutes().stream()
                .flatMap(route -> route.filter("*").stream())
                .filter(org.apache.camel.processor.SendProcessor.class::isInstance)
                .map(p -> ((org.apache.camel.processor.SendProcessor) p).getDestination().getEndpointUri())
                .filter(uri -> uri.startsWith("paho-mqtt5:")).toList();
        assertThat(toBroker).hasSize(1);
    }

    @Test
    @Order(3)
    void discoveryAndAvailabilityComeWithTheFirstState() {
        List<String> topics = probe.messages().stream().map(MqttProbe.Received::topic).toList();
        for (String meter : METERS.keySet()) {
            int state = topics.indexOf("tic/" + meter + "/state");
            int availability = topics.indexOf("tic/" + meter + "/availability");
            assertThat(availability).as(meter + " in " + topics).isBetween(0, state);
        }
        int firstConfig = topics.indexOf("homeassistant/sensor/tic_041876543210/east/config");
        assertThat(firstConfig).isBetween(0, topics.indexOf("tic/std/state"));
    }

    @Test
    @Order(4)
    void activePowerReachesEverySinkAndTheGlitchNone() throws Exception {
        JsonNode state = ReadingJson.mapper().readTree(probe.last("tic/std/state"));
        assertThat(state.path("derived").path("PUISSANCE_ACTIVE").path("unit").asText()).isEqualTo("W");
        assertThat(state.path("derived").path("PUISSANCE_ACTIVE").path("value").asLong()).isPositive();
        JsonNode rest = json("/api/meters/std/values/PUISSANCE_ACTIVE");
        assertThat(rest.get("unit").asText()).isEqualTo("W");
        await().atMost(Duration.ofSeconds(30)).until(() -> influx.values("hatest",
                "SELECT count(\"EAST\") FROM tic_standard WHERE meter='std'").path(0).path(1).asInt() == 199);
        assertThat(influx.values("hatest", "SELECT last(\"PUISSANCE_ACTIVE\") FROM tic_standard WHERE meter='std'")
                .path(0).path(1).asLong()).isPositive();
        // the glitched frame reached InfluxDB without its EAST (199 of 200 frames), and no sink saw the glitch
        long maxEast = influx.values("hatest", "SELECT max(\"EAST\") FROM tic_standard WHERE meter='std'").path(0).path(1).asLong();
        assertThat(maxEast).isLessThan(GLITCH_WH);
        assertThat(probe.messages()).filteredOn(m -> m.topic().equals("tic/std/state"))
                .allSatisfy(m -> assertThat(ReadingJson.mapper().readTree(m.payload()).path("groups").path("EAST")
                        .path("value").asLong()).isLessThan(GLITCH_WH));
        JsonNode meters = json("/api/meters");
        JsonNode std = null;
        for (JsonNode m : meters.get("meters")) {
            if (m.get("name").asText().equals("std")) {
                std = m;
            }
        }
        assertThat(std.path("indexHeldBack").path("index-jump").asLong()).isEqualTo(1);
        assertThat(get("/observe/metrics").body())
                .contains("tic_index_held_back_total{meter=\"std\",reason=\"index-jump\"} 1.0");
    }

    @Test
    @Order(5)
    void theEntitiesOfAMeterThatLeftTheConfigurationAreRemoved() throws Exception {
        List<String> histTopics = configs().keySet().stream().filter(t -> t.contains("/tic_021861348497/")).toList();
        assertThat(histTopics).isNotEmpty();
        gateway.stop(); // saves the state, hist included
        gateway = null;
        List<String> remaining = METERS.keySet().stream().filter(m -> !m.equals("hist")).toList();
        gateway = new GatewayMain(config(remaining, ExternalProcess.freePort()), name -> null);
        gateway.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> histTopics.stream().allMatch(t -> "".equals(probe.last(t)))
                && "".equals(probe.last("tic/hist/state")) && "".equals(probe.last("tic/hist/availability")));
        // a new subscriber (Home Assistant starting) finds nothing retained for hist
        try (MqttProbe fresh = new MqttProbe(mosquitto.url(), "homeassistant/+/tic_021861348497/#")) {
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> fresh.messages().isEmpty());
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return ReadingJson.mapper().readTree(response.body());
    }
}
