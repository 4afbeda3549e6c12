package io.ticgateway.meter;

/**
 * A typed value with its unit.
 *
 * @param value a {@link Long}, a {@link java.math.BigDecimal}, a {@link String}, or null
 * @param unit  the unit, or null
 */
public record Quantity(Object value, String unit) {

    /** The value as a double, or NaN when it is not a number. */
    public double asDouble() {
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
