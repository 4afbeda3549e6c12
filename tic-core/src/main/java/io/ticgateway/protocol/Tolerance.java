package io.ticgateway.protocol;

/**
 * A deviation from the TIC framing that the decoder reads past without losing anything: the frame is
 * delivered, and each tolerance is counted under its own reason, as rejections are.
 */
public enum Tolerance {
    /** A CR between groups (some capture tools and adapters add CR LF around STX and ETX). */
    STRAY_CR,
    /** An LF right before ETX: an empty group opened and closed by the end of the frame. */
    LF_BEFORE_ETX
}
