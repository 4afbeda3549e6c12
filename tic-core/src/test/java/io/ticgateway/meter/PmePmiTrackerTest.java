package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.TicMode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PmePmiTrackerTest {

    private static Map<String, Reading> frame(String... labelsAndData) {
        Map<String, Reading> groups = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndData.length; i += 2) {
            LabelInfo info = LabelDictionary.of(TicMode.PMEPMI).info(labelsAndData[i]);
            groups.put(labelsAndData[i], ValueParser.parse(info, labelsAndData[i + 1], null));
        }
        return groups;
    }

    @Test
    void everyPeriodFillsInAsThePeriodChanges() {
        PmePmiTracker tracker = new PmePmiTracker();
        tracker.update(frame("PTCOUR1", "HPH", "EAP_s", "147907kWh", "PMAX_s", "10kVA"), 0);
        PmePmiSnapshot s = tracker.update(frame("PTCOUR1", "HCH", "EAP_s", "59971kWh"), 5_000);
        assertThat(s.period()).isEqualTo("HCH");
        assertThat(s.periods()).containsOnlyKeys("HPH", "HCH");
        assertThat(s.periods().get("HPH").get("EAP_s").value()).isEqualTo(147907L);
        assertThat(s.periods().get("HCH").get("EAP_s").value()).isEqualTo(59971L);
        assertThat(s.derived().get("CONSO_TOTALE_s")).isEqualTo(new Quantity(207878L, "kWh"));
        assertThat(s.derived()).doesNotContainKey("EAP_s_delta"); // another period
        assertThat(s.derived().get("CONSO_TOTALE_i")).isEqualTo(new Quantity(0L, "kWh")); // nothing injected
    }

    /** A fresh-eyes review: one huge value made every later frame's total throw (and the frame be left out). */
    @Test
    void totalsBeyondALongAreDecimalsAndTheFramesAfterThemGoOn() {
        PmePmiTracker tracker = new PmePmiTracker();
        tracker.update(frame("PTCOUR1", "HPE", "EAP_s", "99999999999999999999.0kWh"), 0);
        PmePmiSnapshot s = tracker.update(frame("PTCOUR1", "HPH", "EAP_s", "5kWh"), 5_000);
        assertThat(s.derived().get("CONSO_TOTALE_s").value()).isEqualTo(new java.math.BigDecimal("100000000000000000004.0"));
        for (int p = 0; p < 10; p++) { // ten periods of 18-digit indexes: beyond a long
            s = tracker.update(frame("PTCOUR1", "P" + p, "EAP_i", "999999999999999999kWh"), 10_000 + p * 5_000);
        }
        assertThat(s.derived().get("CONSO_TOTALE_i")).isEqualTo(new Quantity(new java.math.BigDecimal("9999999999999999990"), "kWh"));
        assertThat(tracker.update(frame("PTCOUR1", "HPH", "EAP_s", "7kWh"), 70_000).derived().get("CONSO_TOTALE_s").value())
                .isEqualTo(new java.math.BigDecimal("100000000000000000006.0"));
    }

    @Test
    void injectionTotalSumsEveryPeriod() {
        PmePmiTracker tracker = new PmePmiTracker();
        tracker.update(frame("PTCOUR1", "HPH", "EAP_i", "12kWh"), 0);
        PmePmiSnapshot s = tracker.update(frame("PTCOUR1", "HCH", "EAP_i", "30kWh"), 5_000);
        assertThat(s.derived().get("CONSO_TOTALE_i")).isEqualTo(new Quantity(42L, "kWh"));
    }

    @Test
    void deltasOnlyWithinTenSecondsInTheSamePeriodAndNeverBackwards() {
        PmePmiTracker tracker = new PmePmiTracker();
        tracker.update(frame("PTCOUR1", "HPE", "EA_s", "100Wh"), 0);
        assertThat(tracker.update(frame("PTCOUR1", "HPE", "EA_s", "137Wh"), 7_000).derived().get("EA_s_delta"))
                .isEqualTo(new Quantity(37L, "Wh"));
        assertThat(tracker.update(frame("PTCOUR1", "HPE", "EA_s", "150Wh"), 18_000).derived())
                .doesNotContainKey("EA_s_delta"); // 11 s later
        assertThat(tracker.update(frame("PTCOUR1", "HPE", "EA_s", "3Wh"), 20_000).derived())
                .doesNotContainKey("EA_s_delta"); // Td top: went backwards
    }

    @Test
    void dynamicTariffStateIsAppendedToThePeriod() {
        PmePmiTracker tracker = new PmePmiTracker();
        PmePmiSnapshot s = tracker.update(frame("PTCOUR1", "HPH", "TARIFDYN", "ACTIF", "ETATDYN1", "PM",
                "EAP_s", "5kWh"), 0);
        assertThat(s.period()).isEqualTo("HPH-PM");
        assertThat(s.periods()).containsKey("HPH-PM");
        // the period follows each of its three groups from frame to frame (it is kept while they do not change)
        assertThat(tracker.update(frame("PTCOUR1", "HPH", "TARIFDYN", "ACTIF", "ETATDYN1", "PP", "EAP_s", "6kWh"), 1000)
                .period()).isEqualTo("HPH-PP");
        assertThat(tracker.update(frame("PTCOUR1", "HCH", "TARIFDYN", "ACTIF", "ETATDYN1", "PP", "EAP_s", "7kWh"), 2000)
                .period()).isEqualTo("HCH-PP");
        assertThat(tracker.update(frame("PTCOUR1", "HCH", "TARIFDYN", "INACTIF", "ETATDYN1", "PP", "EAP_s", "8kWh"), 3000)
                .period()).isEqualTo("HCH");
        assertThat(tracker.update(frame("PTCOUR1", "HCH", "EAP_s", "9kWh"), 4000).period()).isEqualTo("HCH");
    }

    @Test
    void preavisRisingEdgesAndDecoderCounters() {
        PmePmiTracker tracker = new PmePmiTracker();
        tracker.update(frame("PTCOUR1", "HPH"), 0);
        tracker.update(frame("PTCOUR1", "HPH", "PREAVIS1", "PM1"), 1);
        tracker.update(frame("PTCOUR1", "HPH", "PREAVIS1", "PM1"), 2);
        tracker.update(frame("PTCOUR1", "HPH"), 3);
        tracker.countInterruption();
        tracker.countInvalidFrame();
        tracker.countInvalidFrame();
        PmePmiSnapshot s = tracker.update(frame("PTCOUR1", "HPH", "PREAVIS1", "PM1"), 4);
        assertThat(s.derived().get("CPT_PREAVIS").value()).isEqualTo(2L);
        assertThat(s.derived().get("CPT_INTERRUPTIONS").value()).isEqualTo(1L);
        assertThat(s.derived().get("CPT_TRAMES_INVALIDES").value()).isEqualTo(2L);
    }
}
