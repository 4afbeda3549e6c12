package io.ticgateway.meter;

import io.ticgateway.protocol.TicMode;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-meter PME-PMI state: values by tariff period, deltas between consecutive frames, counters.
 *
 * <p>A delta is computed only when the previous frame is less than {@value #DELTA_MAX_AGE_MILLIS} ms
 * older, in the same period, and the value did not go backwards. Not thread-safe: one stream feeds it.
 */
public final class PmePmiTracker {

    /** Frames further apart than this give no delta (the original program's rule). */
    public static final long DELTA_MAX_AGE_MILLIS = 10_000;

    private final Map<String, Map<String, Quantity>> periods = new LinkedHashMap<>();
    private final Map<String, Long> previousValues = new HashMap<>();
    /** The copy of {@link #periods} the snapshots hand out, kept until a value changes (it seldom does). */
    private Map<String, Map<String, Quantity>> periodsCopy;
    /** {@code <label>_delta}, made once per label. */
    private final Map<String, String> deltaNames = new HashMap<>();
    private String previousPeriod;
    private long previousTime = Long.MIN_VALUE;
    private boolean previousPreavis;
    private long preavisCount;
    private long interruptions;
    private long invalidFrames;

    /** Counts a frame that the meter interrupted with EOT. */
    public void countInterruption() {
        interruptions++;
    }

    /** Counts a frame rejected as invalid (checksum, truncated, malformed...). */
    public void countInvalidFrame() {
        invalidFrames++;
    }

    /**
     * Files a frame's values and returns the interpretation after it.
     *
     * @param groups    the frame's typed groups
     * @param timeMillis the frame's time (its DATE when it has one, else its receive time)
     */
    public PmePmiSnapshot update(Map<String, Reading> groups, long timeMillis) {
        String period = currentPeriod(groups);
        Map<String, Quantity> derived = new LinkedHashMap<>();
        boolean deltaAllowed = period.equals(previousPeriod) && previousTime != Long.MIN_VALUE
                && timeMillis - previousTime < DELTA_MAX_AGE_MILLIS && timeMillis >= previousTime;
        for (Reading reading : groups.values()) {
            LabelInfo info = reading.info();
            if (info.periodDependent()) {
                Quantity quantity = reading.quantity();
                if (!quantity.equals(periods.computeIfAbsent(period, p -> new LinkedHashMap<>()).put(info.label(), quantity))) {
                    periodsCopy = null;
                }
            }
            if (info.delta() && reading.value() instanceof Long value) {
                Long previous = previousValues.put(info.label(), value);
                if (deltaAllowed && previous != null && value >= previous) {
                    derived.put(deltaNames.computeIfAbsent(info.label(), label -> label + "_delta"),
                            new Quantity(value - previous, reading.unit()));
                }
            }
        }
        derived.put("CONSO_TOTALE_s", total("EAP_s"));
        derived.put("CONSO_TOTALE_i", total("EAP_i"));
        boolean preavis = groups.containsKey("PREAVIS1") && !groups.get("PREAVIS1").raw().isBlank();
        if (preavis && !previousPreavis) {
            preavisCount++;
        }
        previousPreavis = preavis;
        derived.put("CPT_PREAVIS", new Quantity(preavisCount, null));
        derived.put("CPT_INTERRUPTIONS", new Quantity(interruptions, null));
        derived.put("CPT_TRAMES_INVALIDES", new Quantity(invalidFrames, null));
        previousPeriod = period;
        previousTime = timeMillis;
        if (periodsCopy == null) {
            periodsCopy = copyOfPeriods();
        }
        return new PmePmiSnapshot(period, periodsCopy, Collections.unmodifiableMap(derived));
    }

    /** PTCOUR1, with -ETATDYN1 appended while TARIFDYN is present and not INACTIF. */
    static String currentPeriod(Map<String, Reading> groups) {
        Reading ptcour = groups.get("PTCOUR1");
        String period = ptcour == null ? "?" : ptcour.raw().trim();
        Reading tarifDyn = groups.get("TARIFDYN");
        Reading etatDyn = groups.get("ETATDYN1");
        if (tarifDyn != null && !"INACTIF".equals(tarifDyn.raw().trim()) && etatDyn != null) {
            period = period + "-" + etatDyn.raw().trim();
        }
        return period;
    }

    /**
     * Sum of a label over every period filed so far; 0 in the table's unit while no period has it (a site
     * that injects nothing still has its {@code CONSO_TOTALE_i}, as the program replaced gave it).
     */
    private Quantity total(String label) {
        String unit = LabelDictionary.of(TicMode.PMEPMI).info(label).unit();
        long whole = 0;
        boolean allWhole = true;
        for (Map<String, Quantity> values : periods.values()) { // whole numbers (the usual case) summed as such
            Quantity q = values.get(label);
            if (q != null && q.value() instanceof Long number) {
                whole = Math.addExact(whole, number);
                unit = q.unit();
            } else if (q != null && q.value() instanceof Number) {
                allWhole = false;
            }
        }
        if (allWhole) {
            return new Quantity(whole, unit);
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Map<String, Quantity> values : periods.values()) {
            Quantity q = values.get(label);
            if (q != null && q.value() instanceof Number number) {
                sum = sum.add(new BigDecimal(number.toString()));
                unit = q.unit();
            }
        }
        return new Quantity(sum.stripTrailingZeros().scale() <= 0 ? (Object) sum.longValueExact() : sum, unit);
    }

    private Map<String, Map<String, Quantity>> copyOfPeriods() {
        Map<String, Map<String, Quantity>> copy = new LinkedHashMap<>();
        periods.forEach((period, values) -> copy.put(period, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        return Collections.unmodifiableMap(copy);
    }
}
