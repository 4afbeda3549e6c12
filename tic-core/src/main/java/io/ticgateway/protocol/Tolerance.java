package io.ticgateway.protocol;

/**
 * A deviation from the TIC framing that the decoder reads past without losing anything: the frame is
 * delivered, and counted once under each kind of deviation it had (a frame rejected for another reason is
 * counted as rejected only).
 */
public enum Tolerance {
    /** A CR between groups (some capture tools and adapters add CR LF around STX and ETX). */
    STRAY_CR,
    /** An LF right before ETX: an empty group opened and closed by the end of the frame. */
    LF_BEFORE_ETX
}
