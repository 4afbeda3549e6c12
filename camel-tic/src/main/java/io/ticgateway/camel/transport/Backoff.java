package io.ticgateway.camel.transport;

/** Waits between attempts to reopen a source: the first delay, doubled after each failure, up to a maximum. */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = initialMillis;
    }

    /** The wait before the next attempt. */
    public long nextDelay() {
        return nextMillis;
    }

    /** Sleeps the next delay and doubles it; returns false when interrupted (the consumer is stopping). */
    public boolean sleep() {
        try {
            Thread.sleep(nextMillis);
            nextMillis = Math.min(nextMillis * 2, maxMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Back to the first delay, after a successful open. */
    public void reset() {
        nextMillis = initialMillis;
    }
}
