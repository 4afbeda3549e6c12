package io.ticgateway.meter;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readings as lines of canonical JSON, UTF-8 bytes written straight into one reused buffer: the text of
 * {@link ReadingJson#write} byte for byte, without a generator's bookkeeping (the {@code decode} command,
 * where the JSON is most of the work). Complete lines only reach the output, in chunks of about 64 KB.
 *
 * <p>Not thread-safe: one stream of readings.
 */
public final class CanonicalJsonLines {

    private static final int FLUSH_AT = 1 << 16;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** The constant names of the layout, quoted with their colon. */
    private static final class Names {
        static final byte[] METER = quoted("meter");
        static final byte[] MODE = quoted("mode");
        static final byte[] TIME = quoted("time");
        static final byte[] CLOCK_DEGRADED = quoted("clockDegraded");
        static final byte[] RECEIVED_AT = quoted("receivedAt");
        static final byte[] CLOCK_UNSYNCHRONISED = quoted("clockUnsynchronised");
        static final byte[] SEQUENCE = quoted("sequence");
        static final byte[] REJECTED_GROUPS = quoted("rejectedGroups");
        static final byte[] GROUPS = quoted("groups");
        static final byte[] TARIFF_PERIOD = quoted("tariffPeriod");
        static final byte[] PERIODS = quoted("periods");
        static final byte[] DERIVED = quoted("derived");
        static final byte[] HELD_BACK = quoted("heldBack");
        static final byte[] RAW = quoted("raw");
        static final byte[] VALUE = quoted("value");
        static final byte[] UNIT = quoted("unit");
        static final byte[] TRUNCATED = quoted("truncated");

        private static byte[] quoted(String name) {
            return ('"' + name + "\":").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final OutputStream out;
    private byte[] buf;
    private int len;
    /** Labels and other names already quoted: {@code "EAST":}. */
    private final Map<String, byte[]> names = new HashMap<>();
    /** By label, the last group written and its JSON. */
    private final Map<String, GroupJson> groupJson = new HashMap<>();
    /** By position in the last frame, its groups' entries (frames repeat their layout). */
    private final GroupJson[] groupAt = new GroupJson[128];
    /** By position, the last PME-PMI period maps and their JSON (a period view is kept while unchanged). */
    private final Object[] periodAt = new Object[16];
    private final byte[][] periodJsonAt = new byte[16][];
    /** The last receive time written (frames of the same millisecond share it). */
    private long receivedMillis = Long.MIN_VALUE;
    private String receivedText;
    /** The members every frame has (meter, mode, receive time): the last value of each and its bytes. */
    private final String[] repeatedValue = new String[3];
    private final byte[][] repeatedJson = new byte[3][];
    private final Object[] compositeValues = new Object[8];
    private final byte[][] compositeJson = new byte[8][];
    private int nextComposite;

    /** @param out where the lines go; flushed by {@link #flush()} only */
    public CanonicalJsonLines(OutputStream out) {
        this(out, FLUSH_AT + 16384);
    }

    private CanonicalJsonLines(OutputStream out, int buffer) {
        this.out = out;
        this.buf = new byte[buffer];
    }

    /** A writer for {@link #json} only: no output, a buffer that grows to the largest frame. */
    public static CanonicalJsonLines strings() {
        return new CanonicalJsonLines(OutputStream.nullOutputStream(), 4096);
    }

    /** Appends the reading's canonical JSON and a newline. */
    public void write(MeterReading reading) throws IOException {
        object(reading);
        put('\n');
        if (len >= FLUSH_AT) {
            drain();
        }
    }

    /**
     * The reading's canonical JSON as a string (a line of {@link #write} without its newline), for a sink
     * that stores each frame's JSON by itself; nothing goes to the output.
     */
    public String json(MeterReading reading) {
        int mark = len;
        object(reading);
        String json = new String(buf, mark, len - mark, StandardCharsets.UTF_8);
        len = mark;
        return json;
    }

    private void object(MeterReading reading) {
        put('{');
        repeated(0, Names.METER, reading.meterId());
        put(',');
        repeated(1, Names.MODE, reading.mode().id());
        if (reading.time() != null) {
            put(',');
            string(Names.TIME, reading.time());
        }
        if (reading.clockDegraded()) {
            flag(Names.CLOCK_DEGRADED);
        }
        put(',');
        repeated(2, Names.RECEIVED_AT, receivedAt(reading));
        if (reading.clockUnsynchronised()) {
            flag(Names.CLOCK_UNSYNCHRONISED);
        }
        put(',');
        raw(Names.SEQUENCE);
        number(reading.sequence());
        if (reading.rejectedGroups() > 0) {
            put(',');
            raw(Names.REJECTED_GROUPS);
            number(reading.rejectedGroups());
        }
        put(',');
        raw(Names.GROUPS);
        put('{');
        int g = 0;
        for (Reading r : reading.groups().values()) {
            if (g > 0) {
                put(',');
            }
            GroupJson at = g < groupAt.length ? groupAt[g] : null;
            if (at != null && at.reading == r) { // the same group at the same place as in the last frame
                raw(at.json, at.length);
            } else {
                groupMember(r, g);
            }
            g++;
        }
        put('}');
        PmePmiSnapshot pme = reading.pmePmi();
        if (pme != null) {
            put(',');
            string(Names.TARIFF_PERIOD, pme.period());
            put(',');
            raw(Names.PERIODS);
            put('{');
            int p = 0;
            for (Map.Entry<String, Map<String, Quantity>> period : pme.periods().entrySet()) {
                if (p > 0) {
                    put(',');
                }
                raw(name(period.getKey()));
                periodQuantities(period.getValue(), p++);
            }
            put('}');
        }
        if (pme != null || !reading.derived().isEmpty()) { // reading.allDerived() without its copy
            Map<String, Quantity> pmeDerived = pme == null ? Map.of() : pme.derived();
            put(',');
            raw(Names.DERIVED);
            put('{');
            boolean any = quantityMembers(pmeDerived, reading.derived(), Map.of(), false);
            quantityMembers(reading.derived(), Map.of(), pmeDerived, any);
            put('}');
        }
        if (!reading.heldBack().isEmpty()) {
            put(',');
            raw(Names.HELD_BACK);
            put('{');
            boolean first = true;
            for (Map.Entry<String, String> held : reading.heldBack().entrySet()) {
                if (!first) {
                    put(',');
                }
                first = false;
                raw(name(held.getKey()));
                quoted(held.getValue());
            }
            put('}');
        }
        put('}');
    }

    /** Writes the buffered lines and flushes the output. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        out.write(buf, 0, len);
        len = 0;
    }

    private String receivedAt(MeterReading reading) {
        if (reading.receivedAt() != receivedMillis) {
            receivedMillis = reading.receivedAt();
            receivedText = reading.receivedAtIso();
        }
        return receivedText;
    }

    /**
     * {@code "LABEL":{...}}: the bytes of the label's last group again when the reading is the same object
     * (the interpreter hands back the same reading for unchanged bytes, and a reading is immutable).
     */
    private void groupMember(Reading r, int position) {
        GroupJson at = position < groupAt.length ? groupAt[position] : null;
        // the label's entry: the one at this place in the last frame (its value changed), else by label
        GroupJson last = at != null && at.label == r.label() ? at : groupJson.get(r.label());
        if (last != null && last.reading == r) {
            raw(last.json, last.length);
        } else {
            int mark = len;
            raw(name(r.label()));
            group(r);
            if (last == null && groupJson.size() < 1024) {
                last = new GroupJson(r.label());
                groupJson.put(r.label(), last);
            }
            if (last != null) {
                last.keep(r, buf, mark, len - mark);
            }
        }
        if (position < groupAt.length) {
            groupAt[position] = last;
        }
    }

    /** A PME-PMI period's values: the bytes of the last frame again when its map is the same object. */
    private void periodQuantities(Map<String, Quantity> values, int position) {
        if (position < periodAt.length && periodAt[position] == values) {
            raw(periodJsonAt[position]);
            return;
        }
        int mark = len;
        quantities(values);
        if (position < periodAt.length) {
            periodAt[position] = values;
            periodJsonAt[position] = Arrays.copyOfRange(buf, mark, len);
        }
    }

    /** A label's last reading and its member's JSON (in a buffer reused while it is large enough). */
    private static final class GroupJson {
        final String label;
        Reading reading;
        byte[] json = new byte[64];
        int length;

        GroupJson(String label) {
            this.label = label;
        }

        void keep(Reading r, byte[] from, int start, int count) {
            if (count > json.length) {
                json = new byte[Math.max(count, json.length * 2)];
            }
            System.arraycopy(from, start, json, 0, count);
            length = count;
            reading = r;
        }
    }

    private void group(Reading r) {
        put('{');
        raw(Names.RAW);
        quoted(r.raw());
        if (r.value() != null) {
            put(',');
            raw(Names.VALUE);
            value(r.value());
        }
        if (r.unit() != null) {
            put(',');
            string(Names.UNIT, r.unit());
        }
        if (r.time() != null) {
            put(',');
            string(Names.TIME, r.time());
        }
        if (r.clockDegraded()) {
            flag(Names.CLOCK_DEGRADED);
        }
        if (r.truncated()) {
            flag(Names.TRUNCATED);
        }
        put('}');
    }

    private void quantities(Map<String, Quantity> values) {
        put('{');
        quantityMembers(values, Map.of(), Map.of(), false);
        put('}');
    }

    /**
     * The members of {@code values} but those {@code skip} has, each with the value of {@code over} when that
     * has it too (so the PME-PMI values then the others are written as {@code LinkedHashMap(pme).putAll(others)}
     * orders them). Returns whether members precede the next, {@code comma} saying whether some precede these.
     */
    private boolean quantityMembers(Map<String, Quantity> values, Map<String, Quantity> over, Map<String, Quantity> skip,
                                    boolean comma) {
        boolean first = !comma;
        for (Map.Entry<String, Quantity> q : values.entrySet()) {
            if (!skip.isEmpty() && skip.containsKey(q.getKey())) {
                continue;
            }
            Quantity quantity = over.isEmpty() ? q.getValue() : over.getOrDefault(q.getKey(), q.getValue());
            if (!first) {
                put(',');
            }
            first = false;
            raw(name(q.getKey()));
            put('{');
            raw(Names.VALUE);
            value(quantity.value());
            if (quantity.unit() != null) {
                put(',');
                string(Names.UNIT, quantity.unit());
            }
            put('}');
        }
        return !first;
    }

    /** As {@link ReadingJson}'s writeValue: numbers and text directly, composites as the mapper writes them. */
    private void value(Object value) {
        if (value == null) { // a PME-PMI period value that did not parse
            ascii("null");
        } else if (value instanceof Long l) {
            number(l);
        } else if (value instanceof Integer i) {
            number(i);
        } else if (value instanceof String text) {
            quoted(text);
        } else if (value instanceof BigDecimal decimal) {
            ascii(decimal.toString());
        } else {
            raw(composite(value));
        }
    }

    /**
     * The JSON of a composite value: the parser hands back the same object while a meter's register or
     * profile is unchanged, so a few slots found by identity spare the map's hashing of every slot.
     */
    private byte[] composite(Object value) {
        for (int i = 0; i < compositeValues.length; i++) {
            if (compositeValues[i] == value) {
                return compositeJson[i];
            }
        }
        byte[] json = simple(value) ? recordJson(value) : ReadingJson.compositeJson(value).getBytes(StandardCharsets.UTF_8);
        compositeValues[nextComposite] = value;
        compositeJson[nextComposite] = json;
        nextComposite = (nextComposite + 1) % compositeValues.length;
        return json;
    }

    /** {@code "name":"value"}, its bytes kept in {@code slot} while the value is the same object. */
    private void repeated(int slot, byte[] name, String value) {
        if (repeatedValue[slot] == value) {
            raw(repeatedJson[slot]);
            return;
        }
        int mark = len;
        string(name, value);
        repeatedValue[slot] = value;
        repeatedJson[slot] = Arrays.copyOfRange(buf, mark, len);
    }

    /** {@code ,"name":true}. */
    private void flag(byte[] name) {
        put(',');
        raw(name);
        ascii("true");
    }

    private void string(byte[] name, String value) {
        raw(name);
        quoted(value);
    }

    /**
     * True for what {@link #recordJson} writes as Jackson does (STGE, day profiles): records and lists of
     * them holding numbers, booleans, text and enums. Anything else goes through Jackson (and loads it).
     */
    private static boolean simple(Object value) {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!simple(item)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Record) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                if (!simple(component.getType())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean simple(Class<?> type) {
        return type == long.class || type == int.class || type == boolean.class || type == String.class
                || type.isEnum() || type.isRecord();
    }

    /** A record (components in their declared order, as Jackson writes records) or a list of them. */
    private byte[] recordJson(Object value) {
        int mark = len;
        member(value);
        byte[] json = Arrays.copyOfRange(buf, mark, len);
        len = mark;
        return json;
    }

    private void member(Object value) {
        if (value instanceof List<?> list) {
            put('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                member(list.get(i));
            }
            put(']');
        } else if (value instanceof Record) {
            put('{');
            RecordComponent[] components = value.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    put(',');
                }
                raw(name(components[i].getName()));
                try {
                    member(components[i].getAccessor().invoke(value));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            put('}');
        } else if (value instanceof Enum<?> constant) {
            quoted(constant.name());
        } else if (value instanceof String text) {
            quoted(text);
        } else if (value instanceof Long || value instanceof Integer) {
            number(((Number) value).longValue());
        } else if (value == null) {
            ascii("null");
        } else {
            ascii(value.toString()); // Boolean
        }
    }

    /** {@code "name":}, quoted once per name. */
    private byte[] name(String name) {
        byte[] quoted = names.get(name);
        if (quoted == null) {
            int mark = len;
            quoted(name);
            put(':');
            quoted = Arrays.copyOfRange(buf, mark, len);
            len = mark;
            if (names.size() < 1024) {
                names.put(name, quoted);
            }
        }
        return quoted;
    }

    private void raw(byte[] bytes) {
        raw(bytes, bytes.length);
    }

    private void raw(byte[] bytes, int length) {
        ensure(length);
        System.arraycopy(bytes, 0, buf, len, length);
        len += length;
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    /** Text known to need no escaping and to be ASCII (numbers, {@code true}). */
    private void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) text.charAt(i);
        }
    }

    private void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            put('-');
            v = -v;
        }
        ensure(20);
        int digits = 1;
        for (long t = v / 10; t != 0; t /= 10) {
            digits++;
        }
        int at = len + digits;
        len = at;
        do {
            buf[--at] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
    }

    /** A JSON string, escaped as Jackson escapes it: {@code " \\} and control characters; UTF-8 beyond ASCII. */
    private void quoted(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[at++] = (byte) c;
            } else {
                len = at;
                escaped(s, i);
                at = len;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                }
            }
        }
        b[at++] = '"';
        len = at;
    }

    /** The character at {@code i} that needs more than one byte as is (room was ensured by the caller). */
    private void escaped(String s, int i) {
        char c = s.charAt(i);
        byte[] b = buf;
        if (c == '"' || c == '\\') {
            b[len++] = '\\';
            b[len++] = (byte) c;
        } else if (c < 0x20) {
            b[len++] = '\\';
            switch (c) {
                case '\n' -> b[len++] = 'n';
                case '\t' -> b[len++] = 't';
                case '\r' -> b[len++] = 'r';
                case '\b' -> b[len++] = 'b';
                case '\f' -> b[len++] = 'f';
                default -> {
                    b[len++] = 'u';
                    b[len++] = '0';
                    b[len++] = '0';
                    b[len++] = HEX[c >> 4];
                    b[len++] = HEX[c & 0xF];
                }
            }
        } else if (c < 0x800) {
            b[len++] = (byte) (0xC0 | (c >> 6));
            b[len++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            b[len++] = (byte) (0xF0 | (cp >> 18));
            b[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            b[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            b[len++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            b[len++] = (byte) (0xE0 | (c >> 12));
            b[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            b[len++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void ensure(int room) {
        if (len + room > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + room));
        }
    }
}
