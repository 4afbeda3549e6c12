package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The decoded real STGE values of shared/tic-protocol.md §6. */
class StgeAndDayProfileTest {

    @Test
    void consumerStandardMeterOfTheLainsCapture() {
        Stge s = Stge.parse("003A0001");
        assertThat(s.contactSecOuvert()).isTrue();
        assertThat(s.organeCoupure()).isZero();
        assertThat(s.indexFourniture()).isEqualTo(1);
        assertThat(s.indexDistributeur()).isEqualTo(1);
        assertThat(s.ticStandard()).isTrue();
        assertThat(s.euridis()).isEqualTo("activée avec sécurité");
        assertThat(s.statutCpl()).isEqualTo("New/Lock");
        assertThat(s.cplSynchronise()).isFalse();
        assertThat(s.producteur()).isFalse();
        assertThat(s.couleurJour()).isEqualTo(TempoColour.NON_ANNONCE);
    }

    @Test
    void distributorIndexThreeOfTheGoteleinfoFrame() {
        Stge s = Stge.parse("003A8000");
        assertThat(s.indexDistributeur()).isEqualTo(3);
        assertThat(s.contactSecOuvert()).isFalse();
    }

    @Test
    void producerWithTempoBlueToday() {
        Stge s = Stge.parse("013A0501");
        assertThat(s.producteur()).isTrue();
        assertThat(s.indexFourniture()).isEqualTo(2);
        assertThat(s.couleurJour()).isEqualTo(TempoColour.BLEU);
        assertThat(s.couleurDemain()).isEqualTo(TempoColour.NON_ANNONCE);
    }

    @Test
    void injectingProducerAndRegisteredCpl() {
        Stge injecting = Stge.parse("002A0301");
        assertThat(injecting.producteur()).isTrue();
        assertThat(injecting.injection()).isTrue();
        assertThat(injecting.euridis()).isEqualTo("activée sans sécurité");
        Stge registered = Stge.parse("00DA0401");
        assertThat(registered.statutCpl()).isEqualTo("Registered");
        assertThat(registered.cplSynchronise()).isTrue();
        assertThat(registered.indexFourniture()).isEqualTo(2);
    }

    @Test
    void tempoRedTomorrowAndMobilePeaks() {
        Stge s = Stge.parse("D9000000"); // bits 30-31 = 3, 28-29 = 1, 26-27 = 2, 24-25 = 1
        assertThat(s.pointeMobile()).isEqualTo(3);
        assertThat(s.preavisPointeMobile()).isEqualTo(1);
        assertThat(s.couleurDemain()).isEqualTo(TempoColour.BLANC);
        assertThat(s.couleurJour()).isEqualTo(TempoColour.BLEU);
        assertThat(Stge.parse("0C000000").couleurDemain()).isEqualTo(TempoColour.ROUGE);
    }

    @Test
    void badStgeIsRejected() {
        assertThatThrownBy(() -> Stge.parse("12AB")).hasMessageContaining("8 hex digits");
    }

    @Test
    void dayProfileSlots() {
        var slots = DayProfile.parse("00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE"
                + " NONUTILE NONUTILE NONUTILE");
        assertThat(slots).hasSize(3);
        assertThat(slots.get(1)).isEqualTo(new DayProfile.Slot("06:00", "4002", 2, 0, "tempo"));
        assertThat(DayProfile.parse("0000C001").get(0).dryContact()).isEqualTo("fermé");
        assertThatThrownBy(() -> DayProfile.parse("0000C0")).hasMessageContaining("HHMMSSSS");
    }
}
