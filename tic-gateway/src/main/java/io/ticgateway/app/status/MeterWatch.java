package io.ticgateway.app.status;

import io.ticgateway.app.MeterConfig;
import io.ticgateway.camel.TicEndpoint;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.Reading;
import io.ticgateway.protocol.TicMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;

/**
 * Samples every configured meter's line counters at a fixed period (route {@code status-sample} in
 * {@code routes/sinks/rest.yaml}): keeps the last {@link #WINDOW_MILLIS} of samples for the frame rate and
 * the diagnosis, and the last {@link #HISTORY_MILLIS} of the meter's power for the status page's chart.
 * A meter that never sent a frame is watched too: its diagnosis is what the installer needs most.
 */
public class MeterWatch {

    /** The window of the frame rate and of the diagnosis. */
    public static final long WINDOW_MILLIS = 30_000;
    /** How far back the power chart goes. */
    public static final long HISTORY_MILLIS = 10 * 60_000;
    /** The power label charted, by order of preference: standard, historic, PME-PMI. */
    static final List<String> POWER_LABELS = List.of("SINSTS", "PAPP", "PA1MN", "PA1_s");

    private final List<MeterConfig> meters;
    private final Function<String, MeterReading> latest;
    private final Map<String, Watched> watched = new LinkedHashMap<>();

    /**
     * @param meters the configured meters
     * @param latest a meter's latest frame of this run by name, or null
     */
    public MeterWatch(List<MeterConfig> meters, Function<String, MeterReading> latest) {
        this.meters = List.copyOf(meters);
        this.latest = latest;
        meters.forEach(m -> watched.put(m.name(), new Watched(m.family())));
    }

    /** The configured meters' names, in configuration order. */
    public List<String> names() {
        return meters.stream().map(MeterConfig::name).toList();
    }

    /** A configured meter's family ({@code standard}, {@code historic}, {@code pmepmi}), or null. */
    public String family(String name) {
        Watched w = watched.get(name);
        return w == null ? null : w.family.id();
    }

    /** Takes one sample of every meter (the timer route). */
    public void sample(Exchange exchange) {
        long now = System.currentTimeMillis();
        for (MeterConfig meter : meters) {
            TicEndpoint endpoint = endpoint(exchange.getContext(), meter.name());
            if (endpoint != null) {
                watched.get(meter.name()).add(LineSample.of(endpoint, now), latest.apply(meter.name()));
            }
        }
    }

    /** The source of a configured meter, or null when its route is not there. */
    public static TicEndpoint endpoint(CamelContext context, String name) {
        Route route = context.getRoute("meter-" + name);
        return route != null && route.getEndpoint() instanceof TicEndpoint tic ? tic : null;
    }

    /**
     * A meter's frames per second over the window and its diagnosis, or null for a name not configured or
     * not sampled yet.
     */
    public Map<String, Object> line(String name) {
        Watched w = watched.get(name);
        return w == null ? null : w.line();
    }

    /** A meter's power over the last minutes: {@code label}, {@code unit} and {@code points} [[epoch ms, value]...]. */
    public Map<String, Object> power(String name) {
        Watched w = watched.get(name);
        return w == null ? null : w.power();
    }

    /** One meter's samples and power points; the sampling thread writes, HTTP threads read. */
    private static final class Watched {
        private final TicMode family;
        private final Deque<LineSample> samples = new ArrayDeque<>();
        private final Deque<double[]> points = new ArrayDeque<>();
        private String powerLabel;
        private String powerUnit;
        private TicMode lastMode;
        private long lastFrameAt;

        Watched(TicMode family) {
            this.family = family;
        }

        synchronized void add(LineSample sample, MeterReading reading) {
            samples.addLast(sample);
            while (samples.size() > 2 && samples.peekFirst().at() < sample.at() - WINDOW_MILLIS) {
                samples.removeFirst();
            }
            if (reading != null && reading.receivedAt() != lastFrameAt) {
                lastFrameAt = reading.receivedAt();
                lastMode = reading.mode();
                addPower(reading);
            }
            while (!points.isEmpty() && points.peekFirst()[0] < sample.at() - HISTORY_MILLIS) {
                points.removeFirst();
            }
        }

        private void addPower(MeterReading reading) {
            for (String label : POWER_LABELS) {
                Reading r = reading.get(label);
                if (r != null && r.value() instanceof Number value) {
                    powerLabel = label;
                    powerUnit = r.unit();
                    points.addLast(new double[] {reading.receivedAt(), value.doubleValue()});
                    return;
                }
            }
        }

        synchronized Map<String, Object> line() {
            if (samples.isEmpty()) {
                return null;
            }
            LineSample newer = samples.peekLast();
            LineSample older = samples.peekFirst();
            LineSample window = newer.since(older);
            LineDiagnosis diagnosis = LineDiagnosis.of(older, newer, family, lastMode);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("framesPerSecond", window.at() > 0
                    ? Double.valueOf(String.format(Locale.ROOT, "%.3f", window.frames() * 1000.0 / window.at())) : 0.0);
            line.put("bytesPerSecond", window.at() > 0 ? window.bytes() * 1000 / window.at() : 0);
            line.put("windowSeconds", window.at() / 1000);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("code", diagnosis.code().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            d.put("level", diagnosis.code().level());
            d.put("text", diagnosis.text());
            line.put("diagnosis", d);
            return line;
        }

        synchronized Map<String, Object> power() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("label", powerLabel);
            out.put("unit", powerUnit);
            List<List<Number>> list = new ArrayList<>();
            for (double[] p : points) {
                list.add(List.of((long) p[0], p[1]));
            }
            out.put("points", list);
            return out;
        }
    }
}
