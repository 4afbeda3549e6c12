package io.ticgateway.app;

import io.ticgateway.app.GatewayConfig.ConfigException;
import io.ticgateway.protocol.TicMode;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which sinks get a meter's frames: {@code tic.family.<family>.sinks} (e.g. {@code mqtt,files}), every
 * enabled sink when the key is empty. The REST API always has every meter.
 */
public final class FamilySinks {

    private final Map<String, Set<String>> sinksByMeter = new HashMap<>();

    FamilySinks(GatewayConfig config) {
        Map<TicMode, Set<String>> byFamily = new HashMap<>();
        for (TicMode family : TicMode.values()) {
            byFamily.put(family, read(config, family));
        }
        for (Set<String> sinks : byFamily.values()) {
            if (sinks.contains("files") && config.csvEnabled()) {
                sinks.add("csv"); // the CSV rows, counted as their own sink: a frame lost before the sinks is lost for them too
            }
        }
        for (MeterConfig meter : config.meters()) {
            sinksByMeter.put(meter.name(), byFamily.get(meter.family()));
        }
    }

    static String key(TicMode family) {
        return "tic.family." + family.name().toLowerCase(Locale.ROOT) + ".sinks";
    }

    private static Set<String> read(GatewayConfig config, TicMode family) {
        String key = key(family);
        String list = config.get(key, "");
        Set<String> sinks = new LinkedHashSet<>();
        if (list.isBlank()) {
            GatewayConfig.SINKS.stream().filter(config::sinkEnabled).forEach(sinks::add);
            return sinks;
        }
        for (String raw : list.split(",")) {
            String sink = raw.trim();
            if (!GatewayConfig.SINKS.contains(sink)) {
                String closest = GatewayConfig.SINKS.stream()
                        .min(java.util.Comparator.comparingInt(s -> GatewayConfig.distance(s, sink))).orElse("");
                throw new ConfigException(key + ": unknown sink '" + sink + "' (did you mean " + closest
                        + "? sinks: " + String.join(", ", GatewayConfig.SINKS) + "; the REST API always has every meter)");
            }
            if (!config.sinkEnabled(sink)) {
                throw new ConfigException(key + ": sink '" + sink + "' is not enabled (tic." + sink + ".enabled = false)");
            }
            sinks.add(sink);
        }
        return sinks;
    }

    /**
     * The sinks of a meter between commas, e.g. {@code ,files,csv,mqtt,} (the {@code ticSinks} property of its
     * route; {@code csv} with the files sink when {@code tic.files.csv} is on).
     */
    public String delimited(String meter) {
        Set<String> sinks = sinksByMeter.getOrDefault(meter, Set.of());
        return "," + String.join(",", sinks) + (sinks.isEmpty() ? "" : ",");
    }

    /** True when the frames of the meter named {@code meter} go to {@code sink}. */
    public boolean allows(String meter, String sink) {
        Set<String> sinks = sinksByMeter.get(meter);
        return sinks == null || sinks.contains(sink);
    }
}
