package io.ticgateway.meter;

import io.ticgateway.protocol.TicFrame;
import io.ticgateway.protocol.TicMode;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The typed groups of a stream's last frame, by label: a meter sends the same label every frame, and most
 * of its data (identity, tariff, registers, profiles, messages) unchanged. A group whose bytes are those of
 * the label's previous group gets the same {@link Reading} back (immutable, typed from those bytes alone),
 * with no string made and nothing parsed; the label itself is made once, with its dictionary entry. Meters
 * send their labels in the same order every frame: the entry of the group at the same place in the last
 * frame is tried first, with one comparison of the whole group (label, horodate and data), no hashing.
 *
 * <p>Bounded (noise in lenient mode brings labels without end: past the bound they are typed uncached).
 * Not thread-safe: one stream.
 */
final class GroupCache {

    private static final int LIMIT = 1024;

    /** One label of one family, and its last group. */
    private static final class Entry {
        final TicMode mode;
        final String label;
        final byte[] labelBytes;
        final int hash;
        final LabelInfo info;
        final Entry next;
        /** The last group, label to data ({@link TicFrame#groupBytes}), and its reading. */
        byte[] group;
        Reading reading;

        Entry(TicMode mode, String label, int hash, LabelInfo info, Entry next) {
            this.mode = mode;
            this.label = label;
            this.labelBytes = label.getBytes(StandardCharsets.ISO_8859_1);
            this.hash = hash;
            this.info = info;
            this.next = next;
        }
    }

    private final Entry[] table = new Entry[512];
    /** By position, the entry of the last frame's group there. */
    private final Entry[] atPosition = new Entry[128];
    private final Set<String> unknownLabels;
    private int size;

    /** @param unknownLabels where labels the dictionary does not know are added, the first time seen */
    GroupCache(Set<String> unknownLabels) {
        this.unknownLabels = unknownLabels;
    }

    /** The typed group {@code g} of a frame. */
    Reading reading(TicFrame frame, int g, LabelDictionary dictionary) {
        TicMode mode = frame.mode();
        Entry last = g < atPosition.length ? atPosition[g] : null;
        if (last != null && last.mode == mode && frame.groupIs(g, last.group)) { // the same group at the same place
            return last.reading;
        }
        int hash = frame.labelHash(g);
        int slot = (hash ^ (hash >>> 16)) & (table.length - 1);
        Entry entry = table[slot];
        while (entry != null && (entry.hash != hash || entry.mode != mode || !frame.labelIs(g, entry.labelBytes))) {
            entry = entry.next;
        }
        if (entry == null) {
            String label = frame.label(g);
            LabelInfo info = dictionary.info(label);
            if (!info.known()) {
                unknownLabels.add(label);
            }
            if (size >= LIMIT) {
                return ValueParser.parse(info, frame.data(g), frame.horodate(g));
            }
            entry = new Entry(mode, label, hash, info, table[slot]);
            table[slot] = entry;
            size++;
        }
        if (entry.group == null || !frame.groupIs(g, entry.group)) {
            entry.reading = ValueParser.parse(entry.info, frame.data(g), frame.horodate(g));
            entry.group = frame.groupBytes(g);
        }
        if (g < atPosition.length) {
            atPosition[g] = entry;
        }
        return entry.reading;
    }
}
