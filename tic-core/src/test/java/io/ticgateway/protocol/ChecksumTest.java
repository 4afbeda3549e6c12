package io.ticgateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worked examples of shared/tic-protocol.md §3, all taken from real captures. */
class ChecksumTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "ADCO 021861348497 L",
        "ISOUSC 30 9",
        "\"PTEC HP..  \"",
        "MESURES1 BT 4 SUP36 @",
        "\"EAP_s2 9649kWh  \"",
        "TGPHI_s -0,39 C",
        "VTIC\t02\tJ",
        "DATE\tH191203125805\t\tF",
        "SMAXSN-1\tH191202171658\t05661\t(",
        "NJOURF+1\t00\tB",
    })
    void realGroupsVerifyUnderTheRuleOfTheirSeparator(String group) {
        byte[] bytes = group.getBytes(StandardCharsets.US_ASCII);
        assertThat(Checksum.expectedForGroup(bytes, 0, bytes.length)).isEqualTo((int) bytes[bytes.length - 1]);
    }

    @Test
    void theOtherRuleGivesAnotherChecksum() {
        byte[] vtic = "VTIC\t02\t".getBytes(StandardCharsets.US_ASCII);
        assertThat((char) Checksum.of(vtic, 0, vtic.length - 1)).isEqualTo('A'); // last HT left out: wrong
        byte[] adco = "ADCO 021861348497 ".getBytes(StandardCharsets.US_ASCII);
        assertThat((char) Checksum.of(adco, 0, adco.length)).isEqualTo(','); // last SP summed: wrong
    }
}
