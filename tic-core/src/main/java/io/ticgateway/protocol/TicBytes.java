package io.ticgateway.protocol;

/** Control and separator bytes of the TIC line (Enedis NOI-CPT_02E §1.5.2, NOI-CPT_54E §5.3.6). */
public final class TicBytes {
    /** Start of frame. */
    public static final int STX = 0x02;
    /** End of frame. */
    public static final int ETX = 0x03;
    /** Frame interrupted by the meter: the partial frame is discarded. */
    public static final int EOT = 0x04;
    /** Start of group. */
    public static final int LF = 0x0A;
    /** End of group. */
    public static final int CR = 0x0D;
    /** Separator of historic and PME-PMI groups. */
    public static final int SP = 0x20;
    /** Separator of Linky standard groups. */
    public static final int HT = 0x09;

    private TicBytes() {
    }

    /** True for the control bytes a TIC line carries: STX, ETX, EOT, LF, CR and HT. */
    public static boolean isControl(int b) {
        return b == STX || b == ETX || b == EOT || b == LF || b == CR || b == HT;
    }
}
