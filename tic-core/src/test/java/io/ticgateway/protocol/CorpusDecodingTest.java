package io.ticgateway.protocol;

import static io.ticgateway.Corpus.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.Corpus.Decoded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frame counts on every real capture match the counts in corpus/SOURCES.md. */
class CorpusDecodingTest {

    @ParameterizedTest(name = "{0}: {1} frames, {2} truncated, {3} interrupted")
    @CsvSource({
        Corpus.HISTORIC_TEMPO + ",10,0,0,HISTORIC",
        Corpus.CBEMM_1 + ",13,1,0,HISTORIC",
        Corpus.CBEMM_2 + ",123,1,0,HISTORIC",
        Corpus.CBEMM_3 + ",198,1,0,HISTORIC",
        Corpus.HISTORIC_TRI_2023 + ",6,1,0,HISTORIC",
        Corpus.STANDARD_LAINS + ",12,1,0,STANDARD",
        Corpus.STANDARD_MIDNIGHT + ",12,1,0,STANDARD",
        Corpus.STANDARD_GOTELEINFO + ",1,0,0,STANDARD",
        Corpus.PMEPMI + ",21,1,0,PMEPMI",
        Corpus.PMEPMI_EOT + ",20,1,1,PMEPMI",
    })
    void everyIntactFrameIsDelivered(String capture, int frames, int truncated, int interrupted, TicMode mode) {
        Decoded d = decode(Corpus.bytes(capture), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(frames);
        assertThat(d.frames()).allSatisfy(f -> assertThat(f.mode()).isEqualTo(mode));
        assertThat(d.stats().framesRejected(RejectReason.TRUNCATED)).isEqualTo(truncated);
        assertThat(d.stats().framesRejected(RejectReason.INTERRUPTED)).isEqualTo(interrupted);
        assertThat(d.stats().framesRejected(RejectReason.CHECKSUM)).isZero();
        assertThat(d.stats().framesStarted())
                .isEqualTo(d.stats().framesDelivered() + d.stats().framesRejectedTotal());
    }

    @Test
    void groupsAreSplitFromTheirEndSoSpacesInDataAndChecksumSurvive() {
        Decoded pme = decode(Corpus.bytes(Corpus.PMEPMI), DecoderOptions.defaults());
        TicFrame first = pme.frames().get(0);
        assertThat(first.dataOf("MESURES1")).isEqualTo("BT 4 SUP36");
        assertThat(first.dataOf("DATE")).isEqualTo("26/08/16 10:29:04");
        assertThat(first.dataOf("EAP_s2")).isEqualTo("9649kWh"); // its checksum is a space
        assertThat(first.dataOf("ER+P-1_s")).isEqualTo("229kvarh");
        assertThat(first.size()).isEqualTo(44); // LF count of that frame, checked with python3

        Decoded cbemm = decode(Corpus.bytes(Corpus.CBEMM_2), DecoderOptions.defaults());
        assertThat(cbemm.frames()).anySatisfy(f -> assertThat(f.dataOf("PTEC")).isEqualTo("HP.."));
    }

    @Test
    void standardGroupsKeepHorodateAndEmptyDateData() {
        TicFrame frame = decode(Corpus.bytes(Corpus.STANDARD_GOTELEINFO), DecoderOptions.defaults()).frames().get(0);
        int date = frame.indexOf("DATE");
        assertThat(frame.horodate(date)).isEqualTo("H191203125805");
        assertThat(frame.data(date)).isEmpty();
        assertThat(frame.dataOf("NGTF")).isEqualTo(" HC et Week-End ");
        assertThat(frame.horodate(frame.indexOf("SMAXSN-1"))).isEqualTo("H191202171658");
        assertThat(frame.dataOf("PJOURF+1")).hasSize(98);
        assertThat(frame.horodate(frame.indexOf("EAST"))).isNull();
    }

    @Test
    void cookedTtyCapturesDeliverNothingButCountEveryCutFrame() {
        // CR became LF and ETX was swallowed by the tty: no frame can end, every STX cuts the previous one
        Decoded d = decode(Corpus.bytes(Corpus.HISTORIC_TRI_COOKED), DecoderOptions.defaults());
        assertThat(d.frames()).isEmpty();
        assertThat(d.stats().framesRejected(RejectReason.TRUNCATED)).isEqualTo(5);
        assertThat(d.stats().groupsRejected(RejectReason.MALFORMED)).isPositive();
    }

    @Test
    void noisyCaptureNeverThrowsAndCountersAddUp() {
        for (ValidityPolicy policy : ValidityPolicy.values()) {
            Decoded d = decode(Corpus.bytes(Corpus.HISTORIC_TRI_RX_ERRORS), DecoderOptions.defaults().withPolicy(policy));
            assertThat(d.stats().framesStarted()).isEqualTo(26);
            assertThat(d.stats().framesStarted())
                    .isEqualTo(d.stats().framesDelivered() + d.stats().framesRejectedTotal());
            assertThat(d.rejections()).isNotEmpty();
        }
    }

    @Test
    void leadingNulBytesAndPartialGroupsBeforeTheFirstStxAreSkipped() {
        Decoded d = decode(Corpus.bytes(Corpus.CBEMM_3), DecoderOptions.defaults());
        assertThat(d.stats().bytesOutsideFrames()).isPositive();
        assertThat(d.frames().get(0).label(0)).isEqualTo("ADCO");
    }
}
