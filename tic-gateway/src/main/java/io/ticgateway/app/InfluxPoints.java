package io.ticgateway.app;

import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.PmePmiSnapshot;
import io.ticgateway.meter.Quantity;
import io.ticgateway.meter.Reading;
import io.ticgateway.meter.Stge;
import io.ticgateway.protocol.Horodate;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * InfluxDB points of a frame, in line protocol (read by 1.x and 2.x alike): measurement {@code tic_<family>},
 * tags {@code meter} (configured name), {@code meter_id} and {@code family} ({@code period} for PME-PMI,
 * {@code clock=unsynchronised} before the system clock was set), the numeric values of the labels the family
 * route selects as fields (floats; the STGE fields are integers), the derived values (PME-PMI totals and
 * counters, {@code PUISSANCE_ACTIVE}), and the meter's own time when it sends one. Written straight into one
 * line; the measurement and tags of a meter are built once and kept while they stay the same.
 */
public class InfluxPoints {

    /** Exchange property, set by the family route: comma-separated labels to write, or {@code *}. */
    public static final String FIELDS_PROPERTY = "ticInfluxFields";

    private final Map<String, Set<String>> selections = new ConcurrentHashMap<>();
    private final Map<String, SeriesKey> seriesKeys = new ConcurrentHashMap<>();
    private final Map<String, Fields> fields = new ConcurrentHashMap<>();

    /**
     * A meter's last fields by group position: the interpreter hands back the same (immutable) reading for a
     * group whose bytes did not change, whose field text is then the same. One reader thread per meter.
     */
    private static final class Fields {
        final Set<String> wanted;
        final Reading[] readings = new Reading[128];
        final String[] texts = new String[128];

        Fields(Set<String> wanted) {
            this.wanted = wanted;
        }
    }

    /** The labels a family route selects, or an empty set standing for every numeric label ({@code *}). */
    private static Set<String> selection(String fields) {
        return "*".equals(fields.trim()) ? Set.of() : Set.copyOf(Arrays.asList(fields.trim().split("\\s*,\\s*")));
    }

    /**
     * A frame's point without its timestamp ({@code measurement,tags fields}) and the frame's time in
     * milliseconds: the timestamp is given when the point enters the spool (the meter's point clock).
     */
    public record Point(String withoutTime, long timeMillis) {

        /** The whole line, at {@code nanos}. */
        public String line(long nanos) {
            return withoutTime + ' ' + nanos;
        }
    }

    /** The measurement and tags of a meter's points, with what they were built from. */
    private record SeriesKey(String meterId, String family, String period, boolean unsynchronised, String text) {
    }

    /** The point of the exchange's frame, or null when it has no numeric field to write. */
    public Point point(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        String fields = exchange.getProperty(FIELDS_PROPERTY, "*", String.class);
        return point(reading, meter, selections.computeIfAbsent(fields, InfluxPoints::selection));
    }

    Point point(MeterReading reading, String meter, Set<String> wanted) {
        StringBuilder line = new StringBuilder(1024);
        line.append(seriesKey(reading, meter)).append(' ');
        int start = line.length();
        Fields last = fields.get(meter);
        if (last == null || last.wanted != wanted) {
            last = new Fields(wanted);
            fields.put(meter, last);
        }
        int g = 0;
        for (Reading r : reading.groups().values()) {
            if (g < last.readings.length) {
                if (last.readings[g] != r) {
                    last.readings[g] = r;
                    last.texts[g] = fields(r, wanted);
                }
                line.append(last.texts[g]);
            } else {
                line.append(fields(r, wanted));
            }
            g++;
        }
        for (Map.Entry<String, Quantity> d : reading.allDerived().entrySet()) {
            if (d.getValue().value() instanceof Number number) {
                floatField(line, d.getKey(), number.doubleValue());
            }
        }
        if (line.length() == start) {
            return null;
        }
        line.setLength(line.length() - 1); // the last field's comma
        long time = reading.time() != null ? Horodate.epochMillis(reading.time()) : reading.receivedAt();
        return new Point(line.toString(), time);
    }

    /** The fields of one group, each followed by a comma: none when it is not selected or not numeric. */
    private static String fields(Reading r, Set<String> wanted) {
        if (!wanted.isEmpty() && !wanted.contains(r.label())) {
            return "";
        }
        StringBuilder out = new StringBuilder(32);
        if (r.value() instanceof Number number) {
            floatField(out, r.label(), number.doubleValue());
        } else if (r.value() instanceof Stge stge) {
            integerField(out, "STGE_couleur_jour", stge.couleurJour().ordinal());
            integerField(out, "STGE_couleur_demain", stge.couleurDemain().ordinal());
            integerField(out, "STGE_depassement", stge.depassementPuissance() ? 1 : 0);
            integerField(out, "STGE_index_fourniture", stge.indexFourniture());
        }
        return out.toString();
    }

    private String seriesKey(MeterReading reading, String meter) {
        PmePmiSnapshot pme = reading.pmePmi();
        String period = pme == null ? null : pme.period();
        String family = reading.mode().id();
        boolean unsynchronised = reading.clockUnsynchronised();
        SeriesKey key = seriesKeys.get(meter);
        if (key == null || !key.meterId().equals(reading.meterId()) || !key.family().equals(family)
                || !java.util.Objects.equals(key.period(), period) || key.unsynchronised() != unsynchronised) {
            StringBuilder text = new StringBuilder(128);
            escape(text, "tic_" + family, false);
            // tags sorted by key, as InfluxDB stores them
            if (unsynchronised) {
                tag(text, "clock", "unsynchronised"); // its own series: WHERE "clock" != 'unsynchronised' leaves it out
            }
            tag(text, "family", family);
            tag(text, "meter", meter);
            tag(text, "meter_id", reading.meterId());
            if (period != null) {
                tag(text, "period", period);
            }
            key = new SeriesKey(reading.meterId(), family, period, unsynchronised, text.toString());
            seriesKeys.put(meter, key);
        }
        return key.text();
    }

    private static void tag(StringBuilder line, String key, String value) {
        line.append(',');
        escape(line, key, true);
        line.append('=');
        escape(line, value, true);
    }

    private static void floatField(StringBuilder line, String key, double value) {
        if (!Double.isFinite(value)) {
            return; // InfluxDB has no NaN nor infinity
        }
        escape(line, key, true);
        line.append('=');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            line.append((long) value).append(".0");
        } else {
            line.append(value);
        }
        line.append(',');
    }

    private static void integerField(StringBuilder line, String key, long value) {
        escape(line, key, true);
        line.append('=').append(value).append("i,");
    }

    /** Line protocol escaping: commas and spaces everywhere, equal signs in tag keys, values and field keys. */
    private static void escape(StringBuilder line, String text, boolean equalSigns) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == ' ' || (equalSigns && c == '=')) {
                line.append('\\');
            }
            line.append(c);
        }
    }
}
