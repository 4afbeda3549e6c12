package io.ticgateway.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the files sink within its disk budget, per meter folder ({@code <dir>/<meter>/<meter>-yyyyMMdd.*}):
 * gzips the files of closed days when asked, deletes the days older than {@code maxAgeDays}, then the
 * oldest days while the folder is over {@code maxBytes}. Today's file is never touched. Counted in
 * {@code tic_files_deleted_total} and {@code tic_files_compressed_total}.
 */
public final class FilesRetention {

    private static final Logger LOG = LoggerFactory.getLogger(FilesRetention.class);
    private static final Pattern DAY = Pattern.compile(".*-(\\d{8})\\.(jsonl|csv)(\\.gz)?");

    private final Path dir;
    private final int maxAgeDays;
    private final long maxBytes;
    private final boolean gzip;
    private volatile MeterRegistry registry;

    public FilesRetention(Path dir, int maxAgeDays, long maxBytes, boolean gzip) {
        this.dir = dir;
        this.maxAgeDays = maxAgeDays;
        this.maxBytes = maxBytes;
        this.gzip = gzip;
    }

    /** The registry the counters go to. */
    public void setRegistry(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One pass over every meter folder, with {@code today} as the open day. */
    public void apply(LocalDate today) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> meters = Files.list(dir)) {
            for (Path meter : meters.filter(Files::isDirectory).toList()) {
                applyTo(meter, today);
            }
        }
    }

    /** One pass, today being the system's date (the files sink names files by it). */
    public void apply() throws IOException {
        apply(LocalDate.now());
    }

    private void applyTo(Path meter, LocalDate today) throws IOException {
        List<DayFile> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(meter)) {
            for (Path p : list.toList()) {
                Matcher m = DAY.matcher(p.getFileName().toString());
                if (m.matches()) {
                    try {
                        files.add(new DayFile(p, LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE)));
                    } catch (DateTimeParseException notADay) {
                        // not one of ours: left alone
                    }
                }
            }
        }
        files.sort(Comparator.comparing(DayFile::day));
        List<DayFile> kept = new ArrayList<>();
        for (DayFile f : files) {
            if (f.day().isBefore(today) && maxAgeDays > 0 && f.day().isBefore(today.minusDays(maxAgeDays))) {
                delete(f.path(), "older than " + maxAgeDays + " days");
            } else if (f.day().isBefore(today) && gzip && !f.path().toString().endsWith(".gz")) {
                kept.add(new DayFile(compress(f.path()), f.day()));
            } else {
                kept.add(f);
            }
        }
        if (maxBytes > 0) {
            long total = 0;
            for (DayFile f : kept) {
                total += Files.size(f.path());
            }
            for (DayFile f : kept) {
                if (total <= maxBytes || !f.day().isBefore(today)) {
                    break;
                }
                total -= Files.size(f.path());
                delete(f.path(), "folder over " + maxBytes / (1024 * 1024) + " MB");
            }
        }
    }

    private Path compress(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
        try (InputStream in = Files.newInputStream(file); OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            in.transferTo(out);
        }
        Files.move(tmp, gz, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.delete(file);
        count("tic.files.compressed");
        return gz;
    }

    private void delete(Path file, String why) throws IOException {
        Files.deleteIfExists(file);
        count("tic.files.deleted");
        LOG.info("Files retention: deleted {} ({})", file, why);
    }

    private void count(String name) {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter(name).increment();
        }
    }

    private record DayFile(Path path, LocalDate day) {
    }
}
