package io.ticgateway.app;

import io.ticgateway.app.HomeAssistantEntities.Kind;
import io.ticgateway.app.HomeAssistantEntities.Presentation;
import io.ticgateway.protocol.TicMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Home Assistant MQTT discovery config of one entity, after Home Assistant's current rules: a
 * {@code default_entity_id} ({@code object_id} is deprecated), the same {@code unique_id} as release 0.1.0,
 * {@code binary_sensor} for flags, {@code enum} with its options for colours and tariff periods, the
 * unit and state class each device class allows, a friendly name with the label in the attributes, an
 * {@code origin}, and a template that keeps the entity's state when the label is absent from a frame.
 */
final class DiscoveryConfig {

    /** Where a config goes and what it says. */
    record Entity(String component, String objectId, Map<String, Object> payload) {
    }

    private final String prefix;
    private final String discoveryPrefix;
    private final String language;

    DiscoveryConfig(String prefix, String discoveryPrefix, String language) {
        this.prefix = prefix;
        this.discoveryPrefix = discoveryPrefix;
        this.language = language;
    }

    /** {@code east}, {@code stge_couleurjour}, {@code derived_conso_totale_s}: as in release 0.1.0. */
    static String objectId(String entity) {
        return entity.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    }

    /** The component an entity is published as. */
    static String component(TicMode family, String entity) {
        return HomeAssistantEntities.of(family, entity, false).kind() == Kind.BINARY ? "binary_sensor" : "sensor";
    }

    String topic(String component, String meterId, String entity) {
        return discoveryPrefix + "/" + component + "/tic_" + meterId + "/" + objectId(entity) + "/config";
    }

    /**
     * Every topic an entity's config may be on: its component's, and for a flag the {@code sensor} topic
     * release 0.1.0 used (emptied, so that Home Assistant drops the old entity).
     */
    List<String> topics(TicMode family, String meterId, String entity) {
        List<String> out = new ArrayList<>();
        String component = component(family, entity);
        out.add(topic(component, meterId, entity));
        if (!"sensor".equals(component)) {
            out.add(topic("sensor", meterId, entity));
        }
        return out;
    }

    /**
     * The config of one entity.
     *
     * @param unit    the unit the meter sends (null for none)
     * @param numeric the label's value is a number
     */
    Map<String, Object> payload(String meter, String meterId, TicMode family, String entity, String unit, boolean numeric) {
        Presentation p = HomeAssistantEntities.of(family, entity, numeric || unit != null);
        String component = p.kind() == Kind.BINARY ? "binary_sensor" : "sensor";
        String objectId = objectId(entity);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", p.name(language));
        c.put("unique_id", "tic_" + meterId + "_" + objectId);
        c.put("default_entity_id", component + ".tic_" + objectId(meter) + "_" + objectId);
        c.put("state_topic", prefix + "/" + meter + "/state");
        c.put("value_template", null); // placed here, written once the fields that make a state numeric are known
        c.put("json_attributes_topic", prefix + "/" + meter + "/state");
        c.put("json_attributes_template", "{{ {'label': '" + entity + "'} | tojson }}");
        switch (p.kind()) {
            case BINARY -> {
                c.put("payload_on", "ON");
                c.put("payload_off", "OFF");
                if (entity.endsWith(".depassementPuissance")) {
                    c.put("device_class", "problem");
                }
            }
            case ENUM -> {
                c.put("device_class", "enum");
                c.put("options", p.options());
            }
            case COUNTER -> c.put("state_class", "total_increasing");
            case MEASURE -> measure(c, unit);
            default -> {
                // TEXT and NUMBER: a plain value, no unit, no state class
            }
        }
        // Home Assistant expects a number from a sensor with a unit, a state class or a non-enum device class
        boolean numericState = p.kind() != Kind.BINARY && (c.containsKey("unit_of_measurement")
                || c.containsKey("state_class") || c.containsKey("device_class") && !"enum".equals(c.get("device_class")));
        c.put("value_template", template(entity, p.kind(), numericState));
        if (p.diagnostic()) {
            c.put("entity_category", "diagnostic");
        }
        c.put("availability", List.of(Map.of("topic", prefix + "/gateway/availability"),
                Map.of("topic", prefix + "/" + meter + "/availability")));
        c.put("availability_mode", "all");
        c.put("device", Map.of("identifiers", List.of("tic_" + meterId), "name", ("en".equals(language) ? "Meter " : "Compteur ") + meter,
                "manufacturer", "Enedis", "model", "TIC " + family.id(), "serial_number", meterId));
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", "TIC Gateway");
        String version = DiscoveryConfig.class.getPackage().getImplementationVersion();
        if (version != null) {
            origin.put("sw_version", version);
        }
        c.put("origin", origin);
        return c;
    }

    /** Unit, device class and state class of a measure, as Home Assistant's sensor constants allow them. */
    private static void measure(Map<String, Object> c, String unit) {
        String haUnit = "VArh".equals(unit) ? "varh" : unit;
        String deviceClass = deviceClass(haUnit);
        if (haUnit != null) {
            c.put("unit_of_measurement", haUnit);
        }
        if (deviceClass != null) {
            c.put("device_class", deviceClass);
        }
        boolean total = haUnit != null && haUnit.endsWith("h") && !"h".equals(haUnit);
        c.put("state_class", total ? "total_increasing" : "measurement");
    }

    private static String deviceClass(String unit) {
        if (unit == null) {
            return null;
        }
        return switch (unit) {
            case "Wh", "kWh" -> "energy";
            case "varh", "kvarh" -> "reactive_energy";
            case "VA", "kVA" -> "apparent_power";
            case "W", "kW" -> "power";
            case "var", "kvar" -> "reactive_power";
            case "A" -> "current";
            case "V" -> "voltage";
            case "min" -> "duration";
            default -> null;
        };
    }

    /**
     * The value of an entity in the state JSON. When the frame lacks it (a label held back, a label sent
     * now and then) the entity keeps its state: a sensor read as a number gets an empty string, which Home Assistant
     * ignores ({@code this.state} would be in the unit the user chose for display, read back as the native
     * unit: kWh as Wh, a drop the energy dashboard takes for a reset); the other sensors and flags get
     * their current state ({@code this.state}), or none while they have none yet.
     */
    private static String template(String entity, Kind kind, boolean numericState) {
        String present;
        String value;
        if (entity.startsWith("derived.")) {
            String name = entity.substring(8);
            present = "'" + name + "' in value_json.get('derived', {})";
            value = "value_json.derived['" + name + "'].value";
        } else {
            int dot = entity.indexOf('.');
            String label = dot > 0 ? entity.substring(0, dot) : entity;
            present = "'value' in value_json.groups.get('" + label + "', {})";
            value = "value_json.groups['" + label + "'].value" + (dot > 0 ? "." + entity.substring(dot + 1) : "");
        }
        if (kind == Kind.BINARY) {
            return "{{ ('ON' if " + value + " else 'OFF') if " + present
                    + " else (this.state | upper if this.state in ['on', 'off'] else None) }}";
        }
        if (!numericState) {
            return "{{ " + value + " if " + present
                    + " else (this.state if this.state not in ['unknown', 'unavailable'] else None) }}";
        }
        return "{{ " + value + " if " + present + " else '' }}";
    }
}
