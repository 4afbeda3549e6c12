package io.ticgateway.meter;

import io.ticgateway.protocol.Horodate;
import java.math.BigDecimal;

/** Turns a group's raw data into a typed {@link Reading}, following the label's dictionary entry. */
public final class ValueParser {

    /** The last status register and day profile parsed, by raw data: they change a few times a day, not per frame. */
    private record Parsed(String raw, Object value) {
    }

    private static volatile Parsed lastStge = new Parsed(null, null);
    private static volatile Parsed lastDayProfile = new Parsed(null, null);

    private ValueParser() {
    }

    /**
     * Types one group. Data that does not parse as its type keeps its raw text and gets a null value:
     * a damaged value never drops the group.
     */
    public static Reading parse(LabelInfo info, String raw, String horodate) {
        String time = null;
        boolean degraded = false;
        if (horodate != null) {
            try {
                Horodate h = Horodate.parseStandard(horodate);
                time = h.iso();
                degraded = h.degraded();
            } catch (IllegalArgumentException e) {
                time = null;
            }
        }
        return switch (info.type()) {
            case INTEGER -> new Reading(info, raw, parseInteger(raw), info.unit(), time, degraded, false);
            case DECIMAL -> new Reading(info, raw, parseDecimal(raw.trim()), info.unit(), time, degraded, false);
            case QUANTITY -> quantity(info, raw, time, degraded);
            case HORODATE -> new Reading(info, raw, time, null, time, degraded, false);
            case DATE -> new Reading(info, raw, pmePmiDate(raw), null, time, degraded, false);
            case BITFIELD -> new Reading(info, raw, stge(raw), null, time, degraded, false);
            case CALENDAR -> new Reading(info, raw, dayProfile(raw), null, time, degraded, false);
            case HEX -> new Reading(info, raw, parseHex(raw.trim()), info.unit(), time, degraded, false);
            default -> new Reading(info, raw, raw.trim(), info.unit(), time, degraded, false);
        };
    }

    /** Decimal digits (leading zeros allowed, optional sign) to a Long, or null. */
    static Long parseInteger(String raw) {
        int n = raw.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (raw.charAt(0) == '-' || raw.charAt(0) == '+')) {
            negative = raw.charAt(0) == '-';
            i = 1;
        }
        if (i == n || n - i > 18) {
            return null;
        }
        long v = 0;
        for (; i < n; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private static BigDecimal parseDecimal(String text) {
        try {
            return text.isEmpty() ? null : new BigDecimal(text.replace(',', '.'));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseHex(String text) {
        try {
            return text.isEmpty() ? null : Long.parseLong(text, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 422Wh}, {@code -0,39}, {@code 0 TkW}: number, optional T (truncated), unit as sent. */
    private static Reading quantity(LabelInfo info, String raw, String time, boolean degraded) {
        String text = raw.trim();
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        int digits = i;
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == ',' || text.charAt(i) == '.')) {
            i++;
        }
        if (i == digits) {
            return new Reading(info, raw, null, info.unit(), time, degraded, false);
        }
        String number = text.substring(0, i);
        Object value = number.indexOf(',') >= 0 || number.indexOf('.') >= 0 ? parseDecimal(number)
                : parseInteger(number);
        while (i < n && text.charAt(i) == ' ') {
            i++;
        }
        boolean truncated = false;
        if (i < n && text.charAt(i) == 'T') {
            truncated = true;
            i++;
        }
        String unit = i < n ? text.substring(i) : info.unit();
        return new Reading(info, raw, value, unit, time, degraded, truncated);
    }

    private static String pmePmiDate(String raw) {
        try {
            return Horodate.parsePmePmi(raw).iso();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object stge(String raw) {
        Parsed last = lastStge;
        if (raw.equals(last.raw())) {
            return last.value();
        }
        Object value;
        try {
            value = Stge.parse(raw);
        } catch (IllegalArgumentException e) {
            value = null;
        }
        lastStge = new Parsed(raw, value);
        return value;
    }

    private static Object dayProfile(String raw) {
        Parsed last = lastDayProfile;
        if (raw.equals(last.raw())) {
            return last.value();
        }
        Object value;
        try {
            value = DayProfile.parse(raw);
        } catch (IllegalArgumentException e) {
            value = null;
        }
        lastDayProfile = new Parsed(raw, value);
        return value;
    }
}
