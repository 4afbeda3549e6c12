package io.ticgateway.protocol;

/** Why the decoder rejected a group or a frame. Every rejection is counted under one reason. */
public enum RejectReason {
    /** A group's checksum does not match its content. */
    CHECKSUM,
    /** The meter sent EOT in the middle of the frame. */
    INTERRUPTED,
    /** A new STX (or the end of the input) came before the frame's ETX. */
    TRUNCATED,
    /** A group without separators, with a non-printable byte, stray bytes between groups, an empty frame. */
    MALFORMED,
    /** A group or a frame longer than any meter sends. */
    TOO_LONG,
    /** A group whose syntax (HT or SP separator) is not the one of the configured mode. */
    WRONG_MODE;

    private static final RejectReason[] VALUES = values();

    static RejectReason ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
