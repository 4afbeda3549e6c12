package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tic.files.csv = true}: a capture replayed as fast as it can be read gives the CSV rows of every
 * frame, in the order of the frames (as its JSON lines are); rows that cannot be written are counted as
 * dropped by their own sink, {@code csv}, and the JSON lines go on.
 */
class CsvFilesTest {

    private static final int FRAMES = 1500;

    @TempDir
    Path dir;

    @Test
    void csvRowsFollowTheFramesInOrder() throws Exception {
        replay();
        List<String> lines = Files.readAllLines(dayFile(".csv"));
        assertThat(lines.get(0)).isEqualTo(FrameCsv.HEADER); // once, at the top
        assertThat(lines).filteredOn(FrameCsv.HEADER::equals).hasSize(1);
        List<String> fromCsv = lines.stream()
                .map(row -> row.split(";", -1)).filter(cells -> cells[3].equals("EAST")).map(cells -> cells[4]).toList();
        assertThat(eastFromJsonLines()).hasSize(FRAMES);
        assertThat(fromCsv).isEqualTo(eastFromJsonLines());
    }

    @Test
    void rowsThatCannotBeWrittenAreCountedAndTheJsonLinesGoOn() throws Exception {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyyMMdd");
        for (LocalDate date : List.of(LocalDate.now(), LocalDate.now().plusDays(1))) { // folders in the way of the day's CSV
            Files.createDirectories(dir.resolve("frames/csv/csv-" + day.format(date) + ".csv"));
        }
        Map<String, Object> sinks = replay();
        assertThat(eastFromJsonLines()).hasSize(FRAMES);
        @SuppressWarnings("unchecked")
        Map<String, Object> csv = (Map<String, Object>) sinks.get("csv");
        assertThat((Map<String, Object>) csv.get("dropped")).containsEntry("write-error", (long) FRAMES);
        assertThat((long) csv.get("failures")).isEqualTo(FRAMES);
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) sinks.get("files");
        assertThat((long) files.get("failures")).isZero();
    }

    /** Replays the capture with JSON lines and CSV rows; the sinks' counters once it is written out. */
    private Map<String, Object> replay() throws Exception {
        Path capture = SimulatedCapture.standard(dir.resolve("std.bin"), FRAMES);
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = csv",
                "tic.meter.csv.source = tic:file:" + capture + "?pace=asap",
                "tic.meter.csv.family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.dir = " + dir.resolve("frames"),
                "tic.files.csv = true",
                "camel.server.port = " + ExternalProcess.freePort(), ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        gateway.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.store().meter("csv").statistics() != null
                    && gateway.store().meter("csv").statistics().isFinished());
        } finally {
            gateway.stop(); // writes the JSON lines' buffer out
        }
        return gateway.sinkCounters().snapshot();
    }

    private List<String> eastFromJsonLines() throws Exception {
        List<String> east = new ArrayList<>();
        for (String line : Files.readAllLines(dayFile(".jsonl"))) {
            JsonNode frame = ReadingJson.mapper().readTree(line);
            east.add(frame.get("groups").get("EAST").get("raw").asText());
        }
        return east;
    }

    private Path dayFile(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("frames/csv"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .findFirst().orElseThrow();
        }
    }
}
