package io.ticgateway.app.delivery;

import io.ticgateway.app.Failures;
import java.util.List;
import org.apache.camel.ProducerTemplate;

/**
 * Delivers one sink's spooled entries, in order: a batch leaves when it holds {@code batchSize} entries or
 * {@code batchInterval} ms after its first entry entered the spool, through the sink's write route
 * ({@code direct:<sink>-write}, body: the list of {@link Spool.Row}), and is removed only once that route
 * returned without an exception. A failure keeps the batch and waits (doubling, up to a maximum) before
 * the next attempt: no attempt limit, the spool's bounds decide what is given up. While more than a
 * batch waits (a backlog after an outage), batches grow up to {@code catchUpBatchSize}: one request per
 * batch is what limits the drain rate.
 */
public final class SpoolDrainer implements Runnable {

    private final String sink;
    private final Spool spool;
    private final ProducerTemplate template;
    private final String endpointUri;
    private final int batchSize;
    private final int catchUpBatchSize;
    private final long batchInterval;
    private final long retryDelay;
    private final long maxRetryDelay;
    private final SinkCounters counters;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile double drainRate;
    private long rateWindowStart = System.currentTimeMillis();
    private long rateWindowCount;

    public SpoolDrainer(String sink, Spool spool, ProducerTemplate template, int batchSize, int catchUpBatchSize,
                        long batchInterval, long retryDelay, long maxRetryDelay, SinkCounters counters) {
        this.sink = sink;
        this.spool = spool;
        this.template = template;
        this.endpointUri = "direct:" + sink + "-write";
        this.batchSize = batchSize;
        this.catchUpBatchSize = Math.max(batchSize, catchUpBatchSize);
        this.batchInterval = batchInterval;
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.counters = counters;
    }

    /** The sink this drainer delivers to. */
    public String sink() {
        return sink;
    }

    /** Entries delivered per second over the last few seconds. */
    public double drainRate() {
        return drainRate;
    }

    /** Tells the drainer entries were appended (a batch may be full). */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        long delay = retryDelay;
        long retryAt = 0;
        while (running) {
            measure(0);
            long wait = Math.max(retryAt - System.currentTimeMillis(), untilDue());
            if (wait > 0) {
                pause(wait); // woken early by an append: due times are checked again
                continue;
            }
            boolean delivered;
            try {
                delivered = deliverOneBatch();
            } catch (RuntimeException e) { // the spool itself failed (a full disk): counted, tried again later
                counters.failed(sink, "spool: " + Failures.rootMessage(e));
                delivered = false;
            }
            if (delivered) {
                delay = retryDelay;
                retryAt = 0;
            } else {
                retryAt = System.currentTimeMillis() + delay;
                delay = Math.min(delay * 2, maxRetryDelay);
            }
        }
    }

    /** Stops the loop after the batch in progress. */
    public void stop() {
        running = false;
        wake();
    }

    /**
     * Delivers whole batches, the incomplete one included, until the spool is empty for this sink, a
     * delivery fails, or {@code deadline} (epoch ms) passes; what is left stays in the spool. For shutdown.
     *
     * @return the entries left in the spool for this sink
     */
    public long flush(long deadline) {
        try {
            while (System.currentTimeMillis() < deadline && spool.depth(sink) > 0) {
                if (!deliverOneBatch()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            counters.failed(sink, "spool: " + Failures.rootMessage(e));
        }
        return spool.depth(sink);
    }

    /** Milliseconds before the next batch is due (0: now). */
    private long untilDue() {
        long depth = spool.depth(sink);
        if (depth == 0) {
            return 1000;
        }
        if (depth >= batchSize) {
            return 0;
        }
        long due = spool.oldestEnqueuedAt(sink) + batchInterval;
        return Math.max(0, due - System.currentTimeMillis());
    }

    private boolean deliverOneBatch() {
        long depth = spool.depth(sink);
        int size = depth > batchSize ? (int) Math.min(depth, catchUpBatchSize) : batchSize;
        List<Spool.Row> batch = spool.peek(sink, size);
        if (batch.isEmpty()) {
            return true;
        }
        Object refused;
        try {
            refused = template.requestBody(endpointUri, batch);
        } catch (RuntimeException e) {
            counters.failed(sink, Failures.rootMessage(e));
            return false;
        }
        spool.remove(sink, batch);
        long rejected = refused instanceof Number n ? n.longValue() : 0; // a write route may return what the sink refused
        counters.delivered(sink, batch.size() - rejected);
        counters.dropped(sink, "refused-by-sink", rejected);
        measure(batch.size());
        return true;
    }

    private synchronized void measure(int delivered) {
        long now = System.currentTimeMillis();
        rateWindowCount += delivered;
        if (now - rateWindowStart >= 5000) { // idle too: the loop measures 0 at least once a second
            drainRate = rateWindowCount * 1000.0 / (now - rateWindowStart);
            rateWindowStart = now;
            rateWindowCount = 0;
        }
    }

    private void pause(long millis) {
        synchronized (signal) {
            try {
                signal.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
