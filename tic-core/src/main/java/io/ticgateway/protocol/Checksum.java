package io.ticgateway.protocol;

/**
 * The TIC group checksum: {@code (S1 & 0x3F) + 0x20} where S1 is the sum of the checked bytes.
 *
 * <p>Which bytes are checked depends on the separator found just before the checksum: with SP
 * (historic, PME-PMI) the zone runs from the label to the end of the data, that last SP excluded; with
 * HT (Linky standard) it runs up to and including that last HT.
 */
public final class Checksum {

    private Checksum() {
    }

    /** Checksum character for a sum of byte values. */
    public static int of(int sum) {
        return (sum & 0x3F) + 0x20;
    }

    /** Checksum of {@code bytes[from, to)}. */
    public static int of(byte[] bytes, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += bytes[i] & 0xFF;
        }
        return of(sum);
    }

    /**
     * Checksum that a group must carry, given the group's bytes between LF and CR (excluded), checksum
     * included as the last byte. The separator before the checksum selects the rule.
     *
     * @return the expected checksum character, or -1 when the byte before the checksum is no separator
     */
    public static int expectedForGroup(byte[] group, int from, int to) {
        if (to - from < 3) {
            return -1;
        }
        int separator = group[to - 2];
        if (separator == TicBytes.HT) {
            return of(group, from, to - 1);
        }
        if (separator == TicBytes.SP) {
            return of(group, from, to - 2);
        }
        return -1;
    }
}
