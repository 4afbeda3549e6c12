package io.ticgateway.protocol;

import java.util.Locale;

/** The three TIC families: syntax, label set and default baud rate. */
public enum TicMode {
    /** Linky in standard mode: HT separators, horodated groups, 9600 Bd. */
    STANDARD(9600),
    /** Linky in historic mode and CBEMM/CBETM meters: SP separators, 1200 Bd. */
    HISTORIC(1200),
    /** PME-PMI meters: SP separators, units inside the data, 1200 Bd by default (up to 19200). */
    PMEPMI(1200);

    private final int defaultBaudRate;
    private final String id = name().toLowerCase(Locale.ROOT); // written in every JSON line: made once

    TicMode(int defaultBaudRate) {
        this.defaultBaudRate = defaultBaudRate;
    }

    /** Baud rate the family uses unless configured otherwise. */
    public int defaultBaudRate() {
        return defaultBaudRate;
    }

    /** Lower-case name as written in JSON and configuration. */
    public String id() {
        return id;
    }

    /** True when groups are separated by HT (and the HT before the checksum is summed). */
    public boolean usesTabSeparator() {
        return this == STANDARD;
    }
}
