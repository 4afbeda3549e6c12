package io.ticgateway.app.status;

import io.ticgateway.camel.TicStatistics;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.RejectReason;

/**
 * The counters of one meter's line at one instant; the difference of two samples is what happened in
 * between ({@link #since}).
 *
 * @param at               epoch milliseconds of the sample
 * @param open             the source is open
 * @param finished         a capture replay reached its end
 * @param lastError        the last open or read error, or null
 * @param openSince        when the source was last opened, epoch milliseconds (0 before)
 * @param baudRate         the serial speed in use, 0 when not applicable
 * @param bytes            bytes read
 * @param outside          bytes outside any frame
 * @param outsideBit7      of those, bytes with bit 7 set
 * @param outsideOddParity of those, bytes with an odd number of ones
 * @param outsideForeign   of those, control bytes no meter sends
 * @param frames           frames delivered
 * @param rejected         frames rejected, all reasons
 * @param checksum         frames rejected for a checksum
 * @param wrongMode        groups rejected for the other mode's syntax
 */
public record LineSample(long at, boolean open, boolean finished, String lastError, long openSince, int baudRate,
                         long bytes, long outside, long outsideBit7, long outsideOddParity, long outsideForeign,
                         long frames, long rejected, long checksum, long wrongMode) {

    /** A sample of an endpoint's counters. */
    public static LineSample of(TicStatistics stats, long now) {
        return of(stats.getDecoderStats(), now, stats.isConnected(), stats.isFinished(), stats.getLastError(),
                stats.getConnectedSince(), stats.getBaudRate());
    }

    /** A sample of a decoder's counters (null: nothing read yet) and of the line's state. */
    public static LineSample of(DecoderStats d, long now, boolean open, boolean finished, String lastError,
                                long openSince, int baudRate) {
        if (d == null) {
            return new LineSample(now, open, finished, lastError, openSince, baudRate, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new LineSample(now, open, finished, lastError, openSince, baudRate, d.bytesRead(),
                d.bytesOutsideFrames(), d.outsideBit7(), d.outsideOddParity(), d.outsideForeign(), d.framesDelivered(),
                d.framesRejectedTotal(), d.framesRejected(RejectReason.CHECKSUM), d.groupsRejected(RejectReason.WRONG_MODE));
    }

    /**
     * The counts between {@code older} and this sample, {@code at} the window's length in milliseconds, with this
     * sample's state. A counter smaller than
     * before belongs to a new decoder (the reader restarted): its whole count is taken.
     */
    public LineSample since(LineSample older) {
        boolean restarted = bytes < older.bytes;
        return new LineSample(at - older.at, open, finished, lastError, openSince, baudRate,
                delta(bytes, older.bytes, restarted), delta(outside, older.outside, restarted),
                delta(outsideBit7, older.outsideBit7, restarted), delta(outsideOddParity, older.outsideOddParity, restarted),
                delta(outsideForeign, older.outsideForeign, restarted), delta(frames, older.frames, restarted),
                delta(rejected, older.rejected, restarted), delta(checksum, older.checksum, restarted),
                delta(wrongMode, older.wrongMode, restarted));
    }

    private static long delta(long now, long before, boolean restarted) {
        return restarted ? now : now - before;
    }
}
