package io.ticgateway.protocol;

/**
 * One rejection reported by the decoder.
 *
 * @param reason     why
 * @param wholeFrame true when a whole frame was dropped, false for a single group
 * @param detail     a short printable description (the offending group, escaped)
 */
public record Rejection(RejectReason reason, boolean wholeFrame, String detail) {
}
