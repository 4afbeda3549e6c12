package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.TicMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact values of each family, read from the real captures. */
class InterpreterCorpusTest {

    static List<MeterReading> readings(String capture) {
        List<MeterReading> out = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, out::add, r -> { }, () -> 0L);
        byte[] bytes = Corpus.bytes(capture);
        stream.feed(bytes, 0, bytes.length);
        stream.endOfInput();
        return out;
    }

    @Test
    void linkyStandard() {
        List<MeterReading> r = readings(Corpus.STANDARD_LAINS);
        MeterReading first = r.get(0);
        MeterReading last = r.get(r.size() - 1);
        assertThat(first.meterId()).isEqualTo("064468368739");
        assertThat(first.mode()).isEqualTo(TicMode.STANDARD);
        assertThat(first.value("EAST")).isEqualTo(11887649L);
        assertThat(last.value("EAST")).isEqualTo(11887650L);
        assertThat(first.time()).isEqualTo("2023-03-01T09:18:34+01:00");
        assertThat(last.time()).isEqualTo("2023-03-01T09:18:44+01:00");
        assertThat(first.get("SMAXSN").time()).isEqualTo("2023-03-01T06:52:53+01:00");
        assertThat(first.get("NGTF").raw()).isEqualTo("      BASE      ");
        assertThat(first.get("DATE").raw()).isEmpty();
        assertThat(first.stge().contactSecOuvert()).isTrue();
        assertThat(first.stge().indexFourniture()).isEqualTo(1);
        assertThat(first.stge().ticStandard()).isTrue();
    }

    @Test
    void midnightRolloverKeepsTheMetersOwnTime() {
        List<MeterReading> r = readings(Corpus.STANDARD_MIDNIGHT);
        assertThat(r.get(0).time()).isEqualTo("2024-05-13T23:59:54+01:00");
        assertThat(r.get(r.size() - 1).time()).isEqualTo("2024-05-14T00:00:04+01:00");
    }

    @Test
    void linkyStandardHcWithDayProfile() {
        MeterReading r = readings(Corpus.STANDARD_GOTELEINFO).get(0);
        assertThat(r.meterId()).isEqualTo("12345678900");
        assertThat(r.value("EAST")).isEqualTo(17026175L);
        assertThat(r.get("NGTF").value()).isEqualTo("HC et Week-End");
        assertThat(r.stge().indexDistributeur()).isEqualTo(3);
        @SuppressWarnings("unchecked")
        List<DayProfile.Slot> slots = (List<DayProfile.Slot>) r.value("PJOURF+1");
        assertThat(slots).hasSize(5);
        assertThat(slots.get(1)).isEqualTo(new DayProfile.Slot("02:56", "C001", 1, 0, "fermé"));
    }

    @Test
    void linkyHistoricTempo() {
        List<MeterReading> r = readings(Corpus.HISTORIC_TEMPO);
        assertThat(r).hasSize(10);
        assertThat(r.get(0).meterId()).isEqualTo("021861348497");
        assertThat(r.get(0).value("BBRHCJB")).isEqualTo(18328856L);
        assertThat(r.get(9).value("BBRHCJB")).isEqualTo(18328876L);
        assertThat(r.get(0).value("PTEC")).isEqualTo("HCJB");
        assertThat(r.get(0).value("DEMAIN")).isEqualTo("ROUG");
        assertThat(r.get(0).get("PAPP").quantity()).isEqualTo(new Quantity(2840L, "VA"));
        assertThat(r.get(0).time()).isNull();
    }

    @Test
    void cbemmHeuresCreuses() {
        List<MeterReading> r = readings(Corpus.CBEMM_1);
        assertThat(r.get(0).meterId()).isEqualTo("031328187235");
        assertThat(r.get(0).value("HCHC")).isEqualTo(6906827L);
        assertThat(r.get(0).value("HCHP")).isEqualTo(7617931L);
        assertThat(r.get(r.size() - 1).value("HCHP")).isEqualTo(7617934L);
        List<MeterReading> r3 = readings(Corpus.CBEMM_3);
        assertThat(r3.get(r3.size() - 1).value("HCHP")).isEqualTo(7618020L);
    }

    @Test
    void linkyHistoricThreePhase() {
        List<MeterReading> r = readings(Corpus.HISTORIC_TRI_2023);
        assertThat(r.get(0).value("BASE")).isEqualTo(10151175L);
        assertThat(r.get(r.size() - 1).value("BASE")).isEqualTo(10151184L);
        assertThat(r.get(0).value("IINST2")).isEqualTo(2L);
        assertThat(r.get(0).value("PPOT")).isEqualTo(0L);
    }

    @Test
    void pmePmiPerPeriodValuesDeltasAndCounters() {
        List<MeterReading> r = readings(Corpus.PMEPMI);
        MeterReading first = r.get(0);
        assertThat(first.meterId()).isEqualTo("041436028024");
        assertThat(first.mode()).isEqualTo(TicMode.PMEPMI);
        assertThat(first.time()).isEqualTo("2016-08-26T10:29:04+02:00");
        assertThat(first.get("EA_s").quantity()).isEqualTo(new Quantity(422L, "Wh"));
        PmePmiSnapshot pme = first.pmePmi();
        assertThat(pme.period()).isEqualTo("HPE");
        assertThat(pme.periods().get("HPE").get("EAP_s")).isEqualTo(new Quantity(9649L, "kWh"));
        assertThat(pme.periods().get("HPE").get("ER-P_s")).isEqualTo(new Quantity(7350L, "kvarh"));
        assertThat(pme.periods().get("HPE").get("PMAX_s")).isEqualTo(new Quantity(15L, "kVA"));
        assertThat(pme.derived()).doesNotContainKey("EA_s_delta"); // nothing before the first frame
        assertThat(pme.derived().get("CONSO_TOTALE_s")).isEqualTo(new Quantity(9649L, "kWh"));
        MeterReading second = r.get(1);
        assertThat(second.get("EA_s").value()).isEqualTo(440L);
        assertThat(second.pmePmi().derived().get("EA_s_delta")).isEqualTo(new Quantity(18L, "Wh"));
        assertThat(r.get(r.size() - 1).pmePmi().derived().get("CPT_INTERRUPTIONS").value()).isEqualTo(0L);
    }

    @Test
    void pmePmiInterruptionIsCounted() {
        List<MeterReading> r = readings(Corpus.PMEPMI_EOT);
        assertThat(r).hasSize(20);
        assertThat(r.get(0).pmePmi().derived().get("CPT_INTERRUPTIONS").value()).isEqualTo(0L);
        assertThat(r.get(r.size() - 1).pmePmi().derived().get("CPT_INTERRUPTIONS").value()).isEqualTo(1L);
    }
}
