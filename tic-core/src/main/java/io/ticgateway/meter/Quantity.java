package io.ticgateway.meter;

/**
 * A typed value with its unit.
 *
 * @param value a {@link Long}, a {@link java.math.BigDecimal}, a {@link String}, or null
 * @param unit  the unit, or null
 */
public record Quantity(Object value, String unit) {
}
