package io.ticgateway.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one decoder. Written by the decoding thread only, readable from any thread.
 *
 * <p>Every frame the decoder starts (an STX) ends up exactly once in {@link #framesDelivered()} or in
 * {@link #frameRejections()}; once the input ended, {@code framesStarted = framesDelivered + sum of
 * frame rejections}.
 */
public final class DecoderStats {

    private static final int REASONS = RejectReason.values().length;

    private final AtomicLongArray frameRejections = new AtomicLongArray(REASONS);
    private final AtomicLongArray groupRejections = new AtomicLongArray(REASONS);
    private final AtomicLongArray tolerated = new AtomicLongArray(Tolerance.values().length);
    private volatile long bytesRead;
    private volatile long bytesOutsideFrames;
    private volatile long outsideBit7;
    private volatile long outsideOddParity;
    private volatile long outsideForeign;
    private volatile long framesStarted;
    private volatile long framesDelivered;
    private volatile long framesDeliveredDamaged;
    private volatile long groupsDelivered;
    private volatile long lastFrameMillis;

    void addBytes(long read) {
        bytesRead += read;
    }

    void addBytesOutsideFrames(long skipped) {
        bytesOutsideFrames += skipped;
    }

    /**
     * Profiles bytes read outside any frame (the decoder found no STX in them): what a wrong line setting
     * leaves. Bit 7 set with even parity over eight bits on every byte is a 7E1 line read as 8N1; control
     * bytes no meter sends (NUL, the framing errors of a wrong speed) are a wrong baud rate.
     */
    void profileOutside(byte[] data, int from, int to) {
        long bit7 = 0;
        long odd = 0;
        long foreign = 0;
        for (int k = from; k < to; k++) {
            int b = data[k] & 0xFF;
            bit7 += b >>> 7;
            odd += Integer.bitCount(b) & 1;
            int low = b & 0x7F;
            if ((low < 0x20 && !TicBytes.isControl(low)) || low == 0x7F) {
                foreign++;
            }
        }
        outsideBit7 += bit7;
        outsideOddParity += odd;
        outsideForeign += foreign;
    }

    void frameStarted() {
        framesStarted++;
    }

    void frameDelivered(int groups, boolean damaged, long atMillis) {
        framesDelivered++;
        groupsDelivered += groups;
        if (damaged) {
            framesDeliveredDamaged++;
        }
        lastFrameMillis = atMillis;
    }

    void frameRejected(RejectReason reason) {
        frameRejections.lazySet(reason.ordinal(), frameRejections.get(reason.ordinal()) + 1);
    }

    void tolerated(Tolerance tolerance) {
        tolerated.lazySet(tolerance.ordinal(), tolerated.get(tolerance.ordinal()) + 1);
    }

    void groupRejected(RejectReason reason) {
        groupRejections.lazySet(reason.ordinal(), groupRejections.get(reason.ordinal()) + 1);
    }

    /** Bytes fed to the decoder. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Bytes seen outside any frame (before the first STX, after EOT, between ETX and STX). */
    public long bytesOutsideFrames() {
        return bytesOutsideFrames;
    }

    /** Bytes outside frames with bit 7 set (counted before any parity strip). */
    public long outsideBit7() {
        return outsideBit7;
    }

    /** Bytes outside frames whose eight bits hold an odd number of ones (never on a 7E1 line read as 8N1). */
    public long outsideOddParity() {
        return outsideOddParity;
    }

    /**
     * Bytes outside frames that no TIC line carries once bit 7 is set aside: control bytes other than STX,
     * ETX, EOT, LF, CR and HT (NUL above all, which a serial driver delivers for a framing error), and DEL.
     */
    public long outsideForeign() {
        return outsideForeign;
    }

    /** Frames begun (STX seen). */
    public long framesStarted() {
        return framesStarted;
    }

    /** Frames handed to the listener. */
    public long framesDelivered() {
        return framesDelivered;
    }

    /** Delivered frames that lacked rejected groups (lenient policy only). */
    public long framesDeliveredDamaged() {
        return framesDeliveredDamaged;
    }

    /** Valid groups inside delivered frames. */
    public long groupsDelivered() {
        return groupsDelivered;
    }

    /** Receive time of the last delivered frame, epoch milliseconds, 0 before the first. */
    public long lastFrameMillis() {
        return lastFrameMillis;
    }

    /** Frames dropped, by reason. */
    public long framesRejected(RejectReason reason) {
        return frameRejections.get(reason.ordinal());
    }

    /** Groups rejected, by reason (inside dropped and delivered frames alike). */
    public long groupsRejected(RejectReason reason) {
        return groupRejections.get(reason.ordinal());
    }

    /** All frame rejections. */
    public long framesRejectedTotal() {
        long total = 0;
        for (int i = 0; i < REASONS; i++) {
            total += frameRejections.get(i);
        }
        return total;
    }

    /** Frame rejections by reason, every reason present. */
    public Map<RejectReason, Long> frameRejections() {
        Map<RejectReason, Long> map = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            map.put(reason, framesRejected(reason));
        }
        return map;
    }

    /** Deviations read past (the frame delivered), by kind, every kind present. */
    public Map<Tolerance, Long> tolerations() {
        Map<Tolerance, Long> map = new EnumMap<>(Tolerance.class);
        for (Tolerance t : Tolerance.values()) {
            map.put(t, tolerated.get(t.ordinal()));
        }
        return map;
    }

    /** Group rejections by reason, every reason present. */
    public Map<RejectReason, Long> groupRejections() {
        Map<RejectReason, Long> map = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            map.put(reason, groupsRejected(reason));
        }
        return map;
    }

    @Override
    public String toString() {
        return "frames delivered " + framesDelivered + " (damaged " + framesDeliveredDamaged + "), rejected "
                + frameRejections() + ", groups rejected " + groupRejections() + ", tolerated " + tolerations() + ", bytes "
                + bytesRead;
    }
}
