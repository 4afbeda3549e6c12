package io.ticgateway.meter;

/**
 * One group of a frame, typed.
 *
 * @param info          what the dictionary says of the label
 * @param raw           the data exactly as sent (padding kept; empty for the standard {@code DATE})
 * @param value         the typed value: Long, BigDecimal, String, ISO-8601 String for dates,
 *                      {@link Stge}, a list of {@link DayProfile.Slot}; null when the data does not parse
 * @param unit          the unit (PME-PMI: the one sent in the data), or null
 * @param time          ISO-8601 time of the group's horodate, or null
 * @param clockDegraded the horodate's season letter is lower case (meter clock degraded)
 * @param truncated     PME-PMI mean power flagged {@code T} (truncated point)
 */
public record Reading(LabelInfo info, String raw, Object value, String unit, String time, boolean clockDegraded,
                      boolean truncated) {

    /** The label, exactly as sent. */
    public String label() {
        return info.label();
    }

    /** The value and its unit. */
    public Quantity quantity() {
        return new Quantity(value, unit);
    }
}
