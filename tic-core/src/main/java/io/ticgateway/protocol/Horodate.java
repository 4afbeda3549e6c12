package io.ticgateway.protocol;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A Linky standard horodate {@code SAAMMJJhhmmss}, or a PME-PMI date {@code JJ/MM/AA HH:MM:SS}.
 *
 * <p>The season letter gives the offset: {@code E} summer (+02:00), {@code H} winter (+01:00); lower
 * case means the meter's clock is degraded; a space (mobile-peak groups) means no season, and the
 * offset of Europe/Paris at that local time is used. PME-PMI dates carry no season: Europe/Paris too.
 *
 * @param time     the instant with the meter's offset
 * @param degraded true when the meter flags its clock as degraded
 */
public record Horodate(OffsetDateTime time, boolean degraded) {

    private static final ZoneOffset WINTER = ZoneOffset.ofHours(1);
    private static final ZoneOffset SUMMER = ZoneOffset.ofHours(2);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    /** Where the two-digit fields of {@code uuuu-MM-ddTHH:mm:ss+hh:mm} start. */
    private static final int[] ISO_DIGITS = {0, 2, 5, 8, 11, 14, 17, 20, 23};

    /**
     * Parses a standard horodate.
     *
     * @throws IllegalArgumentException when the text is not a horodate
     */
    public static Horodate parseStandard(String text) {
        if (text.length() != 13) {
            throw new IllegalArgumentException("horodate must have 13 characters: '" + text + "'");
        }
        char season = text.charAt(0);
        LocalDateTime local = local(2000 + digits(text, 1), digits(text, 3), digits(text, 5),
                digits(text, 7), digits(text, 9), digits(text, 11), text);
        return switch (season) {
            case 'E' -> new Horodate(local.atOffset(SUMMER), false);
            case 'e' -> new Horodate(local.atOffset(SUMMER), true);
            case 'H' -> new Horodate(local.atOffset(WINTER), false);
            case 'h' -> new Horodate(local.atOffset(WINTER), true);
            case ' ' -> new Horodate(local.atZone(PARIS).toOffsetDateTime(), false);
            default -> throw new IllegalArgumentException("unknown season letter '" + season + "'");
        };
    }

    /**
     * Parses a PME-PMI date {@code dd/MM/yy HH:mm:ss}; anything after the seconds (the {@code -XXX} period
     * code of v6 dynamic-tariff dates) is ignored.
     *
     * @throws IllegalArgumentException when the text is not such a date
     */
    public static Horodate parsePmePmi(String text) {
        return new Horodate(pmePmiLocal(text).atZone(PARIS).toOffsetDateTime(), false);
    }

    /**
     * The local time of a PME-PMI date {@code dd/MM/yy HH:mm:ss}, with no offset: in the hour repeated when
     * summer time ends it stands for two instants ({@link io.ticgateway.meter.SeasonResolver} picks one).
     *
     * @throws IllegalArgumentException when the text is not such a date
     */
    public static LocalDateTime pmePmiLocal(String text) {
        if (text.length() < 17 || text.charAt(2) != '/' || text.charAt(5) != '/' || text.charAt(8) != ' '
                || text.charAt(11) != ':' || text.charAt(14) != ':') {
            throw new IllegalArgumentException("not a dd/MM/yy HH:mm:ss date: '" + text + "'");
        }
        return local(2000 + digits(text, 6), digits(text, 3), digits(text, 0),
                digits(text, 9), digits(text, 12), digits(text, 15), text);
    }

    /** A local time from its fields; one out of range (month 13, second 64) is an IllegalArgumentException. */
    private static LocalDateTime local(int year, int month, int day, int hour, int minute, int second, String text) {
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a date: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    private static int digits(String text, int at) {
        char tens = text.charAt(at);
        char units = text.charAt(at + 1);
        if (tens < '0' || tens > '9' || units < '0' || units > '9') {
            throw new IllegalArgumentException("digits expected at " + at + " in '" + text + "'");
        }
        return (tens - '0') * 10 + (units - '0');
    }

    /**
     * ISO-8601 with offset and seconds, e.g. {@code 2019-12-03T12:58:05+01:00}: written digit by digit (every
     * horodate of every frame comes here), the formatter only for what that does not cover (offset zero: Z).
     */
    public String iso() {
        int offset = time.getOffset().getTotalSeconds();
        if (time.getYear() < 0 || time.getYear() > 9999 || offset == 0 || offset % 60 != 0) {
            return ISO.format(time);
        }
        byte[] c = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0',
            (byte) (offset < 0 ? '-' : '+'), '0', '0', ':', '0', '0'};
        put(c, 0, time.getYear() / 100);
        put(c, 2, time.getYear() % 100);
        put(c, 5, time.getMonthValue());
        put(c, 8, time.getDayOfMonth());
        put(c, 11, time.getHour());
        put(c, 14, time.getMinute());
        put(c, 17, time.getSecond());
        put(c, 20, Math.abs(offset) / 3600);
        put(c, 23, Math.abs(offset) / 60 % 60);
        return new String(c, StandardCharsets.ISO_8859_1); // one copy, no char[] to compress
    }

    private static void put(byte[] c, int at, int twoDigits) {
        c[at] = (byte) ('0' + twoDigits / 10);
        c[at + 1] = (byte) ('0' + twoDigits % 10);
    }

    /**
     * Epoch milliseconds of an ISO-8601 time with offset: read digit by digit in the layout {@link #iso()}
     * writes (a frame's time, for every frame), by {@link OffsetDateTime#parse} otherwise.
     *
     * @throws java.time.DateTimeException when the text is not such a time
     */
    public static long epochMillis(String iso) {
        if (iso.length() == 25 && iso.startsWith("-", 4) && iso.startsWith("-", 7) && iso.charAt(10) == 'T'
                && iso.charAt(13) == ':' && iso.charAt(16) == ':' && (iso.charAt(19) == '+' || iso.charAt(19) == '-')
                && iso.charAt(22) == ':' && allDigits(iso)) {
            int offset = (digits(iso, 20) * 3600 + digits(iso, 23) * 60) * (iso.charAt(19) == '-' ? -1 : 1);
            LocalDateTime local = LocalDateTime.of(digits(iso, 0) * 100 + digits(iso, 2), digits(iso, 5), digits(iso, 8),
                    digits(iso, 11), digits(iso, 14), digits(iso, 17));
            return local.toEpochSecond(ZoneOffset.ofTotalSeconds(offset)) * 1000;
        }
        return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    }

    private static boolean allDigits(String iso) {
        for (int at : ISO_DIGITS) {
            if (!isDigit(iso.charAt(at)) || !isDigit(iso.charAt(at + 1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
