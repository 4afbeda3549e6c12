package io.ticgateway.app;

import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import java.util.Locale;

/** The JSON line the files sink writes for a frame, in the layout of {@code tic.files.format}. */
public final class FilesLine {

    /** {@code full}: the canonical JSON; {@code compact}: values only (see {@link ReadingJson#toCompactJson}). */
    public enum Format { FULL, COMPACT }

    private final Format format;

    public FilesLine(Format format) {
        this.format = format;
    }

    /** The format named by a {@code tic.files.format} value, or null when it names none. */
    static Format parse(String value) {
        try {
            return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The frame's line, without its newline. */
    public String line(MeterReading reading) {
        return format == Format.COMPACT ? ReadingJson.toCompactJson(reading) : ReadingJson.toJson(reading);
    }
}
