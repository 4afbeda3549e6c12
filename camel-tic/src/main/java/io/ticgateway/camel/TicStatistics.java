package io.ticgateway.camel;

import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.RejectReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one {@code tic:} endpoint: the decoder's (frames delivered, rejections by reason), the
 * line's (connected, reconnects, last error) and the routing's (exchanges failed). Readable from routes
 * ({@code ${exchange.fromEndpoint.statistics.framesDelivered}}), JMX and metrics. Thread-safe.
 */
public final class TicStatistics {

    private volatile DecoderStats decoder;
    private volatile MeterStream stream;
    private volatile boolean connected;
    private volatile boolean finished;
    private volatile long connectedSince;
    private volatile long reconnects;
    private volatile long routingFailures;
    private volatile long framesDroppedWhileSuspended;
    /** Frames the current reader decoded and did not route (its route suspended, or stopping). */
    private volatile long notRouted;
    private volatile long readerFailures;
    private volatile String lastError;
    private volatile String lastMeterId;
    private volatile int baudRate;
    private volatile long lastByteMillis;
    private volatile long lastFrameMillis;
    private volatile long noDataTimeout = 30_000;
    // the opening from which readiness waits for a frame: not moved by openings with no frame between them
    // (a bridge that takes each connection and closes it is not ready for ever)
    private volatile long waitingSince;

    void attach(MeterStream stream) {
        this.stream = stream;
        this.decoder = stream.stats();
        notRouted = 0;
    }

    void connected(long now, int baud) {
        connected = true;
        connectedSince = now;
        if (lastFrameMillis >= waitingSince) { // else openings with no frame between: the wait goes on
            waitingSince = now;
        }
        baudRate = baud;
        lastError = null;
    }

    /** The reader moved on to another speed: the port was closed and opened again, still the same opening. */
    void speedChanged(int baud) {
        baudRate = baud;
    }

    void bytesReceived(long now) {
        lastByteMillis = now;
    }

    void noDataTimeout(long millis) {
        noDataTimeout = millis;
    }

    void disconnected(String error) {
        connected = false;
        lastError = error;
    }

    void reconnected() {
        reconnects++;
    }

    void finished() {
        finished = true;
        connected = false;
    }

    void routingFailed() {
        routingFailures++;
    }

    void readerFailed(String error) {
        readerFailures++;
        connected = false;
        lastError = error;
    }

    void droppedWhileSuspended() {
        framesDroppedWhileSuspended++;
        notRouted++;
    }

    /** A decoded frame of the last read not routed: the consumer is stopping. */
    void droppedWhileStopping() {
        notRouted++;
    }

    void interpreted(String meterId, long receivedAt) {
        lastMeterId = meterId;
        lastFrameMillis = receivedAt;
    }

    /** True while the source is open. */
    public boolean isConnected() {
        return connected;
    }

    /** True once a capture replay reached its end (not looping). */
    public boolean isFinished() {
        return finished;
    }

    /**
     * When the source was last opened, epoch milliseconds (0 before); closing and opening a serial port to try
     * the next speed is no new opening.
     */
    public long getConnectedSince() {
        return connectedSince;
    }

    /** When bytes last arrived, epoch milliseconds (0 before the first). */
    public long getLastByteTime() {
        return lastByteMillis;
    }

    /**
     * The readiness rule, null when ready, else why not: the source is not open, or no valid frame came for the
     * endpoint's {@code noDataTimeout} since the last frame or the source's opening (a speed search goes on and
     * does not reset it, nor do openings with no frame since the one before), or a capture was replayed to its
     * end without one valid frame. A replay that ended with frames is ready.
     */
    public String notReadyReason(long now) {
        if (finished) {
            return getFramesDelivered() > 0 ? null
                    : "the capture was replayed to its end without one valid frame" + parityHint();
        }
        if (!connected) {
            return lastError != null ? lastError : "source not open yet";
        }
        long since = Math.max(getLastFrameTime(), waitingSince);
        return now - since > noDataTimeout ? "no valid frame in the last " + (now - since) / 1000 + " s" + parityHint()
                : null;
    }

    /**
     * What the bytes outside frames say, when they say a 7E1 line is read 8N1: (nearly) every byte of even
     * parity on eight bits, bit 7 set in many (the parity bit read as data); a noise byte in a hundred does
     * not hide it. Empty otherwise.
     */
    private String parityHint() {
        DecoderStats d = decoder;
        if (d == null || d.outsideBit7() < 16 || d.outsideOddParity() * 100 > d.bytesOutsideFrames()) {
            return "";
        }
        return " (" + d.bytesOutsideFrames() + " bytes outside frames, " + (d.bytesOutsideFrames() - d.outsideOddParity())
                + " of even parity on 8 bits, " + d.outsideBit7() + " with bit 7 set: a 7E1 line read 8N1;"
                + " stripParity=true reads it)";
    }

    /** Times the source was lost and opened again. */
    public long getReconnects() {
        return reconnects;
    }

    /** Exchanges whose routing failed (handed to the consumer's exception handler). */
    public long getRoutingFailures() {
        return routingFailures;
    }

    /** Times the reader itself failed (an exception or Error escaped the read loop) and was started again. */
    public long getReaderFailures() {
        return readerFailures;
    }

    /** Framing deviations read past (the frame delivered), by kind. */
    public Map<io.ticgateway.protocol.Tolerance, Long> getTolerations() {
        DecoderStats d = decoder;
        return d == null ? Map.of() : d.tolerations();
    }

    /** Frames read while the consumer was suspended (the line is kept drained). */
    public long getFramesDroppedWhileSuspended() {
        return framesDroppedWhileSuspended;
    }

    /** The last open or read error, or null while all is well. */
    public String getLastError() {
        return lastError;
    }

    /** Identity of the meter in the last frame, or null. */
    public String getLastMeterId() {
        return lastMeterId;
    }

    /** Line speed in use (serial), 0 when not applicable. */
    public int getBaudRate() {
        return baudRate;
    }

    /**
     * The current decoder's counters (a restarted reader starts a new decoder, from zero), or null before
     * the first open: the profile of the bytes outside frames tells a wrong line setting.
     */
    public DecoderStats getDecoderStats() {
        return decoder;
    }

    /** Frames delivered as exchanges (by the current reader). */
    public long getFramesDelivered() {
        DecoderStats d = decoder;
        return d == null ? 0 : d.framesDelivered() - getFramesNotInterpreted() - notRouted;
    }

    /** Frames the decoder accepted whose interpretation threw: left out, not delivered (current reader). */
    public long getFramesNotInterpreted() {
        MeterStream s = stream;
        return s == null ? 0 : s.framesNotInterpreted();
    }

    /** Frames rejected, all reasons. */
    public long getFramesRejected() {
        DecoderStats d = decoder;
        return d == null ? 0 : d.framesRejectedTotal();
    }

    /** Frames rejected by reason (checksum, interrupted, truncated, malformed, too_long, wrong_mode). */
    public Map<RejectReason, Long> getFrameRejections() {
        DecoderStats d = decoder;
        return d == null ? new EnumMap<>(RejectReason.class) : d.frameRejections();
    }

    /** Groups rejected by reason. */
    public Map<RejectReason, Long> getGroupRejections() {
        DecoderStats d = decoder;
        return d == null ? new EnumMap<>(RejectReason.class) : d.groupRejections();
    }

    /** Bytes read from the source. */
    public long getBytesRead() {
        DecoderStats d = decoder;
        return d == null ? 0 : d.bytesRead();
    }

    /** Receive time of the last valid frame interpreted, epoch milliseconds (0 before the first). */
    public long getLastFrameTime() {
        return lastFrameMillis;
    }

    @Override
    public String toString() {
        long notInterpreted = getFramesNotInterpreted();
        return "frames " + getFramesDelivered() + (notInterpreted > 0 ? ", valid but not interpreted " + notInterpreted
                : "") + ", rejected " + getFrameRejections() + ", reconnects " + reconnects
                + (lastError != null ? ", last error: " + lastError : "") + outsideFrames();
    }

    private String outsideFrames() {
        DecoderStats d = decoder;
        return d == null || d.bytesOutsideFrames() == 0 ? ""
                : ", bytes outside frames " + d.bytesOutsideFrames() + " (bit 7 set: " + d.outsideBit7() + ")";
    }
}
