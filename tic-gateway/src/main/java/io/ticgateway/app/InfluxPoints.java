package io.ticgateway.app;

import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.PmePmiSnapshot;
import io.ticgateway.meter.Quantity;
import io.ticgateway.meter.Reading;
import io.ticgateway.meter.Stge;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;

/**
 * InfluxDB points of a frame: measurement {@code tic_<family>}, tags {@code meter} (configured name),
 * {@code meter_id} and {@code family} ({@code period} for PME-PMI), the numeric values of the labels the
 * family route selects as fields, and the meter's own time when it sends one.
 */
public class InfluxPoints {

    /** Exchange property, set by the family route: comma-separated labels to write, or {@code *}. */
    public static final String FIELDS_PROPERTY = "ticInfluxFields";

    private final String database;
    private volatile boolean databaseReady;

    public InfluxPoints(String database) {
        this.database = database;
    }

    /** What a point holds, independent of the client library. */
    record PointData(String measurement, Map<String, String> tags, Map<String, Object> fields, long timeMillis) {
    }

    /** The InfluxDB 1.x point of one frame, or null when it has no numeric field to write. */
    public Point point(Exchange exchange) throws InvalidPayloadException {
        PointData data = data(exchange);
        if (data == null) {
            return null;
        }
        return Point.measurement(data.measurement()).time(data.timeMillis(), TimeUnit.MILLISECONDS)
                .tag(data.tags()).fields(data.fields()).build();
    }

    /** The InfluxDB 2.x point of one frame, or null when it has no numeric field to write. */
    public com.influxdb.client.write.Point point2(Exchange exchange) throws InvalidPayloadException {
        PointData data = data(exchange);
        if (data == null) {
            return null;
        }
        return com.influxdb.client.write.Point.measurement(data.measurement())
                .time(data.timeMillis(), com.influxdb.client.domain.WritePrecision.MS).addTags(data.tags())
                .addFields(data.fields());
    }

    PointData data(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        String fields = exchange.getProperty(FIELDS_PROPERTY, "*", String.class);
        Set<String> wanted = "*".equals(fields.trim()) ? null : new HashSet<>(Arrays.asList(fields.split("\\s*,\\s*")));
        long time = reading.time() != null ? OffsetDateTime.parse(reading.time()).toInstant().toEpochMilli()
                : reading.receivedAt();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("meter", meter);
        tags.put("meter_id", reading.meterId());
        tags.put("family", reading.mode().id());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Reading r : reading.groups().values()) {
            if (wanted != null && !wanted.contains(r.label())) {
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
            for (Map.Entry<String, Quantity> d : pme.derived().entrySet()) {
                if (d.getValue().value() instanceof Number number) {
                    values.put(d.getKey(), number.doubleValue());
                }
            }
        }
        return values.isEmpty() ? null : new PointData("tic_" + reading.mode().id(), tags, values, time);
    }

    /** A batch of points for one write; creates the database first (idempotent) the first time. */
    public BatchPoints batch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Object> bodies = exchange.getMessage().getBody(List.class);
        if (!databaseReady) {
            InfluxDB influx = exchange.getContext().getRegistry().lookupByNameAndType("influxConnection", InfluxDB.class);
            influx.query(new Query("CREATE DATABASE \"" + database + "\""));
            databaseReady = true;
        }
        BatchPoints.Builder batch = BatchPoints.database(database).retentionPolicy("autogen");
        for (Object body : bodies) {
            if (body instanceof Point p) {
                batch.point(p);
            }
        }
        return batch.build();
    }
}
