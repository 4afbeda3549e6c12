package io.ticgateway.meter;

import io.ticgateway.protocol.TicMode;
import java.time.Instant;
import java.util.Map;

/**
 * One interpreted frame: the meter's identity, its time and its typed groups. Immutable.
 *
 * @param meterId        from ADSC, ADCO or ADS (or the configured override); "unknown" when absent
 * @param mode           the family
 * @param time           the frame's own time (standard {@code DATE}, PME-PMI {@code DATE}) as ISO-8601
 *                       with offset, or null (historic meters send none)
 * @param clockDegraded  the meter flags its clock as degraded
 * @param receivedAt     when the frame was received, epoch milliseconds
 * @param sequence       position of the frame in its stream, from 1
 * @param rejectedGroups groups dropped from this frame (lenient policy)
 * @param groups         typed groups by label, in the meter's order
 * @param pmePmi         the PME-PMI per-period view after this frame, or null for other families
 * @param derived        values the gateway computes for every family ({@code PUISSANCE_ACTIVE}, W), by name
 * @param heldBack       energy indexes of this frame held back as impossible (left out of {@code groups}),
 *                       with their reason ({@code index-backwards}, {@code index-jump})
 * @param heldBackCounts indexes held back since the stream started, by reason
 * @param clockUnsynchronised the receive time was taken before the system clock was synchronised (a board
 *                       without a hardware clock, just booted): {@code receivedAt}, and the point time of a
 *                       frame without its own time, may be far off
 */
public record MeterReading(String meterId, TicMode mode, String time, boolean clockDegraded, long receivedAt,
                           long sequence, int rejectedGroups, Map<String, Reading> groups,
                           PmePmiSnapshot pmePmi, Map<String, Quantity> derived, Map<String, String> heldBack,
                           Map<String, Long> heldBackCounts, boolean clockUnsynchronised) {

    /** The same reading, flagged as received before the system clock was synchronised. */
    public MeterReading withClockUnsynchronised() {
        return new MeterReading(meterId, mode, time, clockDegraded, receivedAt, sequence, rejectedGroups, groups, pmePmi,
                derived, heldBack, heldBackCounts, true);
    }

    /**
     * Every derived value: the PME-PMI ones ({@code CONSO_TOTALE_s}, counters...) and those of
     * {@link #derived()}, by name.
     */
    public Map<String, Quantity> allDerived() {
        if (pmePmi == null) {
            return derived;
        }
        Map<String, Quantity> all = new java.util.LinkedHashMap<>(pmePmi.derived());
        all.putAll(derived);
        return all;
    }

    /** The typed group of a label, or null. */
    public Reading get(String label) {
        return groups.get(label);
    }

    /** The typed value of a label, or null. */
    public Object value(String label) {
        Reading reading = groups.get(label);
        return reading == null ? null : reading.value();
    }

    /** The decoded status register, or null when the frame has no (valid) STGE. */
    public Stge stge() {
        return value("STGE") instanceof Stge stge ? stge : null;
    }

    /** {@link #receivedAt()} as ISO-8601 UTC. */
    public String receivedAtIso() {
        ReceivedText last = lastReceived;
        if (last.millis() != receivedAt) {
            last = new ReceivedText(receivedAt, Instant.ofEpochMilli(receivedAt).toString());
            lastReceived = last;
        }
        return last.text();
    }

    /** The last receive time formatted: frames received in the same millisecond share it. */
    private record ReceivedText(long millis, String text) {
    }

    private static volatile ReceivedText lastReceived = new ReceivedText(Long.MIN_VALUE, "");
}
