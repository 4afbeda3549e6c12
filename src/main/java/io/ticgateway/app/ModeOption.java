package io.ticgateway.app;

import io.ticgateway.protocol.TicMode;

/** A mode on the command line: a family, or {@code auto} to detect it on every frame. */
public enum ModeOption {
    AUTO(null),
    STANDARD(TicMode.STANDARD),
    HISTORIC(TicMode.HISTORIC),
    PMEPMI(TicMode.PMEPMI);

    private final TicMode mode;

    ModeOption(TicMode mode) {
        this.mode = mode;
    }

    /** The family, or null for auto-detection. */
    public TicMode mode() {
        return mode;
    }
}
