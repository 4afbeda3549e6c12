package io.ticgateway.bench;

import io.ticgateway.Corpus;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes per frame of the files sink's JSON lines, {@code tic.files.format} full against compact, for every
 * family: the real captures of the corpus and an hour of each simulated meter (run by {@code .ci/bench-sizes}).
 */
public final class FrameSizeBench {

    private FrameSizeBench() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("| frames | n | full B/frame | compact B/frame | compact/full | full gzipped | compact gzipped |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String capture : List.of(Corpus.STANDARD_LAINS, Corpus.STANDARD_GOTELEINFO, Corpus.HISTORIC_TEMPO,
                Corpus.HISTORIC_TRI_2023, Corpus.CBEMM_3, Corpus.PMEPMI)) {
            report(capture, decode(Corpus.bytes(capture)));
        }
        for (SimulatedFamily family : SimulatedFamily.values()) {
            // an hour of frames from 2026-01-15 08:00 UTC: one frame per 1-2 s (7 s for PME-PMI at 1200 Bd)
            MeterSimulator simulator = new MeterSimulator(family, null, 0, 1_768_464_000_000L, 42);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (simulator.clockMillis() < 1_768_464_000_000L + 3_600_000L) {
                bytes.write(simulator.nextFrame());
            }
            report("simulated " + family.id() + ", one hour", decode(bytes.toByteArray()));
        }
    }

    private static List<MeterReading> decode(byte[] bytes) {
        List<MeterReading> readings = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, readings::add, r -> { });
        stream.feed(bytes, 0, bytes.length);
        stream.endOfInput();
        return readings;
    }

    private static void report(String name, List<MeterReading> readings) throws IOException {
        Size full = size(readings, ReadingJson::toJson);
        Size compact = size(readings, ReadingJson::toCompactJson);
        int n = readings.size();
        System.out.printf("| %s | %d | %,d | %,d | %.2f | %,d | %,d |%n", name, n, full.bytes / n, compact.bytes / n,
                (double) compact.bytes / full.bytes, full.gzipped / n, compact.gzipped / n);
    }

    /** Lines as the files sink writes them (one newline each), raw and gzipped as retention gzips a closed day. */
    private static Size size(List<MeterReading> readings, Function<MeterReading, String> line) throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        long bytes = 0;
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            for (MeterReading reading : readings) {
                byte[] text = (line.apply(reading) + "\n").getBytes(StandardCharsets.UTF_8);
                bytes += text.length;
                gzip.write(text);
            }
        }
        return new Size(bytes, zipped.size());
    }

    private record Size(long bytes, long gzipped) {
    }
}
