package io.ticgateway.camel.transport;

/** Sleeps so that bytes leave at a line's speed: 10 bits per character (7E1: start, 7 data, parity, stop). */
final class Pacer {

    private final int baudRate;
    private long startNanos;
    private long bytesSent;

    Pacer(int baudRate) {
        this.baudRate = baudRate;
    }

    int baudRate() {
        return baudRate;
    }

    void reset() {
        startNanos = System.nanoTime();
        bytesSent = 0;
    }

    /** Waits until {@code bytes} more bytes may have left, then counts them. */
    void pace(int bytes) throws InterruptedException {
        if (bytesSent == 0 && startNanos == 0) {
            reset();
        }
        bytesSent += bytes;
        long dueNanos = startNanos + bytesSent * 10L * 1_000_000_000L / baudRate;
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
