package io.ticgateway.meter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical JSON of a frame, shared by the {@code decode} command, MQTT, files and REST.
 *
 * <pre>
 * {"meter": "...", "mode": "standard|historic|pmepmi", "time": "ISO-8601 with offset", "receivedAt": "...",
 *  "sequence": 1, "groups": {"EAST": {"raw": "003818598", "value": 3818598, "unit": "Wh"}, ...},
 *  "tariffPeriod": "HPE", "periods": {...},          (PME-PMI only)
 *  "derived": {"PUISSANCE_ACTIVE": {"value": 512, "unit": "W"}, ...},   (when there is one)
 *  "heldBack": {"EAST": "index-jump"}}               (indexes of this frame held back, when there are)
 * </pre>
 */
public final class ReadingJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private ReadingJson() {
    }

    /** The shared mapper (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The reading as one line of JSON. */
    public static String toJson(MeterReading reading) {
        try {
            return MAPPER.writeValueAsString(toMap(reading));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reading as nested maps, lists, numbers and strings, in the canonical layout. */
    public static Map<String, Object> toMap(MeterReading reading) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("meter", reading.meterId());
        root.put("mode", reading.mode().id());
        if (reading.time() != null) {
            root.put("time", reading.time());
        }
        if (reading.clockDegraded()) {
            root.put("clockDegraded", true);
        }
        root.put("receivedAt", reading.receivedAtIso());
        if (reading.clockUnsynchronised()) {
            root.put("clockUnsynchronised", true);
        }
        root.put("sequence", reading.sequence());
        if (reading.rejectedGroups() > 0) {
            root.put("rejectedGroups", reading.rejectedGroups());
        }
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Reading r : reading.groups().values()) {
            groups.put(r.label(), groupMap(r));
        }
        root.put("groups", groups);
        PmePmiSnapshot pme = reading.pmePmi();
        if (pme != null) {
            root.put("tariffPeriod", pme.period());
            Map<String, Object> periods = new LinkedHashMap<>();
            pme.periods().forEach((period, values) -> periods.put(period, quantities(values)));
            root.put("periods", periods);
        }
        Map<String, Quantity> derived = reading.allDerived();
        if (pme != null || !derived.isEmpty()) {
            root.put("derived", quantities(derived));
        }
        if (!reading.heldBack().isEmpty()) {
            root.put("heldBack", reading.heldBack());
        }
        return root;
    }

    private static Map<String, Object> groupMap(Reading r) {
        Map<String, Object> group = new LinkedHashMap<>(8);
        group.put("raw", r.raw());
        if (r.value() != null) {
            group.put("value", r.value());
        }
        if (r.unit() != null) {
            group.put("unit", r.unit());
        }
        if (r.time() != null) {
            group.put("time", r.time());
        }
        if (r.clockDegraded()) {
            group.put("clockDegraded", true);
        }
        if (r.truncated()) {
            group.put("truncated", true);
        }
        return group;
    }

    private static Map<String, Object> quantities(Map<String, Quantity> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((label, q) -> {
            Map<String, Object> entry = new LinkedHashMap<>(4);
            entry.put("value", q.value());
            if (q.unit() != null) {
                entry.put("unit", q.unit());
            }
            out.put(label, entry);
        });
        return out;
    }
}
