package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.TicMode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ValueParserTest {

    private static Reading parse(TicMode mode, String label, String raw) {
        return ValueParser.parse(LabelDictionary.of(mode).info(label), raw, null);
    }

    @Test
    void integersKeepTheirDictionaryUnit() {
        Reading east = parse(TicMode.STANDARD, "EAST", "003818598");
        assertThat(east.value()).isEqualTo(3818598L);
        assertThat(east.unit()).isEqualTo("Wh");
        assertThat(east.info().index()).isTrue();
        assertThat(parse(TicMode.HISTORIC, "HCHC", "006906827").value()).isEqualTo(6906827L);
        assertThat(parse(TicMode.HISTORIC, "PAPP", "02840").unit()).isEqualTo("VA");
    }

    @Test
    void pmePmiUnitsAreTakenFromTheData() {
        assertThat(parse(TicMode.PMEPMI, "EA_s", "422Wh").quantity()).isEqualTo(new Quantity(422L, "Wh"));
        assertThat(parse(TicMode.PMEPMI, "ER-P_s", "7350kvarh").quantity()).isEqualTo(new Quantity(7350L, "kvarh"));
        assertThat(parse(TicMode.PMEPMI, "PS", "42kVA").quantity()).isEqualTo(new Quantity(42L, "kVA"));
        assertThat(parse(TicMode.PMEPMI, "PMAX_s", "15kW").unit()).isEqualTo("kW"); // TV A5/A8 contracts
    }

    @Test
    void decimalCommasAndTruncatedMeanPowers() {
        assertThat(parse(TicMode.PMEPMI, "TGPHI_s", "-0,39").value()).isEqualTo(new BigDecimal("-0.39"));
        Reading truncated = parse(TicMode.PMEPMI, "PA1_s", "0 TkW");
        assertThat(truncated.value()).isEqualTo(0L);
        assertThat(truncated.unit()).isEqualTo("kW");
        assertThat(truncated.truncated()).isTrue();
    }

    @Test
    void textIsTrimmedButTheRawDataKeepsItsPadding() {
        Reading ngtf = parse(TicMode.STANDARD, "NGTF", " HC et Week-End ");
        assertThat(ngtf.value()).isEqualTo("HC et Week-End");
        assertThat(ngtf.raw()).isEqualTo(" HC et Week-End ");
        assertThat(parse(TicMode.STANDARD, "MSG1", "PAS DE          MESSAGE         ").raw()).hasSize(32);
    }

    @Test
    void damagedNumbersKeepTheRawTextAndANullValue() {
        Reading noisy = parse(TicMode.STANDARD, "EASD01", "06476 712");
        assertThat(noisy.value()).isNull();
        assertThat(noisy.raw()).isEqualTo("06476 712");
    }

    @Test
    void unknownLabelsAreKeptAsText() {
        Reading unknown = parse(TicMode.HISTORIC, "FOO", " bar ");
        assertThat(unknown.info().known()).isFalse();
        assertThat(unknown.value()).isEqualTo("bar");
        assertThat(unknown.raw()).isEqualTo(" bar ");
    }

    @Test
    void horodatedGroupsCarryTheirTimeAndDegradedFlag() {
        LabelInfo smax = LabelDictionary.of(TicMode.STANDARD).info("SMAXSN-1");
        Reading r = ValueParser.parse(smax, "05661", "H191202171658");
        assertThat(r.value()).isEqualTo(5661L);
        assertThat(r.time()).isEqualTo("2019-12-02T17:16:58+01:00");
        Reading date = ValueParser.parse(LabelDictionary.of(TicMode.STANDARD).info("DATE"), "", "e230601120000");
        assertThat(date.value()).isEqualTo("2023-06-01T12:00:00+02:00");
        assertThat(date.raw()).isEmpty();
        assertThat(date.clockDegraded()).isTrue();
    }

    @Test
    void everyDictionaryLoadsWithItsFamilyIdentityLabel() {
        assertThat(LabelDictionary.of(TicMode.STANDARD).knows("ADSC")).isTrue();
        assertThat(LabelDictionary.of(TicMode.HISTORIC).knows("ADCO")).isTrue();
        assertThat(LabelDictionary.of(TicMode.PMEPMI).knows("ADS")).isTrue();
        assertThat(LabelDictionary.of(TicMode.STANDARD).info("SMAXSN2-1").unit()).isEqualTo("VA");
        assertThat(LabelDictionary.of(TicMode.PMEPMI).info("EAP_s").periodDependent()).isTrue();
        assertThat(LabelDictionary.of(TicMode.PMEPMI).info("EA_s").delta()).isTrue();
    }
}
