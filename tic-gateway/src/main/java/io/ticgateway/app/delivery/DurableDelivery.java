package io.ticgateway.app.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ticgateway.app.InfluxPoints;
import io.ticgateway.app.MeterJson;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward for the sinks that must not lose a frame (InfluxDB 1.x and 2.x, Kafka): the publish
 * route hands every frame to {@link #process}, which appends one entry per such sink to the {@link Spool}
 * before the reader reads on from its source: the frames of one read (a batch of the {@code tic:}
 * consumer, {@link Exchange#BATCH_COMPLETE} false until its last frame) are appended in one transaction
 * with the last one; one {@link SpoolDrainer} per sink empties the spool. A capture replay waits while the
 * spool is at its size bound (back-pressure); a live source never waits: past the bound the oldest entries
 * are dropped, counted and logged. The spool is synced every {@code syncInterval}.
 */
public final class DurableDelivery implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DurableDelivery.class);

    /** Exchange property set by the meter's route: true for a capture replay, which waits rather than drops. */
    public static final String BACK_PRESSURE_PROPERTY = "ticBackPressure";

    /** Entries held back at most, while the frames of one read come (a capture read 64 KB at a time: dozens). */
    static final int MAX_PENDING = 1000;

    /** Settings of one durable sink's drainer. */
    public record SinkSettings(String sink, int batchSize, int catchUpBatchSize, long batchInterval, long retryDelay) {
    }

    private final Spool spool;
    private final PointClock clock;
    private final List<SinkSettings> sinks;
    private final boolean writesPoints;
    private final boolean writesJson;
    private final InfluxPoints points = new InfluxPoints();
    private final MeterJson kafkaJson = new MeterJson();
    private final SinkCounters counters;
    private final long maxBytes;
    private final long maxAgeMillis;
    private final long syncInterval;
    private final long maxRetryDelay;
    private final List<SpoolDrainer> drainers = new ArrayList<>();
    // entries of a read's frames before its last one, appended with it (guarded by itself, held over the append)
    private final List<Spool.Entry> pending = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService maintenance;
    private final FailureEpisode syncOutage = new FailureEpisode();
    private volatile boolean stopping;

    /** Whether a meter's frames go to a sink (tic.family.<family>.sinks); every sink by default. */
    private BiPredicate<String, String> routing = (meter, sink) -> true;

    /** Sends a meter's frames only to the sinks {@code routing.test(meter, sink)} accepts. */
    public void routeBy(BiPredicate<String, String> routing) {
        this.routing = routing;
    }

    public DurableDelivery(Path file, List<SinkSettings> sinks, SinkCounters counters, long maxBytes, long maxAgeMillis,
                           long syncInterval, long maxRetryDelay) {
        this.spool = sinks.isEmpty() ? null : Spool.open(file); // no durable sink: no spool file at all
        this.clock = new PointClock(spool == null ? Map.of() : spool.clocks());
        this.sinks = List.copyOf(sinks);
        this.writesPoints = !sinks.isEmpty(); // Kafka's records carry the point too (KafkaRecords.POINT_HEADER)
        this.writesJson = sinks.stream().anyMatch(s -> !isPointSink(s.sink()));
        this.counters = counters;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
        this.syncInterval = syncInterval;
        this.maxRetryDelay = maxRetryDelay;
        long waiting = spool == null ? 0 : sinks.stream().mapToLong(s -> spool.depth(s.sink())).sum();
        if (waiting > 0) {
            LOG.info("Spool {}: {} entries from a previous run waiting for delivery", file, waiting);
        }
    }

    /** The spool (tests, benchmarks), or null when no durable sink is enabled. */
    public Spool spool() {
        return spool;
    }

    /** Starts one drainer per durable sink, through {@code direct:<sink>-write}, and the periodic sync. */
    public void start(ProducerTemplate template) {
        if (spool == null) {
            return;
        }
        for (SinkSettings s : sinks) {
            SpoolDrainer drainer = new SpoolDrainer(s.sink(), spool, template, s.batchSize(), s.catchUpBatchSize(),
                    s.batchInterval(),
                    s.retryDelay(), maxRetryDelay, counters);
            Thread thread = new Thread(drainer, "tic-spool-" + s.sink());
            thread.setDaemon(true);
            thread.start();
            drainers.add(drainer);
            threads.add(thread);
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tic-spool-sync");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::maintain, syncInterval, syncInterval, TimeUnit.MILLISECONDS);
    }

    /** Route step (publish): appends the exchange's frame for every durable sink. */
    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        if (sinks.isEmpty()) {
            return;
        }
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        String line = null;
        PointClock.Tick tick = PointClock.NONE;
        if (writesPoints) {
            InfluxPoints.Point point = points.point(exchange);
            if (point != null) { // a frame with no field to write has no point
                tick = clock.next(meter, point.timeMillis());
                line = point.line(tick.nanos());
            }
        }
        String json = writesJson ? kafkaJson.of(meter, reading) : null;
        List<Spool.Entry> entries = new ArrayList<>(sinks.size());
        for (SinkSettings s : sinks) {
            String payload = isPointSink(s.sink()) ? line : KafkaRecords.payload(json, line);
            if (payload != null && routing.test(meter, s.sink())) {
                entries.add(new Spool.Entry(s.sink(), meter, payload, tick));
            }
        }
        boolean replay = Boolean.TRUE.equals(exchange.getProperty(BACK_PRESSURE_PROPERTY, Boolean.class));
        if (replay) {
            waitForRoom();
        }
        boolean moreInRead = Boolean.FALSE.equals(exchange.getProperty(Exchange.BATCH_COMPLETE, Boolean.class));
        append(entries, moreInRead);
        if (!replay && spool.bytes() > maxBytes) {
            spool.dropOldest(maxBytes).perSink().forEach((sink, n) -> counters.dropped(sink, "spool-full", n));
        }
    }

    /**
     * Appends the entries, with those held back before them, in one transaction; holds them back instead
     * while more frames of the same read follow (up to {@link #MAX_PENDING} entries).
     */
    private void append(List<Spool.Entry> entries, boolean holdBack) {
        Map<String, Integer> added = new HashMap<>(4); // per sink
        synchronized (pending) {
            pending.addAll(entries);
            if (holdBack && pending.size() < MAX_PENDING || pending.isEmpty()) {
                return;
            }
            try {
                spool.append(pending);
                pending.forEach(entry -> added.merge(entry.sink(), 1, Integer::sum));
            } catch (RuntimeException e) { // a full disk, or a spool already closed by the stop: counted, never silent
                String reason = Spool.isDiskFull(e) ? "disk-full" : "spool-error";
                pending.forEach(entry -> counters.dropped(entry.sink(), reason, 1));
                return;
            } finally {
                pending.clear();
            }
        }
        for (SpoolDrainer d : drainers) { // a batch filled up: its drainer need not wait for the interval
            long depth = spool.depth(d.sink());
            if (depth / d.batchSize() != (depth - added.getOrDefault(d.sink(), 0)) / d.batchSize()) {
                d.wake();
            }
        }
    }

    /** Appends the entries held back, if any (a read whose last frame did not reach the spool, the stop). */
    private void appendPending() {
        append(List.of(), false);
    }

    /** InfluxDB sinks take the frame's point in line protocol; Kafka its canonical JSON, and the point. */
    static boolean isPointSink(String sink) {
        return sink.startsWith("influxdb");
    }

    private void waitForRoom() {
        while (spool.bytes() > maxBytes && !stopping && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Group commit, and entries past the age bound dropped (counted). */
    private void maintain() {
        try {
            appendPending();
            spool.sync();
            if (maxAgeMillis > 0) {
                spool.dropOlderThan(System.currentTimeMillis() - maxAgeMillis).perSink()
                        .forEach((sink, n) -> counters.dropped(sink, "spool-expired", n));
            }
            if (syncOutage.succeeded()) {
                LOG.info("Spool {}: synced again", spool.file());
            }
        } catch (RuntimeException e) {
            if (syncOutage.failed()) { // once per episode (a full disk fails every second)
                LOG.warn("Spool {}: sync failed: {} (logged once until it succeeds again)", spool.file(), e.getMessage());
            }
        }
    }

    /** Depth, oldest age, drain rate per sink, and the spool's size and free disk, for {@code /api/meters}. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (spool == null) {
            return out;
        }
        out.put("file", spool.file().toString());
        out.put("bytes", spool.bytes());
        out.put("maxBytes", maxBytes);
        out.put("freeDiskBytes", spool.file().toFile().getUsableSpace());
        Map<String, Object> perSink = new LinkedHashMap<>();
        for (SinkSettings s : sinks) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("depth", spool.depth(s.sink()));
            entry.put("oldestAgeSeconds", oldestAgeSeconds(s.sink()));
            entry.put("drainRate", drainers.stream().filter(d -> d.sink().equals(s.sink())).findFirst()
                    .map(SpoolDrainer::drainRate).orElse(0.0));
            perSink.put(s.sink(), entry);
        }
        out.put("sinks", perSink);
        return out;
    }

    private double oldestAgeSeconds(String sink) {
        long oldest = spool.oldestEnqueuedAt(sink);
        return oldest == 0 ? 0 : (System.currentTimeMillis() - oldest) / 1000.0;
    }

    /** Spool gauges: {@code tic_spool_depth{sink}}, {@code tic_spool_oldest_age_seconds{sink}}, drain rate, bytes, free disk. */
    public void registerMetrics(MeterRegistry registry) {
        if (spool == null) {
            return;
        }
        for (SinkSettings s : sinks) {
            Gauge.builder("tic.spool.depth", spool, sp -> sp.depth(s.sink())).tag("sink", s.sink())
                    .description("Entries waiting in the spool").register(registry);
            Gauge.builder("tic.spool.oldest.age.seconds", this, d -> d.oldestAgeSeconds(s.sink())).tag("sink", s.sink())
                    .description("Age of the oldest entry waiting in the spool").register(registry);
            Gauge.builder("tic.spool.drain.rate", drainers, list -> list.stream().filter(d -> d.sink().equals(s.sink()))
                    .mapToDouble(SpoolDrainer::drainRate).sum()).tag("sink", s.sink())
                    .description("Entries delivered per second").register(registry);
        }
        Gauge.builder("tic.spool.bytes", spool, Spool::bytes).description("Payload bytes waiting in the spool")
                .register(registry);
        Gauge.builder("tic.spool.disk.free.bytes", spool, sp -> sp.file().toFile().getUsableSpace())
                .description("Free space on the spool's disk").register(registry);
    }

    /** The gateway is stopping: a replay waiting for room goes on (its route is being stopped). */
    public void beginStop() {
        stopping = true;
    }

    /**
     * Graceful stop: delivers what {@code deadline} (epoch ms) allows, leaves the rest in the spool, syncs
     * and closes it.
     *
     * @return entries left in the spool, per sink
     */
    public Map<String, Long> stop(long deadline) {
        if (spool == null) {
            return Map.of();
        }
        appendPending();
        drainers.forEach(d -> d.stop(deadline));
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        Map<String, Long> left = new LinkedHashMap<>();
        for (SpoolDrainer d : drainers) {
            left.put(d.sink(), d.flush(deadline));
        }
        try {
            spool.close();
        } catch (RuntimeException e) { // a full disk: the last checkpoint failed, the committed entries stay in the WAL
            LOG.warn("Spool {}: not synced at stop ({}); the next start reads what its write-ahead log holds",
                    spool.file(), e.getMessage());
        }
        return left;
    }
}
