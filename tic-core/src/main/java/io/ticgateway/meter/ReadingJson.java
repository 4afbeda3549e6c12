package io.ticgateway.meter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /** Composite values (STGE, day profiles) into a generator shared by many frames: no flush after each. */
    private static final ObjectWriter VALUE_WRITER = MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    private static final SerializedString RAW = new SerializedString("raw");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString UNIT = new SerializedString("unit");
    private static final SerializedString TIME = new SerializedString("time");
    /** Labels with their quoted form, computed once (a frame writes some 40 of them); bounded against noise. */
    private static final Map<String, SerializedString> LABELS = new ConcurrentHashMap<>();
    /**
     * The JSON of composite values: a meter sends the same status register and day profile frame after
     * frame (the parser hands back the same object), so each is serialised once; bounded.
     */
    private static final Map<Object, String> COMPOSITES = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 1024;

    private ReadingJson() {
    }

    /** The shared mapper (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The reading as one line of JSON, written field by field (no intermediate map): the same text as {@link #toMap}'s. */
    public static String toJson(MeterReading reading) {
        return text(reading, ReadingJson::write, 2048);
    }

    /**
     * The reading as one compact line, values only: {@code {"meter", "mode", "time", "receivedAt", "sequence",
     * "values": {label: value}, "derived": {name: value}}}. A group whose data does not parse gives its raw
     * text; units, raw data and the groups' own times are left out (the units are those of the label tables).
     */
    public static String toCompactJson(MeterReading reading) {
        return text(reading, ReadingJson::writeCompact, 1024);
    }

    /** Writes a reading's object to a generator. */
    @FunctionalInterface
    private interface Layout {
        void write(MeterReading reading, JsonGenerator gen) throws IOException;
    }

    private static String text(MeterReading reading, Layout layout, int expectedSize) {
        StringWriter out = new StringWriter(expectedSize);
        try (JsonGenerator gen = MAPPER.createGenerator(out)) {
            layout.write(reading, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the reading's compact object (see {@link #toCompactJson}) to {@code gen}. */
    public static void writeCompact(MeterReading reading, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        writeHead(reading, gen);
        gen.writeObjectFieldStart("values");
        for (Reading r : reading.groups().values()) {
            gen.writeFieldName(label(r.label()));
            writeValue(r.value() == null ? r.raw() : r.value(), gen);
        }
        gen.writeEndObject();
        Map<String, Quantity> derived = reading.allDerived();
        if (!derived.isEmpty()) {
            gen.writeObjectFieldStart("derived");
            for (Map.Entry<String, Quantity> q : derived.entrySet()) {
                gen.writeFieldName(q.getKey());
                writeValue(q.getValue().value(), gen);
            }
            gen.writeEndObject();
        }
        gen.writeEndObject();
    }

    /** The fields both layouts start with: meter, mode, time, receivedAt, sequence and their flags. */
    private static void writeHead(MeterReading reading, JsonGenerator gen) throws IOException {
        gen.writeStringField("meter", reading.meterId());
        gen.writeStringField("mode", reading.mode().id());
        if (reading.time() != null) {
            gen.writeStringField("time", reading.time());
        }
        if (reading.clockDegraded()) {
            gen.writeBooleanField("clockDegraded", true);
        }
        gen.writeStringField("receivedAt", reading.receivedAtIso());
        if (reading.clockUnsynchronised()) {
            gen.writeBooleanField("clockUnsynchronised", true);
        }
        gen.writeNumberField("sequence", reading.sequence());
        if (reading.rejectedGroups() > 0) {
            gen.writeNumberField("rejectedGroups", reading.rejectedGroups());
        }
    }

    /** Writes the reading's canonical JSON object to {@code gen} (a stream of frames: one generator for them all). */
    public static void write(MeterReading reading, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        writeHead(reading, gen);
        gen.writeObjectFieldStart("groups");
        for (Reading r : reading.groups().values()) {
            gen.writeFieldName(label(r.label()));
            writeGroup(r, gen);
        }
        gen.writeEndObject();
        PmePmiSnapshot pme = reading.pmePmi();
        if (pme != null) {
            gen.writeStringField("tariffPeriod", pme.period());
            gen.writeObjectFieldStart("periods");
            for (Map.Entry<String, Map<String, Quantity>> period : pme.periods().entrySet()) {
                gen.writeFieldName(period.getKey());
                writeQuantities(period.getValue(), gen);
            }
            gen.writeEndObject();
        }
        Map<String, Quantity> derived = reading.allDerived();
        if (pme != null || !derived.isEmpty()) {
            gen.writeFieldName("derived");
            writeQuantities(derived, gen);
        }
        if (!reading.heldBack().isEmpty()) {
            gen.writeObjectFieldStart("heldBack");
            for (Map.Entry<String, String> held : reading.heldBack().entrySet()) {
                gen.writeStringField(held.getKey(), held.getValue());
            }
            gen.writeEndObject();
        }
        gen.writeEndObject();
    }

    private static void writeGroup(Reading r, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeFieldName(RAW);
        gen.writeString(r.raw());
        if (r.value() != null) {
            gen.writeFieldName(VALUE);
            writeValue(r.value(), gen);
        }
        if (r.unit() != null) {
            gen.writeFieldName(UNIT);
            gen.writeString(r.unit());
        }
        if (r.time() != null) {
            gen.writeFieldName(TIME);
            gen.writeString(r.time());
        }
        if (r.clockDegraded()) {
            gen.writeBooleanField("clockDegraded", true);
        }
        if (r.truncated()) {
            gen.writeBooleanField("truncated", true);
        }
        gen.writeEndObject();
    }

    private static void writeQuantities(Map<String, Quantity> values, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        for (Map.Entry<String, Quantity> q : values.entrySet()) {
            gen.writeFieldName(label(q.getKey()));
            gen.writeStartObject();
            gen.writeFieldName(VALUE);
            writeValue(q.getValue().value(), gen);
            if (q.getValue().unit() != null) {
                gen.writeFieldName(UNIT);
                gen.writeString(q.getValue().unit());
            }
            gen.writeEndObject();
        }
        gen.writeEndObject();
    }

    /** Numbers and text directly; anything else (STGE, a day profile) as the mapper writes it, as {@link #toMap} gives it. */
    private static void writeValue(Object value, JsonGenerator gen) throws IOException {
        if (value == null) { // a PME-PMI period value that did not parse
            gen.writeNull();
        } else if (value instanceof Long l) {
            gen.writeNumber(l);
        } else if (value instanceof Integer i) {
            gen.writeNumber(i);
        } else if (value instanceof String text) {
            gen.writeString(text);
        } else if (value instanceof BigDecimal decimal) {
            gen.writeNumber(decimal);
        } else {
            gen.writeRawValue(composite(value));
        }
    }

    /** The JSON of a composite value (STGE, a day profile) as {@link #write} writes it. */
    static String compositeJson(Object value) {
        try {
            return composite(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String composite(Object value) throws JsonProcessingException {
        String json = COMPOSITES.get(value);
        if (json == null) {
            json = VALUE_WRITER.writeValueAsString(value);
            if (COMPOSITES.size() >= CACHE_LIMIT) {
                COMPOSITES.clear();
            }
            COMPOSITES.put(value, json);
        }
        return json;
    }

    private static SerializedString label(String label) {
        SerializedString quoted = LABELS.get(label);
        if (quoted == null) {
            quoted = new SerializedString(label);
            if (LABELS.size() < CACHE_LIMIT) {
                LABELS.put(label, quoted);
            }
        }
        return quoted;
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
