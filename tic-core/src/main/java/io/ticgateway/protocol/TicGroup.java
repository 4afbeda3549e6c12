package io.ticgateway.protocol;

/**
 * One information group of a frame, as the meter sent it.
 *
 * @param label    the label, exactly as sent ({@code EAST}, {@code NJOURF+1}, {@code ER+P-1_s})
 * @param horodate the raw horodate of a standard horodated group ({@code H191203125805}), or null
 * @param data     the raw data, byte for byte (padding spaces kept; empty for {@code DATE})
 */
public record TicGroup(String label, String horodate, String data) {
}
