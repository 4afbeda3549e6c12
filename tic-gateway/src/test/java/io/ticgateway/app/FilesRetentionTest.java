package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files sink's disk budget: closed days gzipped, old days and days over the size bound deleted, today kept. */
class FilesRetentionTest {

    @TempDir
    Path dir;

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    private Path day(String meter, LocalDate day, int bytes) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(meter));
        return Files.writeString(folder.resolve(meter + "-" + day.toString().replace("-", "") + ".jsonl"),
                "x".repeat(bytes - 1) + "\n");
    }

    @Test
    void closedDaysAreGzippedAndOldDaysDeleted() throws Exception {
        day("home", TODAY, 100);
        day("home", TODAY.minusDays(1), 5000);
        day("home", TODAY.minusDays(40), 100);
        new FilesRetention(dir, 30, 0, true).apply(TODAY);
        assertThat(dir.resolve("home/home-20260310.jsonl")).exists();
        assertThat(dir.resolve("home/home-20260309.jsonl")).doesNotExist();
        assertThat(dir.resolve("home/home-20260129.jsonl")).doesNotExist();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("home/home-20260309.jsonl.gz")))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).hasSize(5000);
        }
    }

    @Test
    void theOldestDaysGoWhileAFolderIsOverItsSizeButNeverToday() throws Exception {
        for (int d = 0; d < 5; d++) {
            day("shop", TODAY.minusDays(d), 1000);
        }
        day("home", TODAY.minusDays(3), 1000);
        new FilesRetention(dir, 0, 2500, false).apply(TODAY);
        try (var files = Files.list(dir.resolve("shop"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("shop-20260309.jsonl", "shop-20260310.jsonl");
        }
        assertThat(dir.resolve("home/home-20260307.jsonl")).exists(); // each meter has its own budget

        new FilesRetention(dir, 0, 10, false).apply(TODAY);
        assertThat(dir.resolve("shop/shop-20260310.jsonl")).exists(); // today's file is the one being written
    }
}
