package io.ticgateway.app.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ticgateway.app.Failures;
import io.ticgateway.camel.TicConstants;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened to the frames of each sink: delivered, failed attempts, and frames dropped by reason.
 * Counted in the metrics ({@code tic_sink_delivered_total}, {@code tic_sink_failures_total},
 * {@code tic_sink_dropped_total{sink,reason}}) and shown on {@code /api/meters}. Logs one WARN when a sink
 * starts failing and one INFO when it delivers again, one WARN per episode of drops (drops after a quiet
 * minute): one line per outage, not per attempt; a sink that fails again less than a minute after its last
 * logged outage (a full disk: each write that fails frees the room the next one takes) is the same outage.
 */
public final class SinkCounters {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCounters.class);

    /** Drops of one reason closer together than this are one episode, logged once. */
    private static final long QUIET_MILLIS = 60_000;
    /** The metrics' descriptions, by name. */
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "tic.sink.delivered", "Frames (or rows, for the CSV files) a sink delivered",
            "tic.sink.failures", "Failed attempts of a sink: a write, a publish, a batch",
            "tic.sink.dropped", "Frames a sink will never get, by reason");

    /** What a spooled sink (InfluxDB, Kafka) can drop frames for. */
    private static final List<String> SPOOLED_DROPS =
            List.of("route-error", "spool-full", "spool-expired", "disk-full", "spool-error", "refused-by-sink");
    /**
     * The reasons each sink can drop frames for: their counters are registered at 0 with the sink's (an alert
     * on {@code increase(...)} misses a series' first drop when the series begins with it).
     */
    private static final Map<String, List<String>> DROP_REASONS = Map.of(
            "files", List.of("route-error", "write-error", "file-removed"),
            "csv", List.of("route-error", "write-error"),
            "mqtt", List.of("route-error", "queue-full", "publish-failed", "broker-down"),
            "influxdb", SPOOLED_DROPS,
            "influxdb2", SPOOLED_DROPS,
            "kafka", SPOOLED_DROPS);

    private final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    /** Exchange property set by the meter's route: its family's sinks, as {@code ,files,mqtt,}. */
    public static final String SINKS_PROPERTY = "ticSinks";

    private final LongSupplier clock;
    private volatile long lastRouteError;
    private volatile MeterRegistry registry;
    private volatile boolean stopping;

    public SinkCounters() {
        this(System::currentTimeMillis);
    }

    /** @param clock the wall clock, epoch milliseconds */
    SinkCounters(LongSupplier clock) {
        this.clock = clock;
    }

    /** One sink's counters and outage state. */
    private static final class Sink {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
        final Map<String, Long> lastDrop = new ConcurrentHashMap<>();
        volatile long failingSince;
        volatile String lastError;
        // when the last outage's WARN was written, and whether the current outage's was
        volatile long outageLoggedAt;
        volatile boolean outageLogged;
        // the last failure, and the first of failures less than a minute apart (flapping included)
        volatile long lastFailureAt;
        volatile long episodeStart;
        // the failed attempts since episodeStart
        final AtomicLong episodeFailures = new AtomicLong();
    }

    /**
     * The registry the counters are reported to (set once camel-main built it); the counters of {@code sinks}
     * (the enabled ones: delivered, failures, and dropped for each reason it can drop for) are there from
     * the start, at 0.
     */
    public void setRegistry(MeterRegistry registry, Collection<String> sinks) {
        this.registry = registry;
        for (String sink : sinks) {
            Sink s = sink(sink); // on /api/meters too, at 0, as in the metrics
            counter(registry, "tic.sink.delivered", "sink", sink);
            counter(registry, "tic.sink.failures", "sink", sink);
            for (String reason : DROP_REASONS.getOrDefault(sink, List.of())) {
                counter(registry, "tic.sink.dropped", "sink", sink, "reason", reason);
                s.dropped.computeIfAbsent(reason, r -> new AtomicLong());
            }
        }
    }

    private static Counter counter(MeterRegistry registry, String name, String... tags) {
        return Counter.builder(name).description(DESCRIPTIONS.get(name)).tags(tags).register(registry);
    }

    private Sink sink(String name) {
        return sinks.computeIfAbsent(name, n -> new Sink());
    }

    /** {@code n} frames accepted by the sink; ends an outage. */
    public void delivered(String sink, long n) {
        Sink s = sink(sink);
        s.delivered.addAndGet(n);
        increment("tic.sink.delivered", n, "sink", sink);
        long since = s.failingSince;
        if (since != 0) {
            s.failingSince = 0;
            if (s.outageLogged) {
                s.outageLogged = false;
                LOG.info("Sink {} delivers again, {} s after it began failing ({} failed attempts since then; failures less"
                        + " than a minute apart are one outage)", sink,
                        (clock.getAsLong() - s.episodeStart) / 1000, s.episodeFailures.get());
            }
            s.lastError = null;
        }
    }

    /** The gateway stops: a failure from now on is an attempt the stop cut short, logged as such. */
    public void stopping() {
        stopping = true;
    }

    /** One frame accepted (files, MQTT: from their routes). */
    public void delivered(String sink) {
        delivered(sink, 1);
    }

    /** A failed attempt; the first of an outage is logged. */
    public void failed(String sink, String error) {
        Sink s = sink(sink);
        s.failures.incrementAndGet();
        s.lastError = error;
        increment("tic.sink.failures", 1, "sink", sink);
        long now = clock.getAsLong();
        if (s.episodeStart == 0 || now - s.lastFailureAt > QUIET_MILLIS) {
            s.episodeStart = now;
            s.episodeFailures.set(0);
        }
        s.episodeFailures.incrementAndGet();
        s.lastFailureAt = now;
        if (s.failingSince == 0) {
            s.failingSince = now;
            s.outageLogged = s.outageLoggedAt == 0 || now - s.outageLoggedAt > QUIET_MILLIS;
            if (s.outageLogged && stopping) { // an attempt the stop cut short (an interrupted wait): no outage
                s.outageLoggedAt = now;
                LOG.info("Sink {} failed during the stop: {} (counted in tic_sink_failures_total)", sink, error);
            } else if (s.outageLogged) {
                logOutage(s, sink, error, now);
            }
        } else if (!s.outageLogged && !stopping && now - s.outageLoggedAt > QUIET_MILLIS) {
            // an outage that began less than a minute after the last one logged, and still lasts: the last
            // line, that the sink delivers again, is no longer true
            logOutage(s, sink, error, now);
        }
    }

    private static void logOutage(Sink s, String sink, String error, long now) {
        s.outageLogged = true;
        s.outageLoggedAt = now;
        LOG.warn("Sink {} failing: {} (logged once until it delivers again, or a minute after if it fails"
                + " again within it; every attempt counted in tic_sink_failures_total)", sink, error);
    }

    /**
     * A failed exchange in a sink route (routeConfiguration {@code sink-errors}): the sink is named by the
     * route that failed (the sinks on the reader's thread run in routes the meter's route calls).
     */
    public void failedExchange(Exchange exchange) {
        failed(sinkOfRoute(failedRoute(exchange)), error(exchange));
    }

    /**
     * A failed exchange whose data is lost with it: a failure, and a drop for {@code reason} (route
     * configuration {@code lossy-sink-errors}: CSV rows, {@code write-error}; route {@code mqtt-lost}:
     * {@code publish-failed}).
     */
    public void lostExchange(Exchange exchange, String reason) {
        String sink = sinkOfRoute(failedRoute(exchange));
        failed(sink, error(exchange));
        dropped(sink, reason, 1);
    }

    /** The route where the exchange failed. */
    private static String failedRoute(Exchange exchange) {
        return exchange.getProperty(Exchange.FAILURE_ROUTE_ID, exchange.getFromRouteId(), String.class);
    }

    /** The caught exception's root message. */
    private static String error(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return e == null ? "unknown error" : Failures.rootMessage(e);
    }

    /**
     * A frame that failed on its way to the sinks (route configuration {@code frame-errors}: the meter's, its
     * family's and the publish route, and the custom routes they call): every sink of its family
     * ({@code ticSinks}) counts it as dropped ({@code route-error}); the error is logged once per episode.
     */
    public void frameFailed(Exchange exchange) {
        long now = clock.getAsLong();
        long previous = lastRouteError;
        lastRouteError = now;
        if (previous == 0 || now - previous > QUIET_MILLIS) {
            LOG.warn("A frame of meter {} failed in route {}: {} (lost for its sinks, counted in tic_sink_dropped_total"
                    + "{reason=\"route-error\"}; logged again only after a minute without such failures)",
                    exchange.getMessage().getHeader(TicConstants.METER_NAME), failedRoute(exchange), error(exchange));
        }
        for (String sink : exchange.getProperty(SINKS_PROPERTY, "", String.class).split(",")) {
            if (!sink.isBlank()) {
                dropped(sink.trim(), "route-error", 1);
            }
        }
    }

    /** {@code n} frames that the sink will never get, for a reason; the first of an episode is logged. */
    public void dropped(String sink, String reason, long n) {
        if (n <= 0) {
            return;
        }
        Sink s = sink(sink);
        s.dropped.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
        increment("tic.sink.dropped", n, "sink", sink, "reason", reason);
        long now = clock.getAsLong();
        Long previous = s.lastDrop.put(reason, now);
        if (previous == null || now - previous > QUIET_MILLIS) { // an episode: drops after a quiet minute
            LOG.warn("Sink {} drops frames: {} (counted in tic_sink_dropped_total; logged again only after a minute"
                    + " without such drops)", sink, reason);
        }
    }

    /** One frame dropped (from a route). */
    public void dropped(String sink, String reason) {
        dropped(sink, reason, 1);
    }

    /** Frames a sink accepted. */
    public long deliveredCount(String sink) {
        Sink s = sinks.get(sink);
        return s == null ? 0 : s.delivered.get();
    }

    /** Frames dropped by a sink for a reason. */
    public long droppedCount(String sink, String reason) {
        Sink s = sinks.get(sink);
        AtomicLong n = s == null ? null : s.dropped.get(reason);
        return n == null ? 0 : n.get();
    }

    /** Every sink's counters, for {@code /api/meters}. */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new TreeMap<>();
        sinks.forEach((name, s) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("delivered", s.delivered.get());
            entry.put("failures", s.failures.get());
            Map<String, Long> dropped = new TreeMap<>();
            s.dropped.forEach((reason, n) -> dropped.put(reason, n.get()));
            entry.put("dropped", dropped);
            entry.put("failing", s.failingSince != 0);
            if (s.lastError != null) {
                entry.put("lastError", s.lastError);
            }
            out.put(name, entry);
        });
        return out;
    }

    /** The sink a route belongs to: {@code sink-csv} is csv, {@code files-...} are files, {@code mqtt-send} is mqtt. */
    static String sinkOfRoute(String routeId) {
        if (routeId == null) {
            return "unknown";
        }
        String id = routeId.startsWith("sink-") ? routeId.substring(5) : routeId;
        int dash = id.indexOf('-');
        return dash > 0 ? id.substring(0, dash) : id;
    }

    private void increment(String name, long n, String... tags) {
        MeterRegistry r = registry;
        if (r != null) {
            counter(r, name, tags).increment(n);
        }
    }
}
