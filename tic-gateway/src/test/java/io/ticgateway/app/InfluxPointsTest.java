package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.Quantity;
import io.ticgateway.meter.Reading;
import io.ticgateway.meter.Stge;
import io.ticgateway.protocol.DecoderOptions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;

/**
 * The line written for every frame of the corpus holds the same series, fields, field types and time as the
 * point the InfluxDB client library builds from the same values (the library sorts its fields; the gateway
 * writes them in the frame's order).
 */
class InfluxPointsTest {

    @ParameterizedTest
    @ValueSource(strings = {Corpus.STANDARD_LAINS, Corpus.STANDARD_GOTELEINFO, Corpus.HISTORIC_TEMPO,
            Corpus.HISTORIC_TRI_2023, Corpus.CBEMM_3, Corpus.PMEPMI})
    void sameLinesAsTheClientLibrary(String capture) {
        InfluxPoints points = new InfluxPoints();
        List<MeterReading> readings = readings(capture);
        assertThat(readings).isNotEmpty();
        int compared = 0;
        for (MeterReading reading : readings) {
            InfluxPoints.Point point = points.point(reading, "salle des compteurs, 2=b", Set.of());
            Point expected = clientPoint(reading, "salle des compteurs, 2=b");
            if (expected == null) {
                assertThat(point).isNull();
                continue;
            }
            long nanos = point.timeMillis() * 1_000_000L + 7;
            assertThat(parse(point.line(nanos))).isEqualTo(parse(expected.lineProtocol(TimeUnit.NANOSECONDS)
                    .replaceFirst(" \\d+$", " " + nanos)));
            long time = reading.time() != null ? OffsetDateTime.parse(reading.time()).toInstant().toEpochMilli()
                    : reading.receivedAt();
            assertThat(point.timeMillis()).isEqualTo(time);
            compared++;
        }
        assertThat(compared).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SimulatedFamily.class)
    void sameLinesAsTheClientLibraryFrameAfterFrame(SimulatedFamily family) {
        // values that change from frame to frame beside unchanged ones: the fields kept per group are redone
        MeterSimulator simulator = new MeterSimulator(family, null, 0, 1_768_464_000_000L, 7);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 400; i++) {
            bytes.writeBytes(simulator.nextFrame());
        }
        InfluxPoints points = new InfluxPoints();
        List<MeterReading> readings = readings(bytes.toByteArray());
        assertThat(readings).hasSize(400);
        for (MeterReading reading : readings) {
            InfluxPoints.Point point = points.point(reading, "m", Set.of());
            Point expected = clientPoint(reading, "m");
            assertThat(parse(point.line(5))).isEqualTo(parse(expected.lineProtocol(TimeUnit.NANOSECONDS)
                    .replaceFirst(" \\d+$", " 5")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Corpus.STANDARD_LAINS})
    void onlyTheSelectedLabels(String capture) {
        MeterReading reading = readings(capture).get(0);
        String line = new InfluxPoints().point(reading, "m", Set.of("EAST", "URMS1")).line(1);
        assertThat(parse(line).get("fields")).asString().contains("EAST=", "URMS1=").doesNotContain("IRMS1=");
    }

    private static List<MeterReading> readings(String capture) {
        return readings(Corpus.bytes(capture));
    }

    private static List<MeterReading> readings(byte[] bytes) {
        List<MeterReading> readings = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, readings::add, r -> { });
        stream.feed(bytes, 0, bytes.length);
        stream.endOfInput();
        return readings;
    }

    /** The point as the gateway wrote it with the InfluxDB client library (the reference). */
    private static Point clientPoint(MeterReading reading, String meter) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("meter", meter);
        tags.put("meter_id", reading.meterId());
        tags.put("family", reading.mode().id());
        if (reading.clockUnsynchronised()) {
            tags.put("clock", "unsynchronised");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Reading r : reading.groups().values()) {
            if (r.value() instanceof Number number) {
                fields.put(r.label(), number.doubleValue());
            } else if (r.value() instanceof Stge stge) {
                fields.put("STGE_couleur_jour", stge.couleurJour().ordinal());
                fields.put("STGE_couleur_demain", stge.couleurDemain().ordinal());
                fields.put("STGE_depassement", stge.depassementPuissance() ? 1 : 0);
                fields.put("STGE_index_fourniture", stge.indexFourniture());
            }
        }
        if (reading.pmePmi() != null) {
            tags.put("period", reading.pmePmi().period());
        }
        for (Map.Entry<String, Quantity> d : reading.allDerived().entrySet()) {
            if (d.getValue().value() instanceof Number number) {
                fields.put(d.getKey(), number.doubleValue());
            }
        }
        return fields.isEmpty() ? null : Point.measurement("tic_" + reading.mode().id()).time(1, TimeUnit.NANOSECONDS)
                .tag(tags).fields(fields).build();
    }

    /** A line's measurement and tags, its fields by key (value text as written: type suffix included), its time. */
    private static Map<String, Object> parse(String line) {
        List<String> parts = splitUnescaped(line, ' ');
        assertThat(parts).hasSize(3);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("series", parts.get(0));
        Map<String, Double> fields = new TreeMap<>();
        Map<String, Boolean> integers = new TreeMap<>();
        for (String field : splitUnescaped(parts.get(1), ',')) {
            int eq = field.lastIndexOf('=');
            String value = field.substring(eq + 1);
            integers.put(field.substring(0, eq), value.endsWith("i"));
            fields.put(field.substring(0, eq), Double.parseDouble(value.replaceFirst("i$", "")));
        }
        out.put("fields", fields);
        out.put("integers", integers);
        out.put("time", parts.get(2));
        return out;
    }

    private static List<String> splitUnescaped(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
