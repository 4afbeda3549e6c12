package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.GeneratedStreams;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.ValidityPolicy;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CanonicalJsonLines} writes, frame for frame, the bytes of {@link ReadingJson#toJson}. */
class CanonicalJsonLinesTest {

    /** The captures with frames (the two cooked-tty ones have no ETX left, so no frame). */
    private static final String[] CORPUS = {Corpus.STANDARD_LAINS, Corpus.STANDARD_MIDNIGHT, Corpus.STANDARD_GOTELEINFO,
        Corpus.HISTORIC_TEMPO, Corpus.HISTORIC_TRI_2023,
        Corpus.CBEMM_1, Corpus.CBEMM_2, Corpus.CBEMM_3, Corpus.PMEPMI, Corpus.PMEPMI_EOT};

    /** Both writers' lines for every reading of a stream (lenient: damaged frames and their flags too). */
    private static void assertSameLines(String name, byte[] stream) {

        List<String> expected = new ArrayList<>();
        List<String> strings = new ArrayList<>(); // json(): the same JSON, one string per frame
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CanonicalJsonLines lines = new CanonicalJsonLines(bytes);
        CanonicalJsonLines json = CanonicalJsonLines.strings();
        MeterStream meter = new MeterStream(DecoderOptions.defaults().withPolicy(ValidityPolicy.LENIENT), null,
                reading -> {
                    expected.add(ReadingJson.toJson(reading));
                    strings.add(json.json(reading));
                    try {
                        lines.write(reading);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, rejection -> { });
        meter.feed(stream, 0, stream.length);
        meter.endOfInput();
        try {
            lines.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(expected).as(name).isNotEmpty();
        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n", -1))
                .as(name).containsExactlyElementsOf(withLastEmpty(expected));
        assertThat(strings).as(name).containsExactlyElementsOf(expected);
    }

    private static List<String> withLastEmpty(List<String> lines) {
        List<String> all = new ArrayList<>(lines);
        all.add("");
        return all;
    }

    @Test
    void everyCaptureOfTheCorpus() {
        for (String capture : CORPUS) {
            assertSameLines(capture, Corpus.bytes(capture));
        }
    }

    @Test
    void simulatedStreamsOfEveryFamily() {
        for (SimulatedFamily family : SimulatedFamily.values()) {
            MeterSimulator simulator = new MeterSimulator(family, null, 0, 1_768_464_000_000L, 42);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0; i < 3_000; i++) { // past the power window, with changing registers and periods
                stream.writeBytes(simulator.nextFrame());
            }
            assertSameLines(family.name(), stream.toByteArray());
        }
        assertSameLines("standard tri producer", GeneratedStreams.standardTriProducerStream(200));
        assertSameLines("historic over-current", GeneratedStreams.historicTriOverCurrentStream(5));
    }

    /** Status registers and day profiles written without Jackson: the same text as Jackson's, whatever the bits. */
    @Test
    void everyStatusRegisterAndDayProfileAsJacksonWritesThem() throws IOException {
        java.util.Random random = new java.util.Random(13);
        LabelInfo stge = LabelDictionary.of(io.ticgateway.protocol.TicMode.STANDARD).info("STGE");
        LabelInfo profile = LabelDictionary.of(io.ticgateway.protocol.TicMode.STANDARD).info("PJOURF+1");
        for (int i = 0; i < 2_000; i++) {
            String register = String.format("%08X", random.nextInt());
            StringBuilder blocks = new StringBuilder();
            for (int b = 0; b < 11; b++) {
                blocks.append(b < random.nextInt(12) ? String.format("%02d%02d%04X ", random.nextInt(24),
                        random.nextInt(60), random.nextInt(1 << 16)) : "NONUTILE ");
            }
            Map<String, Reading> groups = new LinkedHashMap<>();
            groups.put("STGE", ValueParser.parse(stge, register, null));
            groups.put("PJOURF+1", ValueParser.parse(profile, blocks.toString().trim(), null));
            MeterReading reading = new MeterReading("m", io.ticgateway.protocol.TicMode.STANDARD, null, false, 0, i, 0,
                    groups, null, Map.of(), Map.of(), Map.of(), false);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CanonicalJsonLines lines = new CanonicalJsonLines(bytes);
            lines.write(reading);
            lines.flush();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as(register + " " + blocks)
                    .isEqualTo(ReadingJson.toJson(reading) + "\n");
        }
    }

    /** What the meters do not send but a reading may hold: escapes, accents, signs, decimals, flags. */
    @Test
    void escapesAndRareValues() throws IOException {
        LabelInfo text = LabelInfo.unknown("MSG\t\"1\"");
        Map<String, Reading> groups = new LinkedHashMap<>();
        groups.put(text.label(), new Reading(text, "a\\b\u0001\u007f é € \uD83D\uDE00", "x", "°C", null, true, true));
        LabelInfo number = LabelInfo.unknown("N");
        groups.put("N", new Reading(number, "-12", Long.MIN_VALUE, null, "2026-01-15T08:00:00+01:00", false, false));
        groups.put("D", new Reading(LabelInfo.unknown("D"), "-0,39", new BigDecimal("-0.39"), null, null, false, false));
        groups.put("E", new Reading(LabelInfo.unknown("E"), "1E+3", new BigDecimal("1E+3"), null, null, false, false));
        groups.put("I", new Reading(LabelInfo.unknown("I"), "7", -7, null, null, false, false));
        groups.put("L", new Reading(LabelInfo.unknown("L"), "0", 0L, null, null, false, false));
        MeterReading reading = new MeterReading("m\u00e9ter", io.ticgateway.protocol.TicMode.HISTORIC,
                "2026-01-15T08:00:00+01:00", true, 1_768_464_000_123L, 7, 2, groups, null,
                Map.of("PUISSANCE_ACTIVE", new Quantity(-60L, "W")), Map.of("BASE", "index-jump"), Map.of(), true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CanonicalJsonLines lines = new CanonicalJsonLines(bytes);
        lines.write(reading);
        lines.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(ReadingJson.toJson(reading) + "\n");
    }
}
