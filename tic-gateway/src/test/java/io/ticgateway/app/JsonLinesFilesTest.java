package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.DecodedJson;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.protocol.DecoderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files sink writes one line per frame: the canonical JSON ({@code full}) or values only ({@code compact}). */
class JsonLinesFilesTest {

    @TempDir
    Path dir;

    @Test
    void everyFrameIsOneCompactLine() throws Exception {
        List<String> expected = lines(Corpus.PMEPMI, ReadingJson::toCompactJson);
        assertThat(writtenBy("compact", Corpus.PMEPMI, expected.size())).isEqualTo(expected);
        assertThat(written().get(1)).contains("\"values\":{").doesNotContain("\"groups\"", "\"raw\"");
    }

    @Test
    void everyFrameIsOneCanonicalLine() throws Exception {
        List<String> expected = lines(Corpus.PMEPMI, ReadingJson::toJson);
        assertThat(writtenBy("full", Corpus.PMEPMI, expected.size())).isEqualTo(expected);
    }

    @Test
    void aFileThatCannotBeOpenedCountsItsFramesAsDropped() throws Exception {
        io.ticgateway.app.delivery.SinkCounters counters = new io.ticgateway.app.delivery.SinkCounters();
        Path files = dir.resolve("frames");
        Files.createDirectories(files);
        Files.writeString(files.resolve("m"), "a file where the meter's folder should be");
        JsonLinesFiles writer = new JsonLinesFiles(files, JsonLinesFiles.Format.FULL, counters);
        MeterReading reading = readings(Corpus.PMEPMI).get(0);
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(
                new org.apache.camel.impl.DefaultCamelContext());
        exchange.getMessage().setBody(reading);
        exchange.getMessage().setHeader("CamelTicMeterName", "m");
        for (int i = 0; i < 3; i++) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.process(exchange))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(counters.droppedCount("files", "write-error")).isEqualTo(3);
        Files.delete(files.resolve("m")); // the folder can be made again: the next frame is written
        writer.process(exchange);
        writer.close();
        assertThat(counters.deliveredCount("files")).isEqualTo(1);
        assertThat(Files.readAllLines(files.resolve("m").resolve(Files.list(files.resolve("m")).findFirst()
                .orElseThrow().getFileName()))).hasSize(1);
    }

    @Test
    void linesWrittenToAFileRemovedMeanwhileCountAsDropped() throws Exception {
        io.ticgateway.app.delivery.SinkCounters counters = new io.ticgateway.app.delivery.SinkCounters();
        Path files = dir.resolve("frames");
        JsonLinesFiles writer = new JsonLinesFiles(files, JsonLinesFiles.Format.FULL, counters);
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(
                new org.apache.camel.impl.DefaultCamelContext());
        exchange.getMessage().setBody(readings(Corpus.PMEPMI).get(0));
        exchange.getMessage().setHeader("CamelTicMeterName", "m");
        writer.process(exchange);
        writer.process(exchange);
        org.apache.camel.util.FileUtil.removeDir(files.resolve("m").toFile()); // rm -rf while the day's file is open
        writer.close();
        assertThat(counters.droppedCount("files", "file-removed")).isEqualTo(2);
        assertThat(counters.deliveredCount("files")).isZero();
        writer.process(exchange); // the next frame makes the folder and file again
        writer.close();
        assertThat(counters.deliveredCount("files")).isEqualTo(1);
        try (Stream<Path> days = Files.list(files.resolve("m"))) {
            assertThat(Files.readAllLines(days.findFirst().orElseThrow())).hasSize(1);
        }
    }

    /** The lines the files sink wrote for a capture in a layout, once it wrote {@code count} of them. */
    private List<String> writtenBy(String format, String captureName, int count) throws Exception {
        byte[] capture = Corpus.bytes(captureName);
        Path source = Files.write(dir.resolve("pme.bin"), capture);
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = pme",
                "tic.meter.pme.source = tic:file:" + source,
                "tic.meter.pme.family = pmepmi",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.dir = " + dir.resolve("frames"),
                "tic.files.format = " + format,
                "camel.server.port = " + ExternalProcess.freePort(), ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        gateway.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> written().size() == count);
            return written();
        } finally {
            gateway.stop();
        }
    }

    /** The lines of a capture in a layout, as the decoder gives its frames, without the receive time. */
    private static List<String> lines(String captureName, java.util.function.Function<MeterReading, String> layout) {
        return readings(captureName).stream().map(r -> DecodedJson.withoutReceiveTime(layout.apply(r))).toList();
    }

    private static List<MeterReading> readings(String captureName) {
        byte[] bytes = Corpus.bytes(captureName);
        List<MeterReading> lines = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null,
                lines::add, r -> { });
        stream.feed(bytes, 0, bytes.length);
        stream.endOfInput();
        return lines;
    }

    private List<String> written() throws Exception {
        Path folder = dir.resolve("frames/pme");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path day : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                Files.readAllLines(day).stream().map(DecodedJson::withoutReceiveTime).forEach(lines::add);
            }
        }
        return lines;
    }
}
