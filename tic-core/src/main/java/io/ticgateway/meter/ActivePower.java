package io.ticgateway.meter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.Map;

/**
 * Active power in W from the active energy index, for meters that only send apparent power (VA).
 *
 * <p>The power is the energy imported over the last {@value #WINDOW_MILLIS} ms divided by that time:
 * the increase of the imported total (standard: {@code EAST}; historic: the sum of its {@code Wh}
 * indexes) between the frame and the latest frame at least {@value #WINDOW_MILLIS} ms older. The
 * frames' own time is used when the meter sends one (standard {@code DATE}, one second resolution),
 * else their receive time. With indexes in whole Wh the resolution is 3600 / 60 = 60 W. No value until
 * the window is covered, nor across a gap longer than {@value #MAX_GAP_MILLIS} ms; a frame lacking an
 * index of the total (held back, or a short over-current frame) gives no value and no sample.
 * Not thread-safe: one stream feeds it.
 */
final class ActivePower {

    /** The derived value's name. */
    static final String NAME = "PUISSANCE_ACTIVE";
    static final long WINDOW_MILLIS = 60_000;
    static final long MAX_GAP_MILLIS = 600_000;
    private static final Set<String> HISTORIC_INDEXES = Set.of("BASE", "HCHC", "HCHP", "EJPHN", "EJPHPM",
            "BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW", "BBRHCJR", "BBRHPJR");

    private record Sample(long timeMillis, long energyWh) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Forgets every sample (another meter on the stream). */
    void reset() {
        samples.clear();
    }

    /**
     * Records the frame's imported energy and returns the active power, or null.
     *
     * @param groups the frame's groups after {@link IndexSanity} (held-back indexes removed)
     * @param held   the labels held back in this frame
     */
    Quantity update(Map<String, Reading> groups, Map<String, String> held, long timeMillis) {
        Long energy = importedEnergy(groups, held);
        if (energy == null) {
            return null;
        }
        Sample last = samples.peekLast();
        if (last != null && (timeMillis - last.timeMillis() > MAX_GAP_MILLIS || timeMillis < last.timeMillis()
                || energy < last.energyWh())) {
            samples.clear();
        }
        if (last != null && !samples.isEmpty() && last.timeMillis() == timeMillis) {
            // of samples of the same time only the latest can be a reference: one kept (a replay of frames
            // timed by their receive time brings hundreds a millisecond, a window's worth in memory otherwise)
            samples.removeLast();
        }
        samples.addLast(new Sample(timeMillis, energy));
        while (samples.size() > 1 && second().timeMillis() <= timeMillis - WINDOW_MILLIS) {
            samples.removeFirst();
        }
        Sample reference = samples.peekFirst();
        long span = timeMillis - reference.timeMillis();
        if (span < WINDOW_MILLIS) {
            return null;
        }
        return new Quantity(Math.round((energy - reference.energyWh()) * 3_600_000.0 / span), "W");
    }

    /** Samples held (tests: the memory a fast replay takes). */
    int sampleCount() {
        return samples.size();
    }

    private Sample second() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    private static Long importedEnergy(Map<String, Reading> groups, Map<String, String> held) {
        if (held.containsKey("EAST")) {
            return null;
        }
        Reading east = groups.get("EAST");
        if (east != null) {
            return east.value() instanceof Long v ? v : null;
        }
        for (String label : held.keySet()) {
            if (HISTORIC_INDEXES.contains(label)) {
                return null;
            }
        }
        long sum = 0; // one pass over the frame's groups (a dozen), not a lookup of every historic index
        boolean any = false;
        for (Reading r : groups.values()) {
            if (r.info().index() && r.value() instanceof Long v && HISTORIC_INDEXES.contains(r.label())) {
                sum += v;
                any = true;
            }
        }
        return any ? sum : null;
    }
}
