package io.ticgateway.meter;

import io.ticgateway.protocol.TicMode;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
    /** The sums of EAP_s and EAP_i over the periods, made with {@link #periodsCopy}. */
    private Quantity totalSupplied;
    private Quantity totalInjected;
    /** {@code <label>_delta}, made once per label. */
    private final Map<String, String> deltaNames = new HashMap<>();
    private String previousPeriod;
    /** The last period and the PTCOUR1, TARIFDYN and ETATDYN1 readings it was made from (immutable). */
    private String periodText;
    private final Reading[] periodFrom = new Reading[3];
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
        String period = period(groups);
        Map<String, Quantity> derived = new LinkedHashMap<>();
        boolean deltaAllowed = period.equals(previousPeriod) && previousTime != Long.MIN_VALUE
                && timeMillis - previousTime < DELTA_MAX_AGE_MILLIS && timeMillis >= previousTime;
        Map<String, Quantity> filed = null; // the period's values, looked up once a frame
        for (Reading reading : groups.values()) {
            LabelInfo info = reading.info();
            if (info.periodDependent()) {
                if (filed == null) {
                    filed = periods.computeIfAbsent(period, p -> new LinkedHashMap<>());
                }
                Quantity before = filed.get(info.label());
                if (before == null || !Objects.equals(before.value(), reading.value())
                        || !Objects.equals(before.unit(), reading.unit())) { // as reading.quantity().equals(before)
                    filed.put(info.label(), reading.quantity());
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
        if (periodsCopy == null) { // a value changed: the totals and the copy are made again
            totalSupplied = total("EAP_s");
            totalInjected = total("EAP_i");
            periodsCopy = copyOfPeriods();
        }
        derived.put("CONSO_TOTALE_s", totalSupplied);
        derived.put("CONSO_TOTALE_i", totalInjected);
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
        return new PmePmiSnapshot(period, periodsCopy, Collections.unmodifiableMap(derived));
    }

    /**
     * The current tariff period: PTCOUR1, with -ETATDYN1 appended while TARIFDYN is present and not INACTIF;
     * made again only when one of those three groups is another reading than last frame's.
     */
    private String period(Map<String, Reading> groups) {
        Reading ptcour = groups.get("PTCOUR1");
        Reading tarifDyn = groups.get("TARIFDYN");
        Reading etatDyn = groups.get("ETATDYN1");
        if (periodText == null || ptcour != periodFrom[0] || tarifDyn != periodFrom[1] || etatDyn != periodFrom[2]) {
            periodText = ptcour == null ? "?" : ptcour.raw().trim();
            if (tarifDyn != null && !"INACTIF".equals(tarifDyn.raw().trim()) && etatDyn != null) {
                periodText = periodText + "-" + etatDyn.raw().trim();
            }
            periodFrom[0] = ptcour;
            periodFrom[1] = tarifDyn;
            periodFrom[2] = etatDyn;
        }
        return periodText;
    }

    /**
     * Sum of a label over every period filed so far; 0 in the table's unit while no period has it (a site
     * that injects nothing still has its {@code CONSO_TOTALE_i}, as the program replaced gave it). A whole
     * sum is a {@code Long} while it fits one, else a {@code BigDecimal}: damaged values never throw here.
     */
    private Quantity total(String label) {
        String unit = LabelDictionary.of(TicMode.PMEPMI).info(label).unit();
        long whole = 0;
        boolean allWhole = true;
        for (Map<String, Quantity> values : periods.values()) { // whole numbers (the usual case) summed as such
            Quantity q = values.get(label);
            if (q != null && q.value() instanceof Long number) {
                long before = whole;
                whole += number;
                allWhole &= ((before ^ whole) & (number ^ whole)) >= 0; // no overflow (Math.addExact's test)
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
        BigDecimal exact = sum.stripTrailingZeros();
        boolean fitsLong = exact.scale() <= 0 && exact.toBigInteger().bitLength() < Long.SIZE;
        return new Quantity(fitsLong ? (Object) exact.longValue() : sum, unit);
    }

    private Map<String, Map<String, Quantity>> copyOfPeriods() {
        Map<String, Map<String, Quantity>> copy = new LinkedHashMap<>();
        periods.forEach((period, values) -> copy.put(period, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        return Collections.unmodifiableMap(copy);
    }
}
