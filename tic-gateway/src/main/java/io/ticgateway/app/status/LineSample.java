package io.ticgateway.app.status;

import io.ticgateway.camel.TicEndpoint;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.RejectReason;

/**
 * The counters of one meter's line at one instant, with the line's state; the difference of two samples is
 * what happened in between ({@link #since}).
 *
 * @param at               epoch milliseconds of the sample
 * @param line             the source and its state
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
public record LineSample(long at, LineState line, long bytes, long outside, long outsideBit7, long outsideOddParity,
                         long outsideForeign, long frames, long rejected, long checksum, long wrongMode) {

    /** A sample of an endpoint's counters. */
    public static LineSample of(TicEndpoint endpoint, long now) {
        return of(endpoint.getStatistics().getDecoderStats(), now, LineState.of(endpoint));
    }

    /** A sample of a decoder's counters (null: nothing read yet) and of the line's state. */
    public static LineSample of(DecoderStats d, long now, LineState line) {
        if (d == null) {
            return new LineSample(now, line, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new LineSample(now, line, d.bytesRead(), d.bytesOutsideFrames(), d.outsideBit7(), d.outsideOddParity(),
                d.outsideForeign(), d.framesDelivered(), d.framesRejectedTotal(), d.framesRejected(RejectReason.CHECKSUM),
                d.groupsRejected(RejectReason.WRONG_MODE));
    }

    /**
     * The counts between {@code older} and this sample, {@code at} the window's length in milliseconds, with this
     * sample's line. A counter smaller than before belongs to a new decoder (the reader restarted): its whole
     * count is taken.
     */
    public LineSample since(LineSample older) {
        boolean restarted = bytes < older.bytes;
        return new LineSample(at - older.at, line,
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
