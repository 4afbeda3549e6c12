package io.ticgateway.app;

import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.PmePmiSnapshot;
import io.ticgateway.meter.Quantity;
import io.ticgateway.meter.Reading;
import io.ticgateway.meter.Stge;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.influxdb.dto.Point;

/**
 * InfluxDB points of a frame: measurement {@code tic_<family>}, tags {@code meter} (configured name),
 * {@code meter_id} and {@code family} ({@code period} for PME-PMI), the numeric values of the labels the
 * family route selects as fields, the derived values (PME-PMI totals and counters, {@code PUISSANCE_ACTIVE}),
 * and the meter's own time when it sends one.
 */
public class InfluxPoints {

    /** Exchange property, set by the family route: comma-separated labels to write, or {@code *}. */
    public static final String FIELDS_PROPERTY = "ticInfluxFields";

    private final Map<String, Set<String>> selections = new ConcurrentHashMap<>();

    /** The labels a family route selects, or an empty set standing for every numeric label ({@code *}). */
    private static Set<String> selection(String fields) {
        return "*".equals(fields.trim()) ? Set.of() : Set.copyOf(Arrays.asList(fields.trim().split("\\s*,\\s*")));
    }

    /** What a point holds, independent of the client library. */
    public record PointData(String measurement, Map<String, String> tags, Map<String, Object> fields, long timeMillis) {
    }

    /**
     * The point of a frame in InfluxDB line protocol (read by 1.x and 2.x alike), at {@code nanos}: the
     * frame's time made unique per meter ({@link io.ticgateway.app.delivery.PointClock}).
     */
    public static String line(PointData data, long nanos) {
        return Point.measurement(data.measurement()).time(nanos, TimeUnit.NANOSECONDS).tag(data.tags())
                .fields(data.fields()).build().lineProtocol(TimeUnit.NANOSECONDS);
    }

    /** What the frame of the exchange writes, or null when it has no numeric field to write. */
    public PointData data(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        String fields = exchange.getProperty(FIELDS_PROPERTY, "*", String.class);
        Set<String> wanted = selections.computeIfAbsent(fields, InfluxPoints::selection);
        long time = reading.time() != null ? OffsetDateTime.parse(reading.time()).toInstant().toEpochMilli()
                : reading.receivedAt();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("meter", meter);
        tags.put("meter_id", reading.meterId());
        tags.put("family", reading.mode().id());
        if (reading.clockUnsynchronised()) {
            tags.put("clock", "unsynchronised"); // its own series: WHERE "clock" != 'unsynchronised' leaves it out
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Reading r : reading.groups().values()) {
            if (!wanted.isEmpty() && !wanted.contains(r.label())) {
                continue;
            }
            if (r.value() instanceof Number number) {
                values.put(r.label(), number.doubleValue());
            } else if (r.value() instanceof Stge stge) {
                values.put("STGE_couleur_jour", stge.couleurJour().ordinal());
                values.put("STGE_couleur_demain", stge.couleurDemain().ordinal());
                values.put("STGE_depassement", stge.depassementPuissance() ? 1 : 0);
                values.put("STGE_index_fourniture", stge.indexFourniture());
            }
        }
        PmePmiSnapshot pme = reading.pmePmi();
        if (pme != null) {
            tags.put("period", pme.period());
        }
        for (Map.Entry<String, Quantity> d : reading.allDerived().entrySet()) {
            if (d.getValue().value() instanceof Number number) {
                values.put(d.getKey(), number.doubleValue());
            }
        }
        return values.isEmpty() ? null : new PointData("tic_" + reading.mode().id(), tags, values, time);
    }
}
