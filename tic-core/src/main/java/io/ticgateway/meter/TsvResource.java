package io.ticgateway.meter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A table shipped as a tab-separated resource: one row a line, {@code #} comments and blank lines skipped. */
public final class TsvResource {

    private TsvResource() {
    }

    /**
     * The rows of a resource next to a class.
     *
     * @throws IllegalStateException when the resource is missing or a row has not {@code columns} columns
     */
    public static List<String[]> rows(Class<?> anchor, String resource, int columns) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing table " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length != columns) {
                    throw new IllegalStateException(resource + ": " + columns + " columns expected in '" + line + "'");
                }
                rows.add(cols);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
