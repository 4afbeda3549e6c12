package io.ticgateway.app.delivery;

import io.ticgateway.app.Failures;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;

/**
 * Delivers one sink's spooled entries, in order: a batch leaves when it holds {@code batchSize} entries or
 * {@code batchInterval} ms after its first entry entered the spool, through the sink's write route
 * ({@code direct:<sink>-write}; body: for the InfluxDB sinks the batch's points in line protocol, one a line,
 * read from the spool as one string; for Kafka the list of {@link Spool.Row}), and is removed only once that route
 * returned without an exception. A failure keeps the batch and waits (doubling, up to a maximum) before
 * the next attempt: no attempt limit, the spool's bounds decide what is given up. While more than a
 * batch waits (a backlog after an outage), batches grow up to {@code catchUpBatchSize}: one request per
 * batch is what limits the drain rate. In a backlog the spool's work overlaps the sink's: while a batch is
 * out, the next one is read, and an accepted batch is removed while the next one is out (one helper thread,
 * in order). The next batch is sent only once the previous one was accepted; a failure discards the batch
 * read ahead and starts again from the oldest entry. A removal that fails (a full disk) leaves its batch in
 * the spool: the next batch's removal takes it along, or it is sent again (the same points, kept once).
 */
public final class SpoolDrainer implements Runnable {

    private final String sink;
    private final Spool spool;
    private final ProducerTemplate template;
    private final String endpointUri;
    private final boolean pointLines;
    private final int batchSize;
    private final int catchUpBatchSize;
    private final long batchInterval;
    private final long retryDelay;
    private final long maxRetryDelay;
    private final SinkCounters counters;
    private final Object signal = new Object();
    private final Object batches = new Object(); // the run loop's and flush's batches, one at a time
    private final ThreadPoolExecutor spoolWork; // reads ahead and removals, in submission order
    private Future<Batch> readAhead; // the batch after the one out, read while it is out
    private Future<?> removal; // the last accepted batch's removal
    private volatile boolean running = true;
    private volatile long stopDeadline = Long.MAX_VALUE;
    private volatile double drainRate;
    private long rateWindowStart = System.currentTimeMillis();
    private long rateWindowCount;

    public SpoolDrainer(String sink, Spool spool, ProducerTemplate template, int batchSize, int catchUpBatchSize,
                        long batchInterval, long retryDelay, long maxRetryDelay, SinkCounters counters) {
        this.sink = sink;
        this.spool = spool;
        this.template = template;
        this.endpointUri = "direct:" + sink + "-write";
        this.pointLines = DurableDelivery.isPointSink(sink);
        this.batchSize = batchSize;
        this.catchUpBatchSize = Math.max(batchSize, catchUpBatchSize);
        this.batchInterval = batchInterval;
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.counters = counters;
        this.spoolWork = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tic-spool-" + sink + "-io");
            t.setDaemon(true);
            return t;
        });
        spoolWork.allowCoreThreadTimeOut(true); // no thread while idle
    }

    /** A batch read from the spool: the write route's body, its entries, and how to remove it once accepted. */
    private record Batch(Object body, int count, long lastId, Runnable remove) {
    }

    /** Entries of a batch that leaves at once (a smaller one leaves after the batch interval). */
    public int batchSize() {
        return batchSize;
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
            boolean delivered;
            try {
                long wait;
                synchronized (batches) {
                    wait = Math.max(retryAt - System.currentTimeMillis(), untilDue());
                    delivered = wait > 0 || deliverOneBatch();
                }
                if (wait > 0) {
                    pause(wait); // woken early by an append: due times are checked again
                    continue;
                }
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
        settleQuietly();
    }

    /**
     * Stops the loop after the batch in progress; a batch whose call is cut at {@code deadline} (epoch ms)
     * waits for the next start, and is no failure of the sink.
     */
    public void stop(long deadline) {
        stopDeadline = deadline;
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
        synchronized (batches) {
            try {
                while (System.currentTimeMillis() < deadline && (readAhead != null || settledDepth() > 0)) {
                    if (!deliverOneBatch()) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                counters.failed(sink, "spool: " + Failures.rootMessage(e));
            }
            settleQuietly();
        }
        return spool.depth(sink);
    }

    /** Milliseconds before the next batch is due (0: now). */
    private long untilDue() {
        if (readAhead != null) {
            return 0; // a backlog: the next batch is being read
        }
        long depth = settledDepth();
        if (depth == 0) {
            return 1000;
        }
        if (depth >= batchSize) {
            return 0;
        }
        long due = spool.oldestEnqueuedAt(sink) + batchInterval;
        return Math.max(0, due - System.currentTimeMillis());
    }

    /** The entries waiting, once the last accepted batch's removal is done. */
    private long settledDepth() {
        settleRemoval();
        return spool.depth(sink);
    }

    private boolean deliverOneBatch() {
        Batch batch;
        if (readAhead != null) {
            batch = await(readAhead);
            readAhead = null;
            if (batch.count() < batchSize) { // the backlog ended: what is left leaves when it is due
                return true;
            }
        } else {
            batch = read(0, size(settledDepth()));
            if (batch.count() == 0) {
                return true;
            }
        }
        if (batch.count() >= batchSize) { // a full batch: more may wait, read it while this one is out
            long after = batch.lastId();
            int next = size(spool.depth(sink) - batch.count());
            readAhead = spoolWork.submit(() -> read(after, next));
        }
        Object refused;
        try {
            refused = template.requestBody(endpointUri, batch.body());
        } catch (RuntimeException e) {
            if (System.currentTimeMillis() < stopDeadline) { // else cut by the stop: the batch waits, no outage
                counters.failed(sink, Failures.rootMessage(e));
            }
            dropReadAhead();
            return false;
        }
        long rejected = refused instanceof Number n ? n.longValue() : 0; // a write route may return what the sink refused
        removal = spoolWork.submit(() -> {
            try {
                batch.remove().run();
            } catch (RuntimeException e) { // kept: the next removal takes it along, or it is sent again
                counters.failed(sink, "spool: " + Failures.rootMessage(e));
                return;
            }
            counters.delivered(sink, batch.count() - rejected);
            counters.dropped(sink, "refused-by-sink", rejected);
            measure(batch.count());
        });
        return true;
    }

    /** The size of the next batch when {@code depth} entries wait. */
    private int size(long depth) {
        return depth > batchSize ? (int) Math.min(depth, catchUpBatchSize) : batchSize;
    }

    /** A batch of the entries after id {@code after} (0: from the oldest). */
    private Batch read(long after, int size) {
        if (pointLines) {
            Spool.Lines lines = spool.peekLines(sink, after, size);
            return new Batch(lines.body(), lines.count(), lines.lastId(), () -> spool.remove(lines));
        }
        List<Spool.Row> rows = spool.peek(sink, after, size);
        return new Batch(rows, rows.size(), rows.isEmpty() ? after : rows.get(rows.size() - 1).id(),
                () -> spool.remove(sink, rows));
    }

    /** Waits for the last accepted batch's removal. */
    private void settleRemoval() {
        if (removal != null) {
            Future<?> last = removal;
            removal = null;
            await(last);
        }
    }

    private void settleQuietly() {
        try {
            dropReadAhead();
            settleRemoval();
        } catch (RuntimeException e) {
            counters.failed(sink, "spool: " + Failures.rootMessage(e));
        }
    }

    private void dropReadAhead() {
        if (readAhead != null) {
            try {
                await(readAhead);
            } catch (RuntimeException ignored) {
                // read again from the oldest entry
            } finally {
                readAhead = null;
            }
        }
    }

    private static <T> T await(Future<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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
