package io.ticgateway.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A decoded frame: its valid groups, kept as the bytes the meter sent, with strings made on demand.
 *
 * <p>Immutable once built. Groups keep the meter's order. The decoder builds one per delivered frame
 * with a single copy of the frame's bytes, so decoding allocates per frame, never per byte.
 */
public final class TicFrame {

    static final int SLOTS = 6;
    private static final int LABEL_START = 0;
    private static final int LABEL_END = 1;
    private static final int HORODATE_START = 2;
    private static final int HORODATE_END = 3;
    private static final int DATA_START = 4;
    private static final int DATA_END = 5;

    private final byte[] bytes;
    private final int[] index;
    private final int groupCount;
    private final TicMode mode;
    private final int rejectedGroups;
    private final long receivedAtMillis;
    private final long sequence;

    TicFrame(byte[] bytes, int[] index, int groupCount, TicMode mode, int rejectedGroups,
             long receivedAtMillis, long sequence) {
        this.bytes = bytes;
        this.index = index;
        this.groupCount = groupCount;
        this.mode = mode;
        this.rejectedGroups = rejectedGroups;
        this.receivedAtMillis = receivedAtMillis;
        this.sequence = sequence;
    }

    /** Number of valid groups. */
    public int size() {
        return groupCount;
    }

    /** The family the frame belongs to (detected, or the configured one). */
    public TicMode mode() {
        return mode;
    }

    /** Groups of this frame that were rejected (always 0 under the strict policy). */
    public int rejectedGroups() {
        return rejectedGroups;
    }

    /** When the frame's ETX was received, in epoch milliseconds. */
    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    /** Position of this frame among the frames its decoder delivered, from 1. */
    public long sequence() {
        return sequence;
    }

    /** Label of group {@code g}. */
    public String label(int g) {
        return ascii(g, LABEL_START, LABEL_END);
    }

    /** Raw data of group {@code g}, byte for byte. */
    public String data(int g) {
        return ascii(g, DATA_START, DATA_END);
    }

    /** Raw horodate of group {@code g}, or null when the group has none. */
    public String horodate(int g) {
        return index[g * SLOTS + HORODATE_START] < 0 ? null : ascii(g, HORODATE_START, HORODATE_END);
    }

    /** True when the label of group {@code g} is {@code label} (compared without making a string). */
    public boolean labelIs(int g, String label) {
        int start = index[g * SLOTS + LABEL_START];
        int end = index[g * SLOTS + LABEL_END];
        if (end - start != label.length()) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            if (bytes[start + i] != label.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when the label of group {@code g} is exactly these bytes (a label's bytes kept by a cache). */
    public boolean labelIs(int g, byte[] label) {
        return Arrays.equals(bytes, index[g * SLOTS + LABEL_START], index[g * SLOTS + LABEL_END], label, 0, label.length);
    }

    /** The hash of group {@code g}'s label: {@code label(g).hashCode()}, without making the string. */
    public int labelHash(int g) {
        int h = 0;
        for (int i = index[g * SLOTS + LABEL_START], end = index[g * SLOTS + LABEL_END]; i < end; i++) {
            h = 31 * h + (bytes[i] & 0xFF);
        }
        return h;
    }

    /**
     * True when group {@code g}, from its label to the end of its data (separators and horodate included,
     * checksum excluded), is exactly these bytes: the same label, horodate and data as a group kept by a cache.
     */
    public boolean groupIs(int g, byte[] group) {
        return Arrays.equals(bytes, index[g * SLOTS + LABEL_START], index[g * SLOTS + DATA_END], group, 0, group.length);
    }

    /** A copy of group {@code g} from its label to the end of its data, as {@link #groupIs} compares it. */
    public byte[] groupBytes(int g) {
        return Arrays.copyOfRange(bytes, index[g * SLOTS + LABEL_START], index[g * SLOTS + DATA_END]);
    }

    /** Index of the first group with this label, or -1. */
    public int indexOf(String label) {
        for (int g = 0; g < groupCount; g++) {
            if (labelIs(g, label)) {
                return g;
            }
        }
        return -1;
    }

    /** Raw data of the first group with this label, or null. */
    public String dataOf(String label) {
        int g = indexOf(label);
        return g < 0 ? null : data(g);
    }

    /** Group {@code g} as a record. */
    public TicGroup group(int g) {
        return new TicGroup(label(g), horodate(g), data(g));
    }

    /** All groups, in the meter's order. */
    public List<TicGroup> groups() {
        List<TicGroup> list = new ArrayList<>(groupCount);
        for (int g = 0; g < groupCount; g++) {
            list.add(group(g));
        }
        return Collections.unmodifiableList(list);
    }

    private String ascii(int g, int startSlot, int endSlot) {
        int start = index[g * SLOTS + startSlot];
        int end = index[g * SLOTS + endSlot];
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "TicFrame[" + mode.id() + ", #" + sequence + ", " + groupCount + " groups]";
    }
}
