package io.ticgateway.app;

import io.ticgateway.camel.TicConstants;
import io.ticgateway.camel.TicStatistics;
import io.ticgateway.meter.LabelDictionary;
import io.ticgateway.meter.LabelInfo;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.TicMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.util.ObjectHelper;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * MQTT messages for Home Assistant: per-meter state topics, availability (gateway last-will plus one
 * topic per meter), and MQTT discovery configs with device classes, {@code total_increasing} energy
 * indexes (for the energy dashboard) and unique ids that include the meter id.
 */
public class HomeAssistant {

    /** Exchange property, set by the family route: comma-separated entities ({@code EAST}, {@code STGE.couleurJour}, {@code derived.CONSO_TOTALE_s}). */
    public static final String ENTITIES_PROPERTY = "ticHomeAssistant";

    /** One message to publish. */
    public record Message(String topic, String payload) {
    }

    private record Known(String meterId, TicMode family, List<String> entities, Map<String, String> units) {
    }

    private final StateStore store;
    private final String prefix;
    private final String discoveryPrefix;
    private final long noDataMillis;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Boolean> announced = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> lastPublished = new ConcurrentHashMap<>();
    private final Map<String, String> availabilitySent = new ConcurrentHashMap<>();
    private volatile boolean brokerFailing;

    public HomeAssistant(StateStore store, String prefix, String discoveryPrefix, long noDataMillis) {
        this.store = store;
        this.prefix = prefix;
        this.discoveryPrefix = discoveryPrefix;
        this.noDataMillis = noDataMillis;
    }

    /** Topic of the gateway's availability (its MQTT last will says {@code offline}). */
    public String gatewayAvailabilityTopic() {
        return prefix + "/gateway/availability";
    }

    /** Turns the exchange into the meter's retained state message (canonical JSON) and remembers its entities. */
    public void state(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        String entities = exchange.getProperty(ENTITIES_PROPERTY, "", String.class);
        Map<String, String> units = new LinkedHashMap<>();
        reading.groups().values().forEach(r -> {
            if (r.unit() != null) {
                units.put(r.label(), r.unit());
            }
        });
        if (reading.pmePmi() != null) {
            reading.pmePmi().derived().forEach((label, q) -> {
                if (q.unit() != null) {
                    units.put("derived." + label, q.unit());
                }
            });
        }
        List<String> list = new ArrayList<>();
        for (String e : entities.split(",")) {
            String entity = e.trim();
            if (!entity.isEmpty() && (present(reading, entity))) {
                list.add(entity);
            }
        }
        known.put(meter, new Known(reading.meterId(), reading.mode(), list, units));
        exchange.getMessage().setBody(ReadingJson.toJson(reading));
        exchange.getMessage().setHeader("CamelPahoMqtt5OverrideTopic", prefix + "/" + meter + "/state");
        exchange.getMessage().setHeader("CamelPahoMqtt5Retained", true);
    }

    /**
     * True when the frame's values differ from the last state published for its meter (times and
     * sequence numbers aside): with {@code tic.mqtt.on-change}, unchanged states are not published again.
     */
    public boolean changed(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        Map<String, Object> values = new LinkedHashMap<>();
        reading.groups().values().forEach(r -> {
            if (!"DATE".equals(r.label())) {
                values.put(r.label(), r.raw());
            }
        });
        return !values.equals(lastPublished.put(meter, values));
    }

    /** Records a failed publish (broker down). */
    public void publishFailed() {
        brokerFailing = true;
    }

    /**
     * Records a successful publish; true when it is the first after failures (the broker came back, and may
     * have lost what it retained): the next state of every meter is then published even if unchanged.
     */
    public boolean publishSucceeded() {
        boolean recovered = brokerFailing;
        brokerFailing = false;
        if (recovered) {
            lastPublished.clear();
        }
        return recovered;
    }

    /**
     * True when a publish failed only because the client's in-flight window was full ("Too many publishes
     * in progress", Paho reason code 32202): back-pressure, not a broker outage.
     */
    public boolean inFlightFull(Exchange exchange) {
        MqttException mqtt = ObjectHelper.getException(MqttException.class,
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        return mqtt != null && mqtt.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT;
    }

    /**
     * Empty retained messages that remove what the meters no longer configured left on the broker: their
     * state and availability, and the discovery config of every entity they could have had (Home Assistant
     * deletes an entity whose config becomes empty).
     */
    public List<Message> removals() {
        List<Message> out = new ArrayList<>();
        for (StateStore.RemovedMeter m : store.removed()) {
            out.add(new Message(prefix + "/" + m.name() + "/state", ""));
            out.add(new Message(prefix + "/" + m.name() + "/availability", ""));
            if (m.meterId() == null) {
                continue;
            }
            List<String> entities = new ArrayList<>(m.labels());
            if (m.labels().contains("STGE")) {
                List.of("couleurJour", "couleurDemain", "depassementPuissance", "producteur")
                        .forEach(field -> entities.add("STGE." + field));
            }
            for (String entity : entities) {
                out.add(new Message(configTopic(m.meterId(), objectId(entity)), ""));
            }
        }
        return out;
    }

    /** Retained {@code offline} for the gateway and every meter: published at a clean stop. */
    public List<Message> offline() {
        List<Message> out = new ArrayList<>();
        out.add(new Message(gatewayAvailabilityTopic(), "offline"));
        for (MeterState m : store.meters()) {
            out.add(new Message(prefix + "/" + m.name() + "/availability", "offline"));
        }
        return out;
    }

    /** One message per label, {@code <prefix>/<meter>/<label>}: the trimmed value as sent. */
    public List<Message> perLabel(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        List<Message> out = new ArrayList<>();
        // + and # are MQTT wildcards: NJOURF+1 is published as NJOURF_1
        reading.groups().values().forEach(r -> out.add(new Message(prefix + "/" + meter + "/"
                + r.label().replace('+', '_').replace('#', '_'), r.raw().trim())));
        return out;
    }

    private static boolean present(MeterReading reading, String entity) {
        if (entity.startsWith("derived.")) {
            return reading.pmePmi() != null && reading.pmePmi().derived().containsKey(entity.substring(8));
        }
        int dot = entity.indexOf('.');
        return reading.groups().containsKey(dot > 0 ? entity.substring(0, dot) : entity);
    }

    /** Discovery configs of every meter seen (all = true), or only of those not announced yet. */
    public List<Message> discovery(boolean all) {
        List<Message> out = new ArrayList<>();
        known.forEach((meter, k) -> {
            if (all || announced.putIfAbsent(meter, Boolean.TRUE) == null) {
                announced.put(meter, Boolean.TRUE);
                for (String entity : k.entities()) {
                    out.add(config(meter, k, entity));
                }
            }
        });
        return out;
    }

    /**
     * {@code online}/{@code offline} per meter (offline when its source is down or silent), and the
     * gateway's {@code online}: all of them ({@code all}), or only those that changed since last published.
     */
    public List<Message> availability(boolean all) {
        List<Message> out = new ArrayList<>();
        out.add(new Message(gatewayAvailabilityTopic(), "online"));
        long now = System.currentTimeMillis();
        for (MeterState m : store.meters()) {
            TicStatistics stats = m.statistics();
            boolean up = stats != null && now - m.updatedAt() < noDataMillis && (stats.isConnected() || stats.isFinished());
            out.add(new Message(prefix + "/" + m.name() + "/availability", up ? "online" : "offline"));
        }
        if (all) {
            out.forEach(message -> availabilitySent.put(message.topic(), message.payload()));
            return out;
        }
        return out.stream().filter(message -> !message.payload().equals(availabilitySent.put(message.topic(),
                message.payload()))).toList();
    }

    private static String objectId(String entity) {
        return entity.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase();
    }

    private String configTopic(String meterId, String objectId) {
        return discoveryPrefix + "/sensor/tic_" + meterId + "/" + objectId + "/config";
    }

    private Message config(String meter, Known k, String entity) {
        String objectId = objectId(entity);
        String uniqueId = "tic_" + k.meterId() + "_" + objectId;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", entity);
        c.put("unique_id", uniqueId);
        c.put("object_id", "tic_" + meter + "_" + objectId);
        c.put("state_topic", prefix + "/" + meter + "/state");
        c.put("value_template", template(entity));
        String unit = k.units().get(entity);
        LabelInfo info = entity.contains(".") ? null : LabelDictionary.of(k.family()).info(entity);
        boolean numeric = unit != null || (info != null && info.numeric());
        if (unit != null) {
            c.put("unit_of_measurement", unit);
            String deviceClass = deviceClass(unit);
            if (deviceClass != null) {
                c.put("device_class", deviceClass);
            }
        }
        if (numeric) {
            boolean energy = unit != null && (unit.endsWith("Wh") || unit.endsWith("varh") || unit.endsWith("VArh")
                    || unit.endsWith("VAh"));
            c.put("state_class", energy || (info != null && info.index()) ? "total_increasing" : "measurement");
        }
        c.put("availability", List.of(Map.of("topic", gatewayAvailabilityTopic()),
                Map.of("topic", prefix + "/" + meter + "/availability")));
        c.put("availability_mode", "all");
        c.put("device", Map.of("identifiers", List.of("tic_" + k.meterId()), "name", "Compteur " + meter,
                "manufacturer", "Enedis", "model", "TIC " + k.family().id(), "serial_number", k.meterId()));
        try {
            return new Message(configTopic(k.meterId(), objectId), ReadingJson.mapper().writeValueAsString(c));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String template(String entity) {
        if (entity.startsWith("derived.")) {
            return "{{ value_json.derived['" + entity.substring(8) + "'].value }}";
        }
        int dot = entity.indexOf('.');
        if (dot > 0) {
            return "{{ value_json.groups['" + entity.substring(0, dot) + "'].value." + entity.substring(dot + 1) + " }}";
        }
        return "{{ value_json.groups['" + entity + "'].value }}";
    }

    private static String deviceClass(String unit) {
        return switch (unit) {
            case "Wh", "kWh" -> "energy";
            case "VA", "kVA" -> "apparent_power";
            case "W", "kW" -> "power";
            case "A" -> "current";
            case "V" -> "voltage";
            case "min" -> "duration";
            default -> null;
        };
    }
}
