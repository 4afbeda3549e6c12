package io.ticgateway.meter;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds back energy indexes that cannot be true, so that no sink (the Home Assistant energy dashboard
 * above all) ever sees a glitch: an index lower than the last one accepted ({@value #BACKWARDS}), or
 * higher by more than the subscribed power allows over the elapsed time ({@value #JUMP}).
 *
 * <p>The bound of a jump is {@value #MARGIN} times the subscribed power (standard: the larger of
 * {@code PREF} and {@code PCOUP}, kVA; historic: {@code ISOUSC} × 230 V, × 3 on a three-phase meter)
 * over the elapsed time, counted as at least {@value #MIN_ELAPSED_MILLIS} ms (replays deliver frames
 * faster than the line does). Without a known subscribed power only backwards indexes are held.
 * A held value is compared with the last accepted one, so the next consistent frame is published
 * again. When {@value #CONFIRMATIONS} frames in a row are held back but agree with each other, the accepted
 * value was the wrong one (a glitch in the first frame seen, a meter whose index was reset): the index
 * starts again from them. Not thread-safe: one stream feeds it.
 */
final class IndexSanity {

    /** Reason: the index is lower than the last accepted one. */
    static final String BACKWARDS = "index-backwards";
    /** Reason: the index grew faster than the subscribed power allows. */
    static final String JUMP = "index-jump";
    static final double MARGIN = 2.0;
    /** Consecutive held-back values that agree with each other needed to start again from them. */
    static final int CONFIRMATIONS = 3;
    static final long MIN_ELAPSED_MILLIS = 10_000;
    private static final double VOLTS = 230;

    /** A label's last accepted index, updated in place (every index of every frame comes here). */
    private static final class Last {
        long value;
        long timeMillis;

        Last(long value, long timeMillis) {
            this.value = value;
            this.timeMillis = timeMillis;
        }
    }

    /** Held-back values that agree with each other: the last one, its time, and how many in a row. */
    private record Candidate(long value, long timeMillis, int inARow) {
    }

    private final Map<String, Last> accepted = new HashMap<>();
    private final Map<String, Candidate> candidates = new HashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    /** The copy {@link #counts()} hands out, kept until a count changes (every frame carries it). */
    private Map<String, Long> countsCopy;
    private double maxPowerVa = Double.NaN;

    /** Forgets every accepted index (another meter on the stream). */
    void reset() {
        accepted.clear();
        candidates.clear();
        maxPowerVa = Double.NaN;
    }

    /** Held-back indexes since the stream started, by reason. */
    Map<String, Long> counts() {
        if (countsCopy == null) {
            countsCopy = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }
        return countsCopy;
    }

    /**
     * Checks the frame's energy indexes and removes from {@code groups} those held back.
     *
     * @return the labels held back, with their reason (empty when all are consistent)
     */
    Map<String, String> check(Map<String, Reading> groups, long timeMillis) {
        updateMaxPower(groups);
        Map<String, String> held = Map.of();
        for (Reading r : groups.values()) {
            if (!r.info().index() || !(r.value() instanceof Long value)) {
                continue;
            }
            Last last = accepted.get(r.label());
            String reason = last == null ? null : reason(r, value, last.value, last.timeMillis, timeMillis);
            if (reason == null || confirmed(r, value, timeMillis)) {
                if (last == null) {
                    accepted.put(r.label(), new Last(value, timeMillis));
                } else {
                    last.value = value;
                    last.timeMillis = timeMillis;
                }
                candidates.remove(r.label());
            } else {
                if (held.isEmpty()) {
                    held = new LinkedHashMap<>();
                }
                held.put(r.label(), reason);
                counts.merge(reason, 1L, Long::sum);
                countsCopy = null;
            }
        }
        if (!held.isEmpty()) {
            held.keySet().forEach(groups::remove);
        }
        return held;
    }

    /** A held-back value that makes {@value #CONFIRMATIONS} in a row agreeing with each other. */
    private boolean confirmed(Reading r, long value, long timeMillis) {
        Candidate previous = candidates.get(r.label());
        int inARow = previous != null && reason(r, value, previous.value(), previous.timeMillis(), timeMillis) == null
                ? previous.inARow() + 1 : 1;
        candidates.put(r.label(), new Candidate(value, timeMillis, inARow));
        return inARow >= CONFIRMATIONS;
    }

    private String reason(Reading r, long value, long lastValue, long lastMillis, long timeMillis) {
        if (value < lastValue) {
            return BACKWARDS;
        }
        boolean electric = r.unit() != null && (r.unit().endsWith("Wh") || r.unit().endsWith("VArh"));
        if (!electric || Double.isNaN(maxPowerVa)) {
            return null;
        }
        long elapsed = Math.max(timeMillis - lastMillis, MIN_ELAPSED_MILLIS);
        double allowedWh = MARGIN * maxPowerVa * elapsed / 3_600_000.0;
        return value - lastValue > allowedWh ? JUMP : null;
    }

    private void updateMaxPower(Map<String, Reading> groups) {
        double pref = kva(groups.get("PREF"));
        double pcoup = kva(groups.get("PCOUP"));
        if (!Double.isNaN(pref) || !Double.isNaN(pcoup)) {
            maxPowerVa = 1000 * Math.max(Double.isNaN(pref) ? 0 : pref, Double.isNaN(pcoup) ? 0 : pcoup);
            return;
        }
        Reading isousc = groups.get("ISOUSC");
        if (isousc != null && isousc.value() instanceof Long amps && amps > 0) {
            maxPowerVa = amps * VOLTS * (groups.containsKey("IINST1") ? 3 : 1);
        }
    }

    private static double kva(Reading r) {
        return r != null && r.value() instanceof Long v && v > 0 ? v : Double.NaN;
    }
}
