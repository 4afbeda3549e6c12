package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames with valid checksums whose dates or values do not parse are delivered with a null value, and
 * written as JSON, never thrown (a fresh-eyes review found each of these stopping {@code decode}).
 */
class UnparsableValuesTest {

    private static final long RECEIVED = 1_767_600_000_000L;

    /** The readings of the frames, each also written by the streamed writer, which must give ReadingJson's text. */
    private static List<MeterReading> interpret(TicMode mode, List<List<TicGroup>> frames) {
        List<MeterReading> readings = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CanonicalJsonLines lines = new CanonicalJsonLines(bytes);
        StringBuilder expected = new StringBuilder();
        MeterStream stream = new MeterStream(DecoderOptions.defaults().withMode(mode), null, reading -> {
            readings.add(reading);
            expected.append(ReadingJson.toJson(reading)).append('\n');
            try {
                lines.write(reading);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, rejection -> { }, () -> RECEIVED);
        for (List<TicGroup> groups : frames) {
            byte[] frame = FrameEncoder.frame(mode, groups);
            stream.feed(frame, 0, frame.length);
        }
        try {
            lines.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        return readings;
    }

    @Test
    void aDateLabelInAHistoricFrameIsTextAndTheReceiveTimeCounts() {
        List<MeterReading> readings = interpret(TicMode.HISTORIC, List.of(List.of(
                new TicGroup("ADCO", null, "021861348497"), new TicGroup("DATE", null, "A"),
                new TicGroup("BASE", null, "001234567"))));
        assertThat(readings).singleElement().satisfies(r -> {
            assertThat(r.time()).isNull();
            assertThat(r.groups().get("DATE").value()).isEqualTo("A");
            assertThat(r.groups().get("BASE").value()).isEqualTo(1_234_567L);
        });
    }

    @Test
    void aStandardHorodateOutOfRangeHasNoTime() {
        List<MeterReading> readings = interpret(TicMode.STANDARD, List.of(List.of(
                new TicGroup("ADSC", null, "041876543210"), new TicGroup("DATE", "H260105080064", ""), // second 64
                new TicGroup("SMAXSN", "H261305071502", "05120"), // month 13
                new TicGroup("EAST", null, "000123456"))));
        assertThat(readings).singleElement().satisfies(r -> {
            assertThat(r.time()).isNull();
            assertThat(r.groups().get("SMAXSN").time()).isNull();
            assertThat(r.groups().get("SMAXSN").value()).isEqualTo(5120L);
            assertThat(r.groups().get("EAST").value()).isEqualTo(123_456L);
        });
    }

    /** A fresh-eyes review: a period value beyond a long made every later frame's totals throw. */
    @Test
    void pmePmiTotalsBeyondALongAreWrittenAsNumbers() {
        List<MeterReading> readings = interpret(TicMode.PMEPMI, List.of(
                List.of(new TicGroup("ADS", null, "041436028024"), new TicGroup("DATE", null, "05/01/26 08:00:00"),
                        new TicGroup("PTCOUR1", null, "HPE"), new TicGroup("EAP_s", null, "99999999999999999999.0kWh")),
                List.of(new TicGroup("ADS", null, "041436028024"), new TicGroup("DATE", null, "05/01/26 08:00:10"),
                        new TicGroup("PTCOUR1", null, "HPH"), new TicGroup("EAP_s", null, "999999999999999999kWh")),
                List.of(new TicGroup("ADS", null, "041436028024"), new TicGroup("DATE", null, "05/01/26 08:00:20"),
                        new TicGroup("PTCOUR1", null, "HPH"), new TicGroup("EAP_s", null, "5kWh"))));
        assertThat(readings).hasSize(3);
        assertThat(readings.get(2).allDerived().get("CONSO_TOTALE_s").value())
                .isEqualTo(new java.math.BigDecimal("100000000000000000004.0"));
    }

    @Test
    void aPmePmiPeriodValueThatDoesNotParseIsWrittenNull() {
        List<MeterReading> readings = interpret(TicMode.PMEPMI, List.of(List.of(
                new TicGroup("ADS", null, "041436028024"), new TicGroup("DATE", null, "05/01/26 08:00:00"),
                new TicGroup("PTCOUR1", null, "HPH"), new TicGroup("EAP_s", null, "x"),
                new TicGroup("DATEPA1", null, "32/01/26 08:00:00")))); // day 32
        assertThat(readings).singleElement().satisfies(r -> {
            assertThat(r.time()).isEqualTo("2026-01-05T08:00:00+01:00");
            assertThat(r.groups().get("DATEPA1").value()).isNull();
            assertThat(r.pmePmi().periods().get("HPH").get("EAP_s").value()).isNull();
        });
    }
}
