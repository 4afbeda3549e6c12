package io.ticgateway.app;

import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * CSV lines of a frame, one per group: {@code receivedAt;time;meter;label;raw;value;unit} (semicolons, as French
 * spreadsheets expect), after that header line when they start the meter's file of the day.
 */
public class FrameCsv {

    /** Header line of the CSV files. */
    public static final String HEADER = "receivedAt;time;meter;label;raw;value;unit";

    private final Path dir;

    /** @param dir the files sink's folder ({@code tic.files.dir}), where each meter's day files are */
    public FrameCsv(Path dir) {
        this.dir = dir;
    }

    /** The frame's rows, each ending with a newline; the header first in a new day file ({@code ticDay}). */
    public String rows(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        StringBuilder out = new StringBuilder(reading.groups().size() * 48 + HEADER.length() + 1);
        String day = exchange.getMessage().getHeader("ticDay", String.class);
        if (day != null && !Files.exists(dir.resolve(meter).resolve(meter + "-" + day + ".csv"))) {
            out.append(HEADER).append('\n');
        }
        for (Reading r : reading.groups().values()) {
            Object value = r.value();
            out.append(reading.receivedAtIso()).append(';').append(nullToEmpty(reading.time())).append(';')
                    .append(meter).append(';').append(r.label()).append(';').append(quote(r.raw())).append(';')
                    .append(value instanceof Number || value instanceof String ? quote(value.toString()) : "")
                    .append(';').append(nullToEmpty(r.unit())).append('\n');
        }
        return out.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String quote(String s) {
        if (s.indexOf(';') < 0 && s.indexOf('"') < 0 && s.indexOf(' ') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
