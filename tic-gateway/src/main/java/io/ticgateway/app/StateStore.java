package io.ticgateway.app;

import com.fasterxml.jackson.core.type.TypeReference;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.ticgateway.app.delivery.FailureEpisode;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.camel.TicEndpoint;
import io.ticgateway.camel.TicStatistics;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.PmePmiSnapshot;
import io.ticgateway.meter.Quantity;
import io.ticgateway.meter.Reading;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.RejectReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest interpreted state of every meter, thread-safe. Fed by the core route, read by REST, metrics
 * and the MQTT availability; saved to disk periodically and at shutdown, restored at startup.
 */
public class StateStore implements Processor {

    /** Format of {@code state.json}; release 0.1.0 wrote the meters map alone, without this number. */
    public static final int FORMAT = 2;

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    private final Map<String, MeterState> meters = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> gaugedValues = new ConcurrentHashMap<>();
    // per meter, the numeric groups' labels of the last frame checked: the same ones again need no lookup
    private final Map<String, String[]> lastNumericLabels = new ConcurrentHashMap<>();
    private final Set<String> gaugedMeters = ConcurrentHashMap.newKeySet();
    private final List<RemovedMeter> removed = new ArrayList<>();
    /** True while a sink (MQTT) still has to clear what it published for the removed meters. */
    private volatile boolean keepRemoved;
    private volatile MeterRegistry metrics;
    private Path file;
    private final FailureEpisode saveOutage = new FailureEpisode();

    /** Where the state is saved; null to keep it in memory only. */
    public void setFile(String file) {
        this.file = file == null || file.isBlank() ? null : Path.of(file);
    }

    /** The Prometheus registry for gauges of the values and counters of every meter (optional). */
    public void setMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Route step: files the exchange's frame under the meter's configured name. */
    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String name = exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
        TicStatistics stats = exchange.getFromEndpoint() instanceof TicEndpoint tic ? tic.getStatistics() : null;
        MeterState previous = meters.get(name);
        long frames = previous == null ? 1 : previous.frames() + 1; // a restored count carries on
        meters.put(name, new MeterState(name, reading.meterId(), reading.mode().id(), reading, null, frames,
                reading.receivedAt(), stats));
        if (metrics != null) {
            registerValueGauges(name, reading);
        }
        registerMeterCounters(name, stats);
    }

    /** Energy indexes of a meter held back in this run, by reason ({@code index-backwards}, {@code index-jump}). */
    public Map<String, Long> heldBack(String name) {
        MeterState m = meters.get(name);
        return m == null || m.reading() == null ? Map.of() : m.reading().heldBackCounts();
    }

    /** All meters, by name. */
    public Collection<MeterState> meters() {
        return List.copyOf(meters.values());
    }

    /** One meter by configured name or meter id, or null. */
    public MeterState meter(String nameOrId) {
        MeterState state = meters.get(nameOrId);
        if (state != null) {
            return state;
        }
        return meters.values().stream().filter(m -> nameOrId.equals(m.meterId())).findFirst().orElse(null);
    }

    /**
     * A gauge {@code tic_value{meter,label}} for each numeric value a meter sends (each group's number, the
     * derived values, the PME-PMI per-period values as {@code PERIOD.LABEL}), registered at its first frame;
     * the gauge reads the meter's latest frame when scraped (nothing copied per frame).
     */
    private void registerValueGauges(String meter, MeterReading reading) {
        Set<String> gauged = gaugedValues.computeIfAbsent(meter, m -> ConcurrentHashMap.newKeySet());
        if (!sameNumericLabels(meter, reading)) {
            List<String> numeric = new ArrayList<>(reading.groups().size());
            reading.groups().values().forEach(r -> {
                if (r.value() instanceof Number) {
                    numeric.add(r.label());
                    if (!gauged.contains(r.label())) {
                        registerValueGauge(meter, r.label(), gauged);
                    }
                }
            });
            lastNumericLabels.put(meter, numeric.toArray(String[]::new));
        }
        reading.allDerived().forEach((label, q) -> {
            if (q.value() instanceof Number && !gauged.contains(label)) {
                registerValueGauge(meter, label, gauged);
            }
        });
        PmePmiSnapshot pme = reading.pmePmi();
        if (pme != null) {
            pme.periods().forEach((period, values) -> values.forEach((label, q) -> {
                String key = period + "." + label;
                if (q.value() instanceof Number && !gauged.contains(key)) {
                    registerValueGauge(meter, key, gauged);
                }
            }));
        }
    }

    /** Whether the frame's numeric groups have the labels, in order, of the last frame checked. */
    private boolean sameNumericLabels(String meter, MeterReading reading) {
        String[] last = lastNumericLabels.get(meter);
        if (last == null) {
            return false;
        }
        int i = 0;
        for (Reading r : reading.groups().values()) {
            if (r.value() instanceof Number && (i == last.length || !r.label().equals(last[i++]))) {
                return false;
            }
        }
        return i == last.length;
    }

    /** A meter's latest value of a label (as {@link #registerValueGauges} names them), or NaN. */
    private double latestValue(String meter, String label) {
        MeterState state = meters.get(meter);
        MeterReading reading = state == null ? null : state.reading();
        if (reading == null) {
            return Double.NaN;
        }
        Object value = null;
        Reading group = reading.groups().get(label);
        Quantity derived = group == null ? reading.allDerived().get(label) : null;
        if (group != null) {
            value = group.value();
        } else if (derived != null) {
            value = derived.value();
        } else if (reading.pmePmi() != null && label.indexOf('.') > 0) {
            Map<String, Quantity> period = reading.pmePmi().periods().get(label.substring(0, label.indexOf('.')));
            Quantity q = period == null ? null : period.get(label.substring(label.indexOf('.') + 1));
            value = q == null ? null : q.value();
        }
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    private void registerValueGauge(String meter, String label, Set<String> gauged) {
        MeterRegistry registry = metrics;
        if (registry == null || !gauged.add(label)) {
            return;
        }
        Gauge.builder("tic.value", this, s -> s.latestValue(meter, label))
                .description("Latest numeric value of a meter's label").tags(Tags.of("meter", meter, "label", label))
                .register(registry);
    }

    /**
     * A meter's source counters in the metrics (frames delivered, rejected, tolerated, reconnects, connected):
     * registered at start for every configured meter, so that a meter that never delivers a frame (a wrong
     * speed, a source that never opens) shows its rejections and its state too; again (a no-op) at a frame.
     */
    void registerMeterCounters(String meter, TicStatistics stats) {
        MeterRegistry registry = metrics;
        if (registry == null || stats == null || !gaugedMeters.add(meter)) {
            return;
        }
        FunctionCounter.builder("tic.frames.delivered", stats, TicStatistics::getFramesDelivered)
                .description("Frames delivered by the meter's source").tag("meter", meter).register(registry);
        FunctionCounter.builder("tic.frames.uninterpreted", stats, TicStatistics::getFramesNotInterpreted)
                .description("Frames left out because their interpretation failed").tag("meter", meter).register(registry);
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("tic.frames.rejected", stats, s -> s.getFrameRejections().getOrDefault(reason, 0L))
                    .description("Frames rejected by the decoder").tags("meter", meter, "reason",
                            reason.name().toLowerCase()).register(registry);
        }
        for (io.ticgateway.protocol.Tolerance tolerance : io.ticgateway.protocol.Tolerance.values()) {
            FunctionCounter.builder("tic.frames.tolerated", stats, s -> s.getTolerations().getOrDefault(tolerance, 0L))
                    .description("Frames delivered despite a framing deviation, by kind").tags("meter", meter, "reason",
                            tolerance.name().toLowerCase()).register(registry);
        }
        for (String reason : List.of("index-backwards", "index-jump")) {
            FunctionCounter.builder("tic.index.held.back", this, s -> s.heldBack(meter).getOrDefault(reason, 0L))
                    .description("Energy indexes held back as impossible, never published").tags("meter", meter,
                            "reason", reason).register(registry);
        }
        FunctionCounter.builder("tic.reconnects", stats, TicStatistics::getReconnects)
                .description("Reconnections of the meter's source").tag("meter", meter).register(registry);
        Gauge.builder("tic.connected", stats, s -> s.isConnected() ? 1 : 0)
                .description("1 while the meter's source is open").tag("meter", meter).register(registry);
    }

    /**
     * Saves every meter's latest state: a temporary file, flushed to the disk, then renamed over the old one
     * (a crash leaves either the old or the new file, never half of one).
     */
    public synchronized void save() {
        if (file == null) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (MeterState m : meters.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("meterId", m.meterId());
            entry.put("family", m.family());
            entry.put("frames", m.frames());
            entry.put("updatedAt", m.updatedAt());
            entry.put("latest", m.latest());
            out.put(m.name(), entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("meters", out);
        if (keepRemoved && !removed.isEmpty()) {
            document.put("removed", removed);
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            byte[] json = ReadingJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(json));
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (saveOutage.succeeded()) {
                LOG.info("Saved the meters' state to {} again", file);
            }
        } catch (IOException e) {
            if (saveOutage.failed()) { // once per outage: a full disk fails every save
                LOG.warn("Cannot save the meters' state to {}: {} (logged again only after a save succeeded)", file,
                        e.getMessage());
            }
        }
    }

    /**
     * Restores the state saved by a previous run (this format, or release 0.1.0's, which had no format
     * field), for the configured meters only: a meter no longer configured is logged and left out, so the
     * next save purges it.
     */
    @SuppressWarnings("unchecked")
    public synchronized void restore(Collection<String> configured) {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try {
            Map<String, Object> document = ReadingJson.mapper().readValue(file.toFile(),
                    new TypeReference<Map<String, Object>>() { });
            Object format = document.get("format");
            if (format instanceof Number n && n.intValue() > FORMAT) {
                LOG.warn("State {} has format {}, newer than this release's ({}): starting empty", file, n, FORMAT);
                return;
            }
            Map<String, Object> saved = format == null ? document : (Map<String, Object>) document.get("meters");
            List<String> names = new ArrayList<>();
            saved.forEach((name, value) -> {
                Map<String, Object> entry = (Map<String, Object>) value;
                if (!configured.contains(name)) {
                    Map<String, Object> latest = (Map<String, Object>) entry.getOrDefault("latest", Map.of());
                    List<String> labels = new ArrayList<>(((Map<String, Object>) latest.getOrDefault("groups", Map.of())).keySet());
                    ((Map<String, Object>) latest.getOrDefault("derived", Map.of())).keySet()
                            .forEach(label -> labels.add("derived." + label));
                    removed.add(new RemovedMeter(name, (String) entry.get("meterId"), (String) entry.get("family"), labels));
                    return;
                }
                meters.putIfAbsent(name, new MeterState(name, (String) entry.get("meterId"), (String) entry.get("family"),
                        null, (Map<String, Object>) entry.get("latest"), ((Number) entry.get("frames")).longValue(),
                        ((Number) entry.get("updatedAt")).longValue(), null));
                names.add(name);
            });
            // meters removed by an earlier run whose retained MQTT messages are not cleared yet
            for (Map<String, Object> entry : (List<Map<String, Object>>) document.getOrDefault("removed", List.of())) {
                String name = (String) entry.get("name");
                if (!configured.contains(name) && removed.stream().noneMatch(r -> r.name().equals(name))) {
                    removed.add(new RemovedMeter(name, (String) entry.get("meterId"), (String) entry.get("family"),
                            (List<String>) entry.getOrDefault("labels", List.of())));
                }
            }
            LOG.info("Restored the state of {} meter(s) from {}: {}", names.size(), file, names);
            if (!removed.isEmpty()) {
                LOG.info("Meter(s) {} in {} are no longer configured: left out (purged at the next save)",
                        removed.stream().map(RemovedMeter::name).toList(), file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot restore the meters' state from {} (starting empty): {}", file, e.getMessage());
        }
    }

    /** Meters found in the saved state that are no longer configured. */
    public synchronized List<RemovedMeter> removed() {
        return List.copyOf(removed);
    }

    /**
     * Keeps the removed meters in {@code state.json} until {@link #clearRemoved} (MQTT on: their retained
     * Home Assistant configs must be emptied, and the broker may be down now); off, the next save purges them.
     */
    public void keepRemovedUntilCleared(boolean keep) {
        this.keepRemoved = keep;
    }

    /** What the removed meters left behind is cleared: they leave the saved state at the next save. */
    public synchronized void clearRemoved() {
        if (!removed.isEmpty()) {
            LOG.info("Retained messages of the removed meter(s) {} cleared", removed.stream().map(RemovedMeter::name).toList());
            removed.clear();
        }
    }

    /** A meter of the saved state that left the configuration: its name, id, family and the labels it sent. */
    public record RemovedMeter(String name, String meterId, String family, List<String> labels) {
    }
}
