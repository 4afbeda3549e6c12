package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tic.files.csv = true}: a capture replayed as fast as it can be read gives the CSV rows of every
 * frame, in the order of the frames (as its JSON lines are).
 */
class CsvFilesTest {

    @TempDir
    Path dir;

    @Test
    void csvRowsFollowTheFramesInOrder() throws Exception {
        int frames = 1500;
        Path capture = SimulatedCapture.standard(dir.resolve("std.bin"), frames);
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
        List<String> fromJson = new ArrayList<>();
        for (String line : Files.readAllLines(dayFile(".jsonl"))) {
            JsonNode frame = ReadingJson.mapper().readTree(line);
            fromJson.add(frame.get("groups").get("EAST").get("raw").asText());
        }
        List<String> fromCsv = Files.readAllLines(dayFile(".csv")).stream()
                .map(row -> row.split(";", -1)).filter(cells -> cells[3].equals("EAST")).map(cells -> cells[4]).toList();
        assertThat(fromJson).hasSize(frames);
        assertThat(fromCsv).isEqualTo(fromJson);
    }

    private Path dayFile(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("frames/csv"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }
}
