package io.ticgateway.protocol;

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
        LocalDateTime local = LocalDateTime.of(2000 + digits(text, 1), digits(text, 3), digits(text, 5),
                digits(text, 7), digits(text, 9), digits(text, 11));
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
        return LocalDateTime.of(2000 + digits(text, 6), digits(text, 3), digits(text, 0),
                digits(text, 9), digits(text, 12), digits(text, 15));
    }

    private static int digits(String text, int at) {
        char tens = text.charAt(at);
        char units = text.charAt(at + 1);
        if (tens < '0' || tens > '9' || units < '0' || units > '9') {
            throw new IllegalArgumentException("digits expected at " + at + " in '" + text + "'");
        }
        return (tens - '0') * 10 + (units - '0');
    }

    /** ISO-8601 with offset and seconds, e.g. {@code 2019-12-03T12:58:05+01:00}. */
    public String iso() {
        return ISO.format(time);
    }
}
