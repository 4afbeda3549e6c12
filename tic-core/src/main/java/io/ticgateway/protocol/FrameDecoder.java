package io.ticgateway.protocol;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Streaming TIC decoder: bytes in, frames out, one family-independent state machine.
 *
 * <p>Feed it chunks of any size ({@link #feed}); it calls the listener for each frame that passes the
 * validity policy and for each rejection. States: {@code WAIT_STX} → ({@code STX}) {@code BETWEEN_GROUPS}
 * → ({@code LF}) {@code IN_GROUP} → ({@code CR}) {@code BETWEEN_GROUPS} → ({@code ETX}) deliver →
 * {@code WAIT_STX}. EOT drops the frame (interrupted), STX inside a frame drops it (truncated) and
 * starts a new one, an over-long group or frame drops it and waits for the next STX. The separator in
 * front of each group's checksum picks the checksum rule (see {@link Checksum}).
 *
 * <p>Not thread-safe: one thread feeds it. Its {@link DecoderStats} can be read from any thread.
 */
public final class FrameDecoder {

    private static final int WAIT_STX = 0;
    private static final int BETWEEN_GROUPS = 1;
    private static final int IN_GROUP = 2;

    private static final int SYNTAX_UNKNOWN = 0;
    private static final int SYNTAX_TAB = 1;
    private static final int SYNTAX_SPACE = 2;
    private static final int MAX_LABEL_LENGTH = 16;
    // labels only PME-PMI meters send
    private static final byte[] ADS = {'A', 'D', 'S'};
    private static final byte[] TRAME = {'T', 'R', 'A', 'M', 'E'};
    private static final byte[] PTCOUR1 = {'P', 'T', 'C', 'O', 'U', 'R', '1'};
    private static final byte[] MESURES1 = {'M', 'E', 'S', 'U', 'R', 'E', 'S', '1'};

    private final FrameListener listener;
    private final DecoderOptions options;
    private final LongSupplier clock;
    private final DecoderStats stats = new DecoderStats();
    private final int mask;
    private final int forcedSyntax;

    private final byte[] buf;
    private int len;
    private int[] index = new int[TicFrame.SLOTS * 64];
    private int groups;
    private int state = WAIT_STX;

    private int groupStart;
    private int groupSum;
    private boolean groupBadByte;
    // the HT bytes of the group in progress: how many, where the first two are (standard syntax's fields)
    private int groupTabs;
    private int firstTab;
    private int secondTab;
    private boolean groupWithoutLf;

    private int frameSyntax;
    private int rejectedGroups;
    // the deviations read past in the frame in progress, one bit per Tolerance: counted if it is delivered
    private int frameTolerances;
    // bytes of the frame's invalid groups: dropped from the buffer, still part of the frame's length
    private long rejectedBytes;
    private RejectReason firstReason;
    private long sequence;

    /** A decoder with the default options and the system clock. */
    public FrameDecoder(FrameListener listener) {
        this(listener, DecoderOptions.defaults(), System::currentTimeMillis);
    }

    /** A decoder with the given options and the system clock. */
    public FrameDecoder(FrameListener listener, DecoderOptions options) {
        this(listener, options, System::currentTimeMillis);
    }

    /**
     * @param listener receives frames and rejections
     * @param options  mode, policy and bounds
     * @param clock    epoch milliseconds for {@link TicFrame#receivedAtMillis()}
     */
    public FrameDecoder(FrameListener listener, DecoderOptions options, LongSupplier clock) {
        this.listener = listener;
        this.options = options;
        this.clock = clock;
        this.mask = options.stripParity() ? 0x7F : 0xFF;
        this.buf = new byte[options.maxFrameLength()];
        if (options.mode() == null) {
            forcedSyntax = SYNTAX_UNKNOWN;
        } else {
            forcedSyntax = options.mode().usesTabSeparator() ? SYNTAX_TAB : SYNTAX_SPACE;
        }
    }

    /** This decoder's counters. */
    public DecoderStats stats() {
        return stats;
    }

    /** The options this decoder was built with. */
    public DecoderOptions options() {
        return options;
    }

    /** Feeds a whole array. */
    public void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    /** Feeds {@code data[offset, offset + length)}. */
    public void feed(byte[] data, int offset, int length) {
        stats.addBytes(length);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case WAIT_STX -> i = skipToStx(data, i, end);
                case BETWEEN_GROUPS -> i = betweenGroups(data, i);
                default -> i = inGroup(data, i, end);
            }
        }
    }

    /**
     * Tells the decoder that the input ended or was cut (end of a file, lost connection): a frame in
     * progress is counted as truncated, and the next byte is read as if from a fresh line.
     */
    public void endOfInput() {
        if (state != WAIT_STX) {
            rejectFrame(RejectReason.TRUNCATED, "input ended inside a frame");
        }
    }

    private int skipToStx(byte[] data, int i, int end) {
        int j = i;
        while (j < end && (data[j] & mask) != TicBytes.STX) {
            j++;
        }
        if (j > i) {
            stats.addBytesOutsideFrames(j - i);
            stats.profileOutside(data, i, j);
        }
        if (j < end) {
            startFrame();
            return j + 1;
        }
        return end;
    }

    private int betweenGroups(byte[] data, int i) {
        int b = data[i] & mask;
        switch (b) {
            case TicBytes.LF -> startGroup(false);
            case TicBytes.ETX -> endFrame();
            case TicBytes.STX -> {
                rejectFrame(RejectReason.TRUNCATED, "STX before ETX");
                startFrame();
            }
            case TicBytes.EOT -> rejectFrame(RejectReason.INTERRUPTED, "EOT");
            case TicBytes.CR -> frameTolerances |= 1 << Tolerance.STRAY_CR.ordinal(); // capture tools' CR LF around STX/ETX
            default -> {
                // bytes between CR and LF: the LF of a group was lost; read them as a group to reject
                startGroup(true);
                return i;
            }
        }
        return i + 1;
    }

    private int inGroup(byte[] data, int i, int end) {
        int limitPos = Math.min(buf.length, groupStart + options.maxGroupLength());
        int stop = Math.min(end, i + (limitPos - len));
        int n = len;
        int sum = groupSum;
        boolean bad = groupBadByte;
        int m = mask;
        int k = i;
        int b = 0;
        while (k < stop) { // checked and summed here, copied below in one go
            b = data[k] & m;
            if ((char) (b - 0x20) > 0x7E - 0x20) { // one test (unsigned) for the printable bytes, most of them
                if (b == TicBytes.HT) {
                    if (groupTabs == 0) {
                        firstTab = n + k - i;
                    } else if (groupTabs == 1) {
                        secondTab = n + k - i;
                    }
                    groupTabs++;
                } else if (b < 0x20) {
                    break;
                } else {
                    bad = true;
                }
            }
            sum += b;
            k++;
        }
        if (m == 0xFF) {
            System.arraycopy(data, i, buf, n, k - i);
        } else {
            for (int j = i; j < k; j++) {
                buf[n + j - i] = (byte) (data[j] & m);
            }
        }
        n += k - i;
        len = n;
        groupSum = sum;
        groupBadByte = bad;
        if (k == stop) {
            if (n >= limitPos) {
                rejectFrame(RejectReason.TOO_LONG, "group longer than " + (limitPos - groupStart) + " bytes");
            }
            return k;
        }
        switch (b) {
            case TicBytes.CR -> {
                endGroup();
                state = BETWEEN_GROUPS;
            }
            case TicBytes.LF -> {
                rejectGroup(RejectReason.MALFORMED, "LF inside a group (CR lost)");
                startGroup(false);
            }
            case TicBytes.ETX -> {
                if (len > groupStart || groupWithoutLf) {
                    rejectGroup(RejectReason.MALFORMED, "ETX inside a group (CR lost)");
                } else {
                    frameTolerances |= 1 << Tolerance.LF_BEFORE_ETX.ordinal();
                }
                endFrame();
            }
            case TicBytes.STX -> {
                rejectFrame(RejectReason.TRUNCATED, "STX before ETX");
                startFrame();
            }
            case TicBytes.EOT -> rejectFrame(RejectReason.INTERRUPTED, "EOT");
            default -> groupBadByte = true;
        }
        return k + 1;
    }

    private void startFrame() {
        stats.frameStarted();
        state = BETWEEN_GROUPS;
        len = 0;
        rejectedBytes = 0;
        groups = 0;
        rejectedGroups = 0;
        frameTolerances = 0;
        firstReason = null;
        frameSyntax = forcedSyntax;
    }

    private void startGroup(boolean withoutLf) {
        if (len + rejectedBytes > buf.length) { // invalid groups leave the buffer, not the frame's length
            rejectFrame(RejectReason.TOO_LONG, "frame longer than " + buf.length + " bytes, " + rejectedGroups
                    + " invalid group(s)");
            return;
        }
        state = IN_GROUP;
        groupStart = len;
        groupSum = 0;
        groupBadByte = false;
        groupTabs = 0;
        groupWithoutLf = withoutLf;
    }

    private void endGroup() {
        int start = groupStart;
        int end = len;
        if (groupWithoutLf) {
            rejectGroup(RejectReason.MALFORMED, "bytes between groups (LF lost)");
            return;
        }
        if (groupBadByte) {
            rejectGroup(RejectReason.MALFORMED, "non-printable byte");
            return;
        }
        if (end - start < 3) {
            rejectGroup(RejectReason.MALFORMED, "group too short");
            return;
        }
        int checksum = buf[end - 1];
        int separator = buf[end - 2];
        int syntax;
        int checkedSum;
        if (separator == TicBytes.HT) {
            syntax = SYNTAX_TAB;
            checkedSum = groupSum - checksum;
        } else if (separator == TicBytes.SP) {
            syntax = SYNTAX_SPACE;
            checkedSum = groupSum - checksum - TicBytes.SP;
        } else {
            rejectGroup(RejectReason.MALFORMED, "no separator before the checksum");
            return;
        }
        if (Checksum.of(checkedSum) != checksum) {
            rejectGroup(RejectReason.CHECKSUM, "checksum " + (char) checksum + ", expected "
                    + (char) Checksum.of(checkedSum));
            return;
        }
        if (frameSyntax == SYNTAX_UNKNOWN) {
            frameSyntax = syntax;
        } else if (frameSyntax != syntax) {
            rejectGroup(RejectReason.WRONG_MODE, syntax == SYNTAX_TAB ? "HT separator in a historic-syntax frame"
                    : "SP separator in a standard-syntax frame");
            return;
        }
        int dataEnd = end - 2;
        int labelEnd = start;
        if (syntax == SYNTAX_TAB) {
            labelEnd = firstTab; // the separator before the checksum is one: there is a first
        } else {
            while (labelEnd < dataEnd && buf[labelEnd] != separator) {
                labelEnd++;
            }
        }
        if (labelEnd == start || labelEnd >= dataEnd || labelEnd - start > MAX_LABEL_LENGTH) {
            rejectGroup(RejectReason.MALFORMED, "no label or no data separator");
            return;
        }
        int horodateStart = -1;
        int horodateEnd = -1;
        int dataStart = labelEnd + 1;
        if (syntax == SYNTAX_TAB && groupTabs > 2) { // label, horodate, data: counted as the group was read
            if (groupTabs > 3) {
                rejectGroup(RejectReason.MALFORMED, "more than three fields");
                return;
            }
            horodateStart = dataStart;
            horodateEnd = secondTab;
            dataStart = secondTab + 1;
        }
        if (index.length < (groups + 1) * TicFrame.SLOTS) {
            index = Arrays.copyOf(index, index.length * 2);
        }
        int base = groups * TicFrame.SLOTS;
        index[base] = start;
        index[base + 1] = labelEnd;
        index[base + 2] = horodateStart;
        index[base + 3] = horodateEnd;
        index[base + 4] = dataStart;
        index[base + 5] = dataEnd;
        groups++;
    }

    private void endFrame() {
        state = WAIT_STX;
        if (groups == 0) {
            RejectReason reason = firstReason != null ? firstReason : RejectReason.MALFORMED;
            countFrameRejection(reason, "no valid group");
            return;
        }
        if (rejectedGroups > 0 && options.policy() == ValidityPolicy.STRICT) {
            countFrameRejection(firstReason, rejectedGroups + " invalid group(s)");
            return;
        }
        long now = clock.getAsLong();
        TicFrame frame = new TicFrame(Arrays.copyOf(buf, len), Arrays.copyOf(index, groups * TicFrame.SLOTS),
                groups, detectMode(), rejectedGroups, now, ++sequence);
        stats.frameDelivered(groups, rejectedGroups > 0, now);
        if (frameTolerances != 0) { // a frame delivered despite a deviation counts once per kind
            for (Tolerance t : Tolerance.values()) {
                if ((frameTolerances & 1 << t.ordinal()) != 0) {
                    stats.tolerated(t);
                }
            }
        }
        listener.onFrame(frame);
    }

    private TicMode detectMode() {
        if (options.mode() != null) {
            return options.mode();
        }
        if (frameSyntax == SYNTAX_TAB) {
            return TicMode.STANDARD;
        }
        for (int g = 0; g < groups; g++) {
            if (isPmePmiLabel(g)) {
                return TicMode.PMEPMI;
            }
        }
        return TicMode.HISTORIC;
    }

    /** Labels only PME-PMI meters send: ADS, TRAME, MESURES1, PTCOUR1. */
    private boolean isPmePmiLabel(int g) {
        int start = index[g * TicFrame.SLOTS];
        int length = index[g * TicFrame.SLOTS + 1] - start;
        return switch (length) {
            case 3 -> labelEquals(start, ADS);
            case 5 -> labelEquals(start, TRAME);
            case 7 -> labelEquals(start, PTCOUR1);
            case 8 -> labelEquals(start, MESURES1);
            default -> false;
        };
    }

    private boolean labelEquals(int start, byte[] label) {
        return Arrays.equals(buf, start, start + label.length, label, 0, label.length);
    }

    private void rejectGroup(RejectReason reason, String why) {
        stats.groupRejected(reason);
        rejectedGroups++;
        if (firstReason == null) {
            firstReason = reason;
        }
        String detail = why + ": " + printable(buf, groupStart, len);
        rejectedBytes += len - groupStart + 1; // with its LF or CR (a group missing one is still bounded)
        len = groupStart;
        listener.onRejection(new Rejection(reason, false, detail));
    }

    private void rejectFrame(RejectReason reason, String why) {
        state = WAIT_STX;
        countFrameRejection(reason, why);
    }

    private void countFrameRejection(RejectReason reason, String why) {
        stats.frameRejected(reason);
        listener.onRejection(new Rejection(reason, true, why + " (" + groups + " valid group(s) dropped)"));
    }

    /** Escaped text of a byte range, for log lines: control bytes as \xNN, at most 48 bytes. */
    static String printable(byte[] bytes, int from, int to) {
        StringBuilder text = new StringBuilder();
        int end = Math.min(to, from + 48);
        for (int i = from; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02X", b));
            }
        }
        if (to > end) {
            text.append("...");
        }
        return text.toString();
    }
}
