package io.ticgateway.protocol;

/** What the decoder does with a frame in which some groups are invalid. */
public enum ValidityPolicy {
    /** Deliver a frame only when every group is valid (default). */
    STRICT,
    /** Deliver the valid groups of a damaged frame, saying how many were rejected. */
    LENIENT
}
