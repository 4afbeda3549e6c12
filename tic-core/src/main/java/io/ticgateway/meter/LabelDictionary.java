package io.ticgateway.meter;

import io.ticgateway.protocol.TicMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The label table of one meter family, read from {@code labels-<family>.tsv} next to this class.
 *
 * <p>One table per family, one line per label: adding a label is a line of data, not code.
 */
public final class LabelDictionary {

    private static final Map<TicMode, LabelDictionary> BY_MODE = new EnumMap<>(TicMode.class);

    static {
        for (TicMode mode : TicMode.values()) {
            BY_MODE.put(mode, load(mode));
        }
    }

    private final TicMode mode;
    private final Map<String, LabelInfo> labels;

    private LabelDictionary(TicMode mode, Map<String, LabelInfo> labels) {
        this.mode = mode;
        this.labels = Collections.unmodifiableMap(labels);
    }

    /** The dictionary of a family. */
    public static LabelDictionary of(TicMode mode) {
        return BY_MODE.get(mode);
    }

    /** The family. */
    public TicMode mode() {
        return mode;
    }

    /** The entry of a label; an unknown label gets a text entry, never null. */
    public LabelInfo info(String label) {
        LabelInfo info = labels.get(label);
        return info != null ? info : LabelInfo.unknown(label);
    }

    /** True when the label is in the table. */
    public boolean knows(String label) {
        return labels.containsKey(label);
    }

    private static LabelDictionary load(TicMode mode) {
        Map<String, LabelInfo> labels = new LinkedHashMap<>();
        for (String[] cols : TsvResource.rows(LabelDictionary.class, "labels-" + mode.id() + ".tsv", 5)) {
            String flags = "," + cols[3] + ",";
            labels.put(cols[0], new LabelInfo(cols[0], ValueType.valueOf(cols[1]),
                    cols[2].isEmpty() ? null : cols[2], cols[4], flags.contains(",index,"),
                    flags.contains(",period,"), flags.contains(",delta,"), true));
        }
        return new LabelDictionary(mode, labels);
    }
}
