package io.ticgateway.protocol;

import static io.ticgateway.Corpus.decode;
import static io.ticgateway.Corpus.decodeInChunks;
import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.Corpus.Decoded;
import io.ticgateway.GeneratedStreams;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final byte[] HISTORIC = FrameEncoder.frame(TicMode.HISTORIC, GeneratedStreams.historicTriLong(1));
    private static final byte[] STANDARD = FrameEncoder.frame(TicMode.STANDARD,
            GeneratedStreams.standardTriProducer(11604109, 671631));

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The historic frame with one checksum byte changed. */
    private static byte[] historicWithBadChecksum() {
        byte[] bad = HISTORIC.clone();
        int cr = 0;
        for (int i = 1; i < bad.length; i++) {
            if (bad[i] == TicBytes.CR && ++cr == 4) { // the BASE group
                bad[i - 1] = (byte) (bad[i - 1] == 'A' ? 'B' : 'A');
                break;
            }
        }
        return bad;
    }

    @Test
    void generatedStandardThreePhaseProducerFrame() {
        Decoded d = decode(GeneratedStreams.standardTriProducerStream(3), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(3);
        TicFrame f = d.frames().get(2);
        assertThat(f.mode()).isEqualTo(TicMode.STANDARD);
        assertThat(f.dataOf("EAST")).isEqualTo("011604123");
        assertThat(f.dataOf("SINSTS2")).isEqualTo("00568");
        assertThat(f.dataOf("EAIT")).isEqualTo("000671633");
        assertThat(f.horodate(f.indexOf("SMAXIN-1"))).isEqualTo("E210413141848");
        assertThat(f.horodate(f.indexOf("DPM1"))).isEqualTo(" 230214060000");
        assertThat(f.dataOf("MSG1")).isEqualTo("PAS DE          MESSAGE         ");
    }

    @Test
    void aStrayCrAfterStxAndAnLfBeforeEtxAreToleratedAndCounted() {
        // as a real capture has them (lains 2023: STX CR LF ... CR LF ETX)
        byte[] frame = HISTORIC.clone();
        byte[] body = java.util.Arrays.copyOfRange(frame, 1, frame.length - 1);
        byte[] odd = concat(new byte[] {TicBytes.STX, TicBytes.CR}, body, new byte[] {TicBytes.LF, TicBytes.ETX});
        Decoded d = decode(concat(odd, HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(2);
        assertThat(d.frames().get(0).dataOf("BASE")).isEqualTo(d.frames().get(1).dataOf("BASE"));
        assertThat(d.stats().framesRejectedTotal()).isZero();
        assertThat(d.stats().tolerations()).containsEntry(Tolerance.STRAY_CR, 1L)
                .containsEntry(Tolerance.LF_BEFORE_ETX, 1L);
    }

    @Test
    void toleratedDeviationsCountFramesDeliveredNotOccurrences() {
        // two stray CRs in a delivered frame: one frame; a stray CR in a frame cut by EOT: none (it is rejected)
        byte[] body = java.util.Arrays.copyOfRange(HISTORIC, 1, HISTORIC.length - 1);
        byte[] twice = concat(new byte[] {TicBytes.STX, TicBytes.CR, TicBytes.CR}, body, new byte[] {TicBytes.ETX});
        byte[] cut = concat(new byte[] {TicBytes.STX, TicBytes.CR}, java.util.Arrays.copyOf(body, 20),
                new byte[] {TicBytes.EOT});
        Decoded d = decode(concat(twice, cut, HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(2);
        assertThat(d.stats().framesRejectedTotal()).isEqualTo(1);
        assertThat(d.stats().tolerations()).containsEntry(Tolerance.STRAY_CR, 1L).containsEntry(Tolerance.LF_BEFORE_ETX, 0L);
    }

    @Test
    void shortThreePhaseFramesStartingWithAdirAreFrames() {
        Decoded d = decode(GeneratedStreams.historicTriOverCurrentStream(2), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(42);
        TicFrame shortFrame = d.frames().get(1);
        assertThat(shortFrame.label(0)).isEqualTo("ADIR1");
        assertThat(shortFrame.dataOf("ADIR1")).isEqualTo("031");
        assertThat(shortFrame.mode()).isEqualTo(TicMode.HISTORIC);
    }

    @Test
    void byteByByteAndRandomChunksGiveIdenticalFrames() {
        for (byte[] stream : List.of(GeneratedStreams.standardTriProducerStream(4),
                GeneratedStreams.historicTriOverCurrentStream(1), Corpus.bytes(Corpus.PMEPMI_EOT),
                Corpus.bytes(Corpus.CBEMM_2))) {
            Decoded whole = decode(stream, DecoderOptions.defaults());
            Decoded byteByByte = decodeInChunks(stream, DecoderOptions.defaults(), new int[] {1});
            Random random = new Random(42);
            int[] sizes = random.ints(97, 1, 300).toArray();
            Decoded chunks = decodeInChunks(stream, DecoderOptions.defaults(), sizes);
            for (Decoded other : List.of(byteByByte, chunks)) {
                assertThat(other.frames()).hasSameSizeAs(whole.frames());
                for (int i = 0; i < whole.frames().size(); i++) {
                    assertThat(other.frames().get(i).groups()).isEqualTo(whole.frames().get(i).groups());
                }
                assertThat(other.stats().frameRejections()).isEqualTo(whole.stats().frameRejections());
                assertThat(other.stats().groupRejections()).isEqualTo(whole.stats().groupRejections());
            }
        }
    }

    @Test
    void eotAbortsTheFrameAndTheNextOneIsDelivered() {
        byte[] cut = java.util.Arrays.copyOf(HISTORIC, 60);
        Decoded d = decode(concat(HISTORIC, cut, new byte[] {TicBytes.EOT}, ascii("noise"), HISTORIC),
                DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(2);
        assertThat(d.stats().framesRejected(RejectReason.INTERRUPTED)).isEqualTo(1);
        assertThat(d.rejections()).extracting(Rejection::reason).containsExactly(RejectReason.INTERRUPTED);
    }

    @Test
    void stxInsideAFrameCountsItTruncatedAndStartsANewOne() {
        byte[] cut = java.util.Arrays.copyOf(HISTORIC, 100);
        Decoded d = decode(concat(cut, HISTORIC, HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(2);
        assertThat(d.stats().framesRejected(RejectReason.TRUNCATED)).isEqualTo(1);
    }

    @Test
    void strictDropsADamagedFrameAndKeepsItsNeighbours() {
        Decoded d = decode(concat(HISTORIC, historicWithBadChecksum(), HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(2);
        assertThat(d.stats().framesRejected(RejectReason.CHECKSUM)).isEqualTo(1);
        assertThat(d.stats().groupsRejected(RejectReason.CHECKSUM)).isEqualTo(1);
        assertThat(d.rejections()).filteredOn(Rejection::wholeFrame).singleElement()
                .satisfies(r -> assertThat(r.detail()).contains("1 invalid group"));
        assertThat(d.rejections()).filteredOn(r -> !r.wholeFrame()).singleElement()
                .satisfies(r -> assertThat(r.detail()).contains("BASE"));
    }

    @Test
    void lenientDeliversTheValidGroupsAndSaysHowManyWereRejected() {
        Decoded d = decode(concat(HISTORIC, historicWithBadChecksum(), HISTORIC),
                DecoderOptions.defaults().withPolicy(ValidityPolicy.LENIENT));
        assertThat(d.frames()).hasSize(3);
        TicFrame damaged = d.frames().get(1);
        assertThat(damaged.rejectedGroups()).isEqualTo(1);
        assertThat(damaged.indexOf("BASE")).isEqualTo(-1);
        assertThat(damaged.size()).isEqualTo(d.frames().get(0).size() - 1);
        assertThat(d.stats().framesDeliveredDamaged()).isEqualTo(1);
    }

    @Test
    void standardGroupsAreSplitAtTheirTabsAlsoWhenTheyArriveInPieces() {
        byte[] frame = FrameEncoder.frame(TicMode.STANDARD, List.of(new TicGroup("ADSC", null, "041876543210"),
                new TicGroup("DATE", "H260105080000", ""), new TicGroup("SMAXSN", "H260105071502", "05120"),
                new TicGroup("MSG1", "X", "A\tB"), // four fields
                new TicGroup("PJOURF+1", null, "00008001 NONUTILE"), new TicGroup("EAST", null, "000123456")));
        DecoderOptions lenient = DecoderOptions.defaults().withPolicy(ValidityPolicy.LENIENT);
        for (int chunk : new int[] {frame.length, 1, 3, 7}) {
            int[] sizes = new int[frame.length / chunk + 1];
            java.util.Arrays.fill(sizes, chunk);
            Decoded d = decodeInChunks(frame, lenient, sizes);
            assertThat(d.frames()).as("chunks of %d", chunk).hasSize(1);
            TicFrame f = d.frames().get(0);
            assertThat(f.size()).isEqualTo(5);
            assertThat(f.horodate(f.indexOf("DATE"))).isEqualTo("H260105080000");
            assertThat(f.dataOf("DATE")).isEmpty();
            assertThat(f.horodate(f.indexOf("SMAXSN"))).isEqualTo("H260105071502");
            assertThat(f.dataOf("SMAXSN")).isEqualTo("05120");
            assertThat(f.horodate(f.indexOf("EAST"))).isNull();
            assertThat(f.dataOf("PJOURF+1")).isEqualTo("00008001 NONUTILE");
            assertThat(f.indexOf("MSG1")).isEqualTo(-1);
            assertThat(d.rejections()).singleElement().satisfies(r -> assertThat(r.detail()).contains("more than three fields"));
        }
    }

    @Test
    void nonPrintableBytesRejectTheGroup() {
        byte[] noisy = HISTORIC.clone();
        noisy[5] = 0x0F; // inside ADCO
        byte[] high = HISTORIC.clone();
        high[3] = (byte) 0xBF;
        Decoded d = decode(concat(noisy, high, HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(1);
        assertThat(d.stats().groupsRejected(RejectReason.MALFORMED)).isEqualTo(2);
    }

    @Test
    void stripParityRecoversA7e1LineReadAs8n1() {
        byte[] withParity = HISTORIC.clone();
        for (int i = 0; i < withParity.length; i++) {
            if (Integer.bitCount(withParity[i] & 0x7F) % 2 == 1) {
                withParity[i] |= (byte) 0x80; // even parity in bit 7
            }
        }
        assertThat(decode(withParity, DecoderOptions.defaults()).frames()).isEmpty();
        Decoded stripped = decode(withParity, DecoderOptions.defaults().withStripParity(true));
        assertThat(stripped.frames()).hasSize(1);
        assertThat(stripped.frames().get(0).dataOf("ADCO")).isEqualTo("056234673197");
    }

    @Test
    void overLongGroupOrFrameResyncsOnTheNextStx() {
        byte[] longGroup = concat(new byte[] {TicBytes.STX, TicBytes.LF}, ascii("X".repeat(500)),
                new byte[] {TicBytes.CR, TicBytes.ETX});
        Decoded d = decode(concat(longGroup, HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(1);
        assertThat(d.stats().framesRejected(RejectReason.TOO_LONG)).isEqualTo(1);

        ByteArrayOutputStream endless = new ByteArrayOutputStream();
        endless.write(TicBytes.STX);
        for (int i = 0; i < 1000; i++) {
            endless.writeBytes(FrameEncoder.group(TicMode.HISTORIC, new TicGroup("PAPP", null, "00100")));
        }
        Decoded d2 = decode(concat(endless.toByteArray(), HISTORIC), DecoderOptions.defaults());
        assertThat(d2.frames()).hasSize(1);
        assertThat(d2.stats().framesRejected(RejectReason.TOO_LONG)).isEqualTo(1);

        // endless invalid groups (a bad checksum each): they leave the buffer, the frame is too long all the same
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.write(TicBytes.STX);
        for (int i = 0; i < 1000; i++) {
            invalid.writeBytes("\nPAPP 01234 X\r".getBytes(StandardCharsets.US_ASCII));
        }
        for (ValidityPolicy policy : ValidityPolicy.values()) {
            Decoded d3 = decode(concat(invalid.toByteArray(), HISTORIC), DecoderOptions.defaults().withPolicy(policy));
            assertThat(d3.frames()).as("%s", policy).hasSize(1);
            assertThat(d3.stats().framesRejected(RejectReason.TOO_LONG)).as("%s", policy).isEqualTo(1);
        }
        // a frame shorter than the bound is not too long, however its groups are damaged: 5,000 bare LFs
        byte[] bareLfs = new byte[5002];
        java.util.Arrays.fill(bareLfs, (byte) TicBytes.LF);
        bareLfs[0] = (byte) TicBytes.STX;
        bareLfs[bareLfs.length - 1] = (byte) TicBytes.ETX;
        assertThat(decode(bareLfs, DecoderOptions.defaults()).stats().framesRejected(RejectReason.TOO_LONG)).isZero();
    }

    @Test
    void autoModeFollowsAMeterSwitchedFromHistoricToStandard() {
        Decoded d = decode(concat(HISTORIC, HISTORIC, STANDARD, STANDARD), DecoderOptions.defaults());
        assertThat(d.frames()).extracting(TicFrame::mode)
                .containsExactly(TicMode.HISTORIC, TicMode.HISTORIC, TicMode.STANDARD, TicMode.STANDARD);
    }

    @Test
    void aFixedModeRejectsGroupsOfTheOtherSyntax() {
        Decoded d = decode(concat(HISTORIC, STANDARD), DecoderOptions.defaults().withMode(TicMode.STANDARD));
        assertThat(d.frames()).hasSize(1);
        assertThat(d.frames().get(0).mode()).isEqualTo(TicMode.STANDARD);
        assertThat(d.stats().framesRejected(RejectReason.WRONG_MODE)).isEqualTo(1);
    }

    @Test
    void emptyFramesAndStrayBytesBetweenGroupsAreMalformed() {
        byte[] empty = {TicBytes.STX, TicBytes.ETX};
        // a group whose LF was lost: its bytes sit between the previous CR and the next LF
        byte[] lostLf = concat(new byte[] {TicBytes.STX}, FrameEncoder.group(TicMode.HISTORIC,
                new TicGroup("ADCO", null, "056234673197")), ascii("PAPP 00100 ,\r"), new byte[] {TicBytes.ETX});
        Decoded d = decode(concat(empty, lostLf, HISTORIC), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(1);
        assertThat(d.stats().framesRejected(RejectReason.MALFORMED)).isEqualTo(2);
    }

    @Test
    void framingToleratesCrLfAroundStxAndEtx() {
        // the transport of linky-historic-tri-base_lains-2023.bin: STX CR LF ... CR LF ETX
        byte[] body = java.util.Arrays.copyOfRange(HISTORIC, 1, HISTORIC.length - 1);
        byte[] framed = concat(new byte[] {TicBytes.STX, TicBytes.CR}, body, new byte[] {TicBytes.CR, TicBytes.LF,
            TicBytes.ETX});
        assertThat(decode(framed, DecoderOptions.defaults()).frames()).hasSize(1);
    }

    @Test
    void sequenceNumbersAndReceiveTimeAreStamped() {
        long[] now = {1000};
        List<TicFrame> frames = new java.util.ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(frames::add, DecoderOptions.defaults(), () -> now[0]++);
        decoder.feed(concat(HISTORIC, HISTORIC));
        assertThat(frames).extracting(TicFrame::sequence).containsExactly(1L, 2L);
        assertThat(frames).extracting(TicFrame::receivedAtMillis).containsExactly(1000L, 1001L);
        assertThat(decoder.stats().lastFrameMillis()).isEqualTo(1001L);
    }
}
