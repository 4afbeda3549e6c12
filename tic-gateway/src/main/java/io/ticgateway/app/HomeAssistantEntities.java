package io.ticgateway.app;

import io.ticgateway.meter.LabelDictionary;
import io.ticgateway.meter.LabelInfo;
import io.ticgateway.protocol.TicMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How each Home Assistant entity is presented (kind, category, French and English names, enum options),
 * read from {@code homeassistant-entities.tsv} next to this class: adding an entity is a line of data.
 */
final class HomeAssistantEntities {

    /** What Home Assistant is told an entity is. */
    enum Kind { MEASURE, ENUM, BINARY, TEXT, NUMBER, COUNTER }

    /** One entity's presentation. */
    record Presentation(Kind kind, boolean diagnostic, String nameFr, String nameEn, List<String> options) {

        String name(String language) {
            return "en".equals(language) ? nameEn : nameFr;
        }
    }

    private static final Map<String, Presentation> TABLE = load();

    private HomeAssistantEntities() {
    }

    /**
     * The presentation of an entity: its line of the table, else a measure (numeric label or a unit) or
     * a text, named after the label's Enedis description in French and the label in English.
     */
    static Presentation of(TicMode family, String entity, boolean numeric) {
        Presentation p = TABLE.get(entity);
        if (p != null) {
            return p;
        }
        LabelInfo info = entity.contains(".") ? null : LabelDictionary.of(family).info(entity);
        String description = info != null && info.known() ? info.description() : entity;
        return new Presentation(numeric ? Kind.MEASURE : Kind.TEXT, false, description, entity, List.of());
    }

    private static Map<String, Presentation> load() {
        Map<String, Presentation> table = new HashMap<>();
        try (InputStream in = HomeAssistantEntities.class.getResourceAsStream("homeassistant-entities.tsv")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length != 6) {
                    throw new IllegalStateException("homeassistant-entities.tsv: 6 columns expected in '" + line + "'");
                }
                table.put(c[0], new Presentation(Kind.valueOf(c[1].toUpperCase(java.util.Locale.ROOT)),
                        "diagnostic".equals(c[2]), c[3], c[4], c[5].isEmpty() ? List.of() : Arrays.asList(c[5].split(","))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
