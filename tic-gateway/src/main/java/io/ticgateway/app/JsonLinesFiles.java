package io.ticgateway.app;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ticgateway.app.delivery.SinkCounters;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.CanonicalJsonLines;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The files sink's writer: one JSON line per frame, in the layout of {@code tic.files.format}, appended to
 * {@code <dir>/<meter>/<meter>-yyyyMMdd.jsonl} (the system's date). Lines are written straight from the frame
 * (no string per line) into a 64 KB buffer per meter; every second ({@link #close}, route {@code files-flush})
 * and at stop, what the buffers hold is written out and the files are closed (a live meter: one write a
 * second; a capture replay: one write per 64 KB). A SIGKILL loses at most that second, as it loses what waits
 * in the sink's queue. Lines count as delivered once written out; lines lost with a failed write are counted
 * as dropped ({@code write-error}).
 */
public final class JsonLinesFiles implements Processor, AutoCloseable {

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
        final OutputStream out;
        final CanonicalJsonLines full;
        final JsonGenerator compact;
        long lines;

        OpenFile(String day, OutputStream out, Format format) throws IOException {
            this.day = day;
            this.out = out;
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

        /** Writes out what the buffers hold and closes the file. */
        void close() throws IOException {
            try (OutputStream closing = out) {
                if (full != null) {
                    full.flush();
                } else {
                    compact.flush();
                }
            }
        }
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        OpenFile file = file(meter, today());
        try {
            file.write(reading);
        } catch (IOException e) {
            open.remove(meter); // mid-line: the file is closed as it is, its lines not written out
            counters.dropped("files", "write-error", file.lines);
            try {
                file.out.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e; // this frame: counted as a failure by the route
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
        OutputStream out = new BufferedOutputStream(
                new FileOutputStream(folder.resolve(meter + "-" + today + ".jsonl").toFile(), true), 1 << 16);
        file = new OpenFile(today, out, format);
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
     * that fails, the lines the buffer held are counted as dropped ({@code write-error}) and the error goes on.
     */
    private void close(String meter) throws IOException {
        OpenFile file = open.remove(meter);
        if (file == null) {
            return;
        }
        try {
            file.close();
            counters.delivered("files", file.lines);
        } catch (IOException e) {
            counters.dropped("files", "write-error", file.lines);
            throw e;
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
