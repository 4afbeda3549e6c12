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
        assertThatThrownBy(() -> Horodate.parseStandard("H08122522351A")).hasMessageContaining("digits");
        assertThatThrownBy(() -> Horodate.parsePmePmi("26-08-16 10:29:04")).hasMessageContaining("dd/MM/yy");
    }
}
