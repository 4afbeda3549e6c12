package io.ticgateway.camel.transport;

import java.util.List;

/**
 * Finds a serial line's speed: when no valid frame arrived for a while since the port was opened, the next
 * speed of the list is tried (TIC lines run at 1200 or 9600 Bd; PME-PMI at 1200 to 19200 Bd).
 */
public final class BaudRateDetector {

    /** The speeds tried, in this order, round and round. */
    public static final List<Integer> RATES = List.of(9600, 1200, 19200, 4800, 2400);

    private final SerialByteSource port;
    private final long timeoutMillis;
    private int index;
    private long openedAt;
    private long framesAtOpen;

    public BaudRateDetector(SerialByteSource port, long timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        port.setBaudRate(RATES.get(0));
    }

    /** The port was just opened; {@code frames} is the count of valid frames so far. */
    public void opened(long frames, long now) {
        framesAtOpen = frames;
        openedAt = now;
    }

    /**
     * True when no valid frame came since the port was opened and the timeout passed: the next speed is
     * then set on the port, for its next open.
     */
    public boolean switchIfSilent(long frames, long now) {
        if (frames != framesAtOpen || now - openedAt <= timeoutMillis) {
            return false;
        }
        index = (index + 1) % RATES.size();
        port.setBaudRate(RATES.get(index));
        return true;
    }
}
