package io.ticgateway.meter;

/** A Tempo day colour, as the STGE register (bits 24-27) announces it. */
public enum TempoColour {
    /** No announcement (normal for tomorrow before the announcement, and for non-Tempo contracts). */
    NON_ANNONCE,
    BLEU,
    BLANC,
    ROUGE;

    static TempoColour ofCode(int code) {
        return values()[code & 0x3];
    }
}
