package io.ticgateway.app;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ticgateway.app.delivery.SinkCounters;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.CanonicalJsonLines;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.Service;

/**
 * The files sink's writer: one JSON line per frame, in the layout of {@code tic.files.format}, appended to
 * {@code <dir>/<meter>/<meter>-yyyyMMdd.jsonl} (the system's date). Lines are written straight from the frame
 * (no string per line) into a 64 KB buffer per meter; every second ({@link #close}, route {@code files-flush})
 * and at stop, what the buffers hold is written out and the files are closed (a live meter: one write a
 * second; a capture replay: one write per 64 KB). Called on the meter's reader thread (no queue: a line
 * into a buffer costs less than a hand-over). A SIGKILL loses at most that second. Lines count as delivered
 * once written out; lines lost with a failed write are counted as dropped ({@code write-error}).
 */
public final class JsonLinesFiles implements Processor, Service {

    /** {@code full}: the canonical JSON; {@code compact}: values only (see {@link ReadingJson#toCompactJson}). */
    public enum Format { FULL, COMPACT }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

    private final Path dir;
    private final Format format;
    private final SinkCounters counters;
    private final ZoneId zone = ZoneId.systemDefault();
    private final Map<String, OpenFile> open = new HashMap<>();
    private String day;
    private long dayEndsAt;

    public JsonLinesFiles(Path dir, Format format, SinkCounters counters) {
        this.dir = dir;
        this.format = format;
        this.counters = counters;
    }

    /** The format named by a {@code tic.files.format} value, or null when it names none. */
    static Format parse(String value) {
        try {
            return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A meter's file of one day, open for appending, and the lines written since it was opened: full lines
     * as bytes straight into a buffer ({@link CanonicalJsonLines}), compact ones through a Jackson generator.
     */
    private static final class OpenFile {
        final String day;
        final Path path;
        /** The file's identity when opened (device and inode): another one, or none, at that path later means
         * it was removed or replaced, and what was written to it is gone. */
        final Object identity;
        final FileChannel channel;
        /** The file's length when opened: what a failed write is cut back to (never half a line). */
        final long openedAt;
        final OutputStream out;
        final CanonicalJsonLines full;
        final JsonGenerator compact;
        long lines;

        OpenFile(String day, Path path, FileChannel channel, Format format) throws IOException {
            this.day = day;
            this.path = path;
            this.identity = identity(path);
            this.channel = channel;
            this.openedAt = channel.size();
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.full = format == Format.FULL ? new CanonicalJsonLines(out) : null;
            this.compact = format == Format.COMPACT ? ReadingJson.mapper().createGenerator(out, JsonEncoding.UTF8) : null;
            if (compact != null) {
                compact.setRootValueSeparator(null);
            }
        }

        void write(MeterReading reading) throws IOException {
            if (full != null) {
                full.write(reading);
            } else {
                ReadingJson.writeCompact(reading, compact);
                compact.writeRaw('\n');
            }
            lines++;
        }

        /** Writes out what the buffers hold and closes the file (left open when writing out fails: see discard). */
        void close() throws IOException {
            if (full != null) {
                full.flush();
            } else {
                compact.flush();
            }
            out.flush();
            channel.close();
        }

        /** True while the path still names the file opened (not removed nor replaced since). */
        boolean stillThere() {
            try {
                return identity == null || identity.equals(identity(path));
            } catch (IOException gone) {
                return false;
            }
        }

        private static Object identity(Path path) throws IOException {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        }

        /** After a failed write: the file cut back to its length when opened, closed without writing out. */
        void discard(IOException failure) {
            try (FileChannel closing = channel) {
                closing.truncate(openedAt);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        OpenFile file;
        try {
            file = file(meter, today());
        } catch (IOException e) {
            counters.dropped("files", "write-error", 1); // this frame (the route counts the failed attempt)
            throw e;
        }
        try {
            file.write(reading);
        } catch (IOException e) {
            open.remove(meter);
            file.discard(e);
            counters.dropped("files", "write-error", file.lines + 1); // the lines since it was opened, and this one
            throw e;
        }
    }

    private OpenFile file(String meter, String today) throws IOException {
        OpenFile file = open.get(meter);
        if (file != null && file.day.equals(today)) {
            return file;
        }
        close(meter);
        Path folder = dir.resolve(meter);
        Files.createDirectories(folder);
        Path path = folder.resolve(meter + "-" + today + ".jsonl");
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            file = new OpenFile(today, path, channel, format);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        open.put(meter, file);
        return file;
    }

    /** The system's date as the files name it, recomputed once a day. */
    private String today() {
        long now = System.currentTimeMillis();
        if (day == null || now >= dayEndsAt) {
            LocalDate date = LocalDate.now(zone);
            day = DAY.format(date);
            dayEndsAt = date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        return day;
    }

    /**
     * Writes out and closes a meter's file: its lines are delivered once the operating system has them; when
     * that fails, the file is cut back to its length when opened (no half line stays), the lines written since
     * are counted as dropped ({@code write-error}) and the error goes on.
     */
    private void close(String meter) throws IOException {
        OpenFile file = open.remove(meter);
        if (file == null) {
            return;
        }
        try {
            file.close();
            if (file.stillThere()) {
                counters.delivered("files", file.lines);
            } else { // removed (or replaced) while open: its lines went with it
                counters.dropped("files", "file-removed", file.lines);
            }
        } catch (IOException e) {
            file.discard(e);
            counters.dropped("files", "write-error", file.lines);
            throw e;
        }
    }

    @Override
    public void start() {
        // files are opened by the first frame of each meter and day
    }

    /** Camel stops this service after the routes, inside its shutdown: the last lines are written out. */
    @Override
    public void stop() {
        try {
            close();
        } catch (IOException e) {
            throw new RuntimeCamelException("files sink: could not write out the last lines: " + e.getMessage(), e);
        }
    }

    /** Writes out and closes every open file: every second (route files-flush) and at stop. */
    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (String meter : open.keySet().toArray(String[]::new)) {
            try {
                close(meter);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
