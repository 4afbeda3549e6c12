package io.ticgateway.app;

import io.ticgateway.meter.CanonicalJsonLines;
import io.ticgateway.meter.MeterReading;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each frame's canonical JSON as a string, by a {@link CanonicalJsonLines} per meter: it keeps the JSON of
 * the groups that did not change since the meter's last frame. Thread-safe.
 */
public final class MeterJson {

    private final Map<String, CanonicalJsonLines> writers = new ConcurrentHashMap<>();

    /** The canonical JSON of a meter's frame (the bytes {@code ReadingJson.toJson} writes). */
    public String of(String meter, MeterReading reading) {
        CanonicalJsonLines writer = writers.computeIfAbsent(meter, m -> CanonicalJsonLines.strings());
        synchronized (writer) {
            return writer.json(reading);
        }
    }
}
