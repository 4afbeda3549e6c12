package io.ticgateway.meter;

/** How the data of a label is typed. */
public enum ValueType {
    /** Decimal digits, leading zeros allowed: {@code 003818598} → 3818598. */
    INTEGER,
    /** A decimal number with a comma: {@code -0,39} → -0.39. */
    DECIMAL,
    /** A number followed by its unit, as PME-PMI meters send: {@code 422Wh}, {@code 42kVA}, {@code 0 TkW}. */
    QUANTITY,
    /** Text, trimmed in the typed value (the raw data keeps its padding). */
    TEXT,
    /** A PME-PMI date {@code dd/MM/yy HH:mm:ss}, typed as ISO-8601 with offset. */
    DATE,
    /** The Linky standard {@code DATE} group: its horodate is the value, its data is empty. */
    HORODATE,
    /** The Linky status register {@code STGE}, decoded into named fields. */
    BITFIELD,
    /** A day profile ({@code PJOURF+1}, {@code PPOINTE}): 11 blocks {@code HHMMSSSS}. */
    CALENDAR,
    /** Two hexadecimal digits ({@code PPOT}). */
    HEX
}
