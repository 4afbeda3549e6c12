package io.ticgateway.app;

import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.Quantity;
import io.ticgateway.meter.Reading;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When a meter's state goes to MQTT, per meter ({@code tic.meter.<name>.publish*}): at most every
 * {@code publish-interval} ms, and then always ({@code interval}), only when a value changed
 * ({@code change}), or only when a value moved by more than its class's threshold ({@code threshold}:
 * energy in Wh, power in W or VA, current in A, voltage in V; any other value on any change).
 * The values compared are the frame's groups ({@code DATE} aside) and its derived values.
 */
public class PublishPolicy {

    /** How a meter decides. */
    public enum Mode { INTERVAL, CHANGE, THRESHOLD }

    /** The label classes that take a threshold, and the units they are counted in. */
    public static final List<String> CLASSES = List.of("energy", "power", "current", "voltage");

    /** One meter's settings. */
    public record Settings(Mode mode, long intervalMillis, Map<String, Double> thresholds) {
    }

    private final Map<String, Settings> settings;
    private final Settings fallback;
    private final long tickMillis;
    private final LongSupplier clock;
    private final Map<String, Map<String, Object>> published = new ConcurrentHashMap<>();
    private final Map<String, Long> publishedAt = new ConcurrentHashMap<>();

    /**
     * @param settings   by meter name
     * @param fallback   for a meter not in {@code settings}
     * @param tickMillis {@code tic.mqtt.interval}: states reach the policy once per tick at most
     */
    public PublishPolicy(Map<String, Settings> settings, Settings fallback, long tickMillis, LongSupplier clock) {
        this.settings = Map.copyOf(settings);
        this.fallback = fallback;
        this.tickMillis = tickMillis;
        this.clock = clock;
    }

    /** The settings of every configured meter, checked: a bad value stops the start, naming its key. */
    public static PublishPolicy of(GatewayConfig config) {
        Settings defaults = read(config, "tic.mqtt.", config.flag("tic.mqtt.on-change") ? Mode.CHANGE : Mode.INTERVAL,
                config.number("tic.mqtt.interval", 10_000), Map.of());
        Map<String, Settings> byMeter = new HashMap<>();
        for (MeterConfig m : config.meters()) {
            byMeter.put(m.name(), read(config, "tic.meter." + m.name() + ".", defaults.mode(), defaults.intervalMillis(),
                    defaults.thresholds()));
        }
        return new PublishPolicy(byMeter, defaults, config.number("tic.mqtt.interval", 10_000), System::currentTimeMillis);
    }

    /** The per-meter keys {@code tic.meter.<name>.…} this policy reads. */
    public static List<String> meterKeys(String name) {
        String p = "tic.meter." + name + ".";
        List<String> keys = new java.util.ArrayList<>(List.of(p + "publish", p + "publish-interval"));
        CLASSES.forEach(c -> keys.add(p + "threshold." + c));
        return keys;
    }

    private static Settings read(GatewayConfig config, String prefix, Mode mode, long interval,
                                 Map<String, Double> thresholds) {
        String modeText = config.get(prefix + "publish");
        if (modeText != null && !modeText.isEmpty()) {
            try {
                mode = Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new GatewayConfig.ConfigException(prefix + "publish: expected interval, change or threshold, was '"
                        + modeText + "'");
            }
        }
        long every = config.number(prefix + "publish-interval", interval);
        if (every < 0) {
            throw new GatewayConfig.ConfigException(prefix + "publish-interval: must not be negative, was " + every);
        }
        Map<String, Double> own = new LinkedHashMap<>(thresholds);
        for (String c : CLASSES) {
            String key = prefix + "threshold." + c;
            String text = config.get(key);
            if (text == null || text.isEmpty()) {
                continue;
            }
            try {
                double v = Double.parseDouble(text);
                if (!(v >= 0)) {
                    throw new NumberFormatException();
                }
                own.put(c, v);
            } catch (NumberFormatException e) {
                throw new GatewayConfig.ConfigException(key + ": expected a number not below 0, was '" + text + "'");
            }
        }
        return new Settings(mode, every, Map.copyOf(own));
    }

    /** A meter's settings. */
    Settings settings(String meter) {
        return settings.getOrDefault(meter, fallback);
    }

    /** True when the meter's state is due: then it counts as published. */
    public boolean due(String meter, MeterReading reading) {
        Settings s = settings(meter);
        long now = clock.getAsLong();
        Long last = publishedAt.get(meter);
        if (last != null && now - last + tickMillis / 2 < s.intervalMillis()) {
            return false;
        }
        Map<String, Object> values = values(reading);
        Map<String, Object> previous = published.get(meter);
        if (s.mode() != Mode.INTERVAL && previous != null && !moved(previous, values, s)) {
            return false;
        }
        published.put(meter, values);
        publishedAt.put(meter, now);
        return true;
    }

    /** Forgets what was published (the broker came back and may have lost it): every next state is due. */
    public void forget() {
        published.clear();
        publishedAt.clear();
    }

    private static Map<String, Object> values(MeterReading reading) {
        Map<String, Object> values = new HashMap<>();
        for (Reading r : reading.groups().values()) {
            if (!"DATE".equals(r.label())) {
                values.put(r.label(), r.value() instanceof Number ? new Quantity(r.value(), r.unit()) : r.raw());
            }
        }
        reading.allDerived().forEach((name, q) -> values.put("derived." + name, q));
        return values;
    }

    private static boolean moved(Map<String, Object> previous, Map<String, Object> values, Settings s) {
        if (!previous.keySet().equals(values.keySet())) {
            return true;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object before = previous.get(e.getKey());
            if (s.mode() == Mode.THRESHOLD && e.getValue() instanceof Quantity now && before instanceof Quantity then
                    && now.value() instanceof Number a && then.value() instanceof Number b) {
                String unitClass = unitClass(now.unit());
                Double threshold = unitClass == null ? null : s.thresholds().get(unitClass);
                double scale = now.unit() != null && now.unit().startsWith("k") ? 1000 : 1;
                double delta = Math.abs(a.doubleValue() - b.doubleValue()) * scale;
                if (threshold == null ? delta > 0 : delta > threshold) {
                    return true;
                }
            } else if (!e.getValue().equals(before)) {
                return true;
            }
        }
        return false;
    }

    /** The class of a unit: energy (Wh, kWh, varh...), power (W, VA, kW...), current (A), voltage (V); or null. */
    static String unitClass(String unit) {
        if (unit == null) {
            return null;
        }
        String u = unit.startsWith("k") ? unit.substring(1) : unit;
        return switch (u) {
            case "Wh", "varh", "VArh", "VAh" -> "energy";
            case "W", "VA", "var" -> "power";
            case "A" -> "current";
            case "V" -> "voltage";
            default -> null;
        };
    }
}
