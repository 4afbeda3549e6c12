package io.ticgateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HorodateTest {

    @Test
    void seasonLetterGivesTheOffset() {
        assertThat(Horodate.parseStandard("H081225223518").iso()).isEqualTo("2008-12-25T22:35:18+01:00");
        assertThat(Horodate.parseStandard("E090714074553").iso()).isEqualTo("2009-07-14T07:45:53+02:00");
        assertThat(Horodate.parseStandard("E090714074553").degraded()).isFalse();
    }

    @Test
    void lowerCaseMeansDegradedClock() {
        Horodate h = Horodate.parseStandard("e230601120000");
        assertThat(h.iso()).isEqualTo("2023-06-01T12:00:00+02:00");
        assertThat(h.degraded()).isTrue();
        assertThat(Horodate.parseStandard("h230101000000").degraded()).isTrue();
    }

    @Test
    void spaceSeasonOfMobilePeaksUsesParisTime() {
        assertThat(Horodate.parseStandard(" 230214060000").iso()).isEqualTo("2023-02-14T06:00:00+01:00");
        assertThat(Horodate.parseStandard(" 230714060000").iso()).isEqualTo("2023-07-14T06:00:00+02:00");
    }

    @Test
    void pmePmiDates() {
        assertThat(Horodate.parsePmePmi("26/08/16 10:29:04").iso()).isEqualTo("2016-08-26T10:29:04+02:00");
        assertThat(Horodate.parsePmePmi("15/01/19 11:56:59").iso()).isEqualTo("2019-01-15T11:56:59+01:00");
        assertThat(Horodate.parsePmePmi("15/01/19 11:56:59-HPH").iso()).isEqualTo("2019-01-15T11:56:59+01:00");
    }

    @Test
    void badTextIsRejectedWithAMessage() {
        assertThatThrownBy(() -> Horodate.parseStandard("X081225223518")).hasMessageContaining("season");
        assertThatThrownBy(() -> Horodate.parseStandard("H0812")).hasMessageContaining("13 characters");
        // fields out of range: the documented IllegalArgumentException, not java.time's DateTimeException
        assertThatThrownBy(() -> Horodate.parseStandard("H260105080064")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H260105080064");
        assertThatThrownBy(() -> Horodate.pmePmiLocal("32/01/26 08:00:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Horodate.parseStandard("H08122522351A")).hasMessageContaining("digits");
        assertThatThrownBy(() -> Horodate.parsePmePmi("26-08-16 10:29:04")).hasMessageContaining("dd/MM/yy");
    }

    /** The hand-written ISO text and its reading back agree with java.time on any offset and date. */
    @Test
    void isoTextAndEpochMillisAgreeWithJavaTime() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-2_000_000_000L, 7_000_000_000L);
            java.time.ZoneOffset offset = java.time.ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            java.time.OffsetDateTime t = java.time.Instant.ofEpochSecond(second).atOffset(offset);
            String iso = new Horodate(t, false).iso();
            assertThat(iso).isEqualTo(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX").format(t));
            assertThat(Horodate.epochMillis(iso)).isEqualTo(second * 1000);
        }
        assertThat(Horodate.epochMillis("2019-12-03T11:58:05Z")).isEqualTo(1_575_374_285_000L);
        assertThat(Horodate.epochMillis("2019-12-03T12:58:05.250+01:00")).isEqualTo(1_575_374_285_250L);
        assertThatThrownBy(() -> Horodate.epochMillis("2019-12-03T12:58:x5+01:00"))
                .isInstanceOf(java.time.DateTimeException.class);
    }
}
