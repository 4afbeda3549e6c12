package io.ticgateway.camel.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.camel.util.IOHelper;

/**
 * Appends the exact bytes received to {@code <dir>/<name>-yyyyMMdd.raw}, one file a day, so that a line
 * can be replayed later with {@code tic:file}. A write error is reported once and recording stops; the
 * reading goes on.
 */
public final class RawRecorder implements AutoCloseable {

    private final Path dir;
    private final String name;
    private final ZoneId zone;
    private LocalDate day;
    private OutputStream out;
    private String failure;

    public RawRecorder(Path dir, String name, ZoneId zone) {
        this.dir = dir;
        this.name = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        this.zone = zone;
    }

    /** Records {@code bytes[0, length)}; returns the error message when recording failed (once). */
    public String record(byte[] bytes, int length) {
        if (failure != null) {
            return null;
        }
        try {
            LocalDate today = LocalDate.now(zone);
            if (!today.equals(day)) {
                close();
                Files.createDirectories(dir);
                out = Files.newOutputStream(file(today), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                day = today;
            }
            out.write(bytes, 0, length);
            out.flush();
            return null;
        } catch (IOException e) {
            failure = "cannot record to " + dir + ": " + e.getMessage();
            close();
            return failure;
        }
    }

    /** The file of a day. */
    public Path file(LocalDate date) {
        return dir.resolve(name + "-" + date.format(DateTimeFormatter.BASIC_ISO_DATE) + ".raw");
    }

    @Override
    public void close() {
        IOHelper.close(out);
        out = null;
        day = null;
    }
}
