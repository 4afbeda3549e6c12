package io.ticgateway.meter;

/**
 * What the gateway knows about one label of one meter family.
 *
 * @param label          the label, exactly as meters send it
 * @param type           how its data is typed
 * @param unit           the unit of the typed value, or null (PME-PMI: the unit usually sent)
 * @param description    a short description, in the wording of the Enedis specification
 * @param index          an energy index that only grows (Home Assistant {@code total_increasing})
 * @param periodDependent PME-PMI: filed under the current tariff period
 * @param delta          PME-PMI: difference with the previous frame computed
 * @param known          false for a label absent from the dictionary (kept as text)
 */
public record LabelInfo(String label, ValueType type, String unit, String description, boolean index,
                        boolean periodDependent, boolean delta, boolean known) {

    /** The entry used for a label the dictionary does not know: text, no unit. */
    public static LabelInfo unknown(String label) {
        return new LabelInfo(label, ValueType.TEXT, null, "unknown label", false, false, false, false);
    }

    /** True when the typed value is a number. */
    public boolean numeric() {
        return type == ValueType.INTEGER || type == ValueType.DECIMAL || type == ValueType.QUANTITY
                || type == ValueType.HEX;
    }
}
