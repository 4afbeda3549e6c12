package io.ticgateway.meter;

import java.util.Map;
import java.util.Set;

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

    /** No imported energy in the frame. */
    private static final long NONE = Long.MIN_VALUE;

    // the samples of the window, oldest first: a ring of times and energies (their length a power of two)
    private long[] times = new long[64];
    private long[] energies = new long[64];
    private int head;
    private int count;

    /** Forgets every sample (another meter on the stream). */
    void reset() {
        head = 0;
        count = 0;
    }

    /**
     * Records the frame's imported energy and returns the active power, or null.
     *
     * @param groups the frame's groups after {@link IndexSanity} (held-back indexes removed)
     * @param held   the labels held back in this frame
     */
    Quantity update(Map<String, Reading> groups, Map<String, String> held, long timeMillis) {
        long energy = importedEnergy(groups, held);
        if (energy == NONE) {
            return null;
        }
        if (count > 0) {
            int last = slot(count - 1);
            if (timeMillis - times[last] > MAX_GAP_MILLIS || timeMillis < times[last] || energy < energies[last]) {
                reset();
            } else if (times[last] == timeMillis) {
                // of samples of the same time only the latest can be a reference: one kept (a replay of frames
                // timed by their receive time brings hundreds a millisecond, a window's worth in memory otherwise)
                count--;
            }
        }
        if (count == times.length) {
            grow();
        }
        times[slot(count)] = timeMillis;
        energies[slot(count)] = energy;
        count++;
        while (count > 1 && times[slot(1)] <= timeMillis - WINDOW_MILLIS) { // the reference: the last at least a window older
            head = slot(1);
            count--;
        }
        long span = timeMillis - times[head];
        if (span < WINDOW_MILLIS) {
            return null;
        }
        return new Quantity(Math.round((energy - energies[head]) * 3_600_000.0 / span), "W");
    }

    /** Samples held (tests: the memory a fast replay takes). */
    int sampleCount() {
        return count;
    }

    private int slot(int i) {
        return (head + i) & (times.length - 1);
    }

    private void grow() {
        long[] t = new long[times.length * 2];
        long[] e = new long[times.length * 2];
        for (int i = 0; i < count; i++) {
            t[i] = times[slot(i)];
            e[i] = energies[slot(i)];
        }
        times = t;
        energies = e;
        head = 0;
    }

    private static long importedEnergy(Map<String, Reading> groups, Map<String, String> held) {
        if (held.containsKey("EAST")) {
            return NONE;
        }
        Reading east = groups.get("EAST");
        if (east != null) {
            return east.value() instanceof Long v ? v : NONE;
        }
        for (String label : held.keySet()) {
            if (HISTORIC_INDEXES.contains(label)) {
                return NONE;
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
        return any ? sum : NONE;
    }
}
