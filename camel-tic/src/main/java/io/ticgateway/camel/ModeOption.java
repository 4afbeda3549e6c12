package io.ticgateway.camel;

import io.ticgateway.protocol.TicMode;

/** The TIC mode of an endpoint: a family, or {@code auto} to detect it on every frame. */
public enum ModeOption {
    auto(null),
    standard(TicMode.STANDARD),
    historic(TicMode.HISTORIC),
    pmepmi(TicMode.PMEPMI);

    private final TicMode mode;

    ModeOption(TicMode mode) {
        this.mode = mode;
    }

    /** The family, or null for auto-detection. */
    public TicMode mode() {
        return mode;
    }
}
