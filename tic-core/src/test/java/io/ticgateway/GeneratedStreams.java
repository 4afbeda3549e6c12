package io.ticgateway;

import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams for what the corpus lacks, written with {@link FrameEncoder}: a Linky standard three-phase
 * producer frame (the groups of openHAB's fixture quoted in shared/tic-protocol.md, Appendix A.1) and
 * historic three-phase long and short (ADIR) frames.
 */
public final class GeneratedStreams {

    private GeneratedStreams() {
    }

    private static TicGroup g(String label, String data) {
        return new TicGroup(label, null, data);
    }

    private static TicGroup h(String label, String horodate, String data) {
        return new TicGroup(label, horodate, data);
    }

    /** Linky standard, three-phase, producer, Tempo; EAST grows by {@code step} per frame. */
    public static List<TicGroup> standardTriProducer(long east, long eait) {
        return List.of(g("ADSC", "123456789012"), g("VTIC", "02"), h("DATE", "E210414082625", ""),
                g("NGTF", "     TEMPO      "), g("LTARF", "    HP  BLEU    "), g("EAST", String.format("%09d", east)),
                g("EASF01", "002741488"), g("EASF02", "005905500"), g("EASD01", String.format("%09d", east)),
                g("EAIT", String.format("%09d", eait)), g("ERQ1", "002970842"), g("ERQ2", "000204084"),
                g("ERQ3", "000084948"), g("ERQ4", "000774332"),
                g("IRMS1", "001"), g("IRMS2", "002"), g("IRMS3", "001"),
                g("URMS1", "234"), g("URMS2", "240"), g("URMS3", "242"), g("PREF", "18"), g("PCOUP", "18"),
                g("SINSTS", "00013"), g("SINSTS1", "00000"), g("SINSTS2", "00568"), g("SINSTS3", "00000"),
                h("SMAXSN", "E210414070239", "02636"), h("SMAXSN1", "E210414060632", "00405"),
                h("SMAXSN-1", "E210413195606", "06560"), h("SMAXSN1-1", "E210413111148", "01084"),
                g("SINSTI", "00000"), h("SMAXIN", "E210414000000", "00000"), h("SMAXIN-1", "E210413141848", "03861"),
                h("CCASN", "E210414080000", "00806"), h("CCAIN", "E210414080000", "00000"),
                h("UMOY1", "E210414082000", "230"), g("STGE", "013A0501"),
                h("DPM1", " 230214060000", "00"), h("FPM1", " 230214080000", "00"),
                g("MSG1", "PAS DE          MESSAGE         "), g("PRM", "12345678901234"), g("RELAIS", "000"),
                g("NTARF", "02"), g("NJOURF", "00"), g("NJOURF+1", "00"),
                g("PJOURF+1", "00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE "
                        + "NONUTILE NONUTILE"));
    }

    /** Historic three-phase long frame. */
    public static List<TicGroup> historicTriLong(long base) {
        return List.of(g("ADCO", "056234673197"), g("OPTARIF", "BASE"), g("ISOUSC", "20"),
                g("BASE", String.format("%09d", base)), g("PTEC", "TH.."), g("IINST1", "031"), g("IINST2", "002"),
                g("IINST3", "000"), g("IMAX1", "060"), g("IMAX2", "060"), g("IMAX3", "060"), g("PMAX", "02680"),
                g("PAPP", "07740"), g("HHPHC", "A"), g("MOTDETAT", "000000"), g("PPOT", "00"));
    }

    /** Historic three-phase short frame (over-current on phase 1): starts with ADIR1, not ADCO. */
    public static List<TicGroup> historicTriShort() {
        return List.of(g("ADIR1", "031"), g("ADCO", "056234673197"), g("IINST1", "031"), g("IINST2", "002"),
                g("IINST3", "000"));
    }

    /** {@code count} standard three-phase producer frames, EAST growing by 7 Wh per frame. */
    public static byte[] standardTriProducerStream(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(FrameEncoder.frame(TicMode.STANDARD, standardTriProducer(11604109 + 7L * i, 671631 + i)));
        }
        return out.toByteArray();
    }

    /** Historic three-phase: one long frame, 20 short frames, one long frame, repeated {@code cycles} times. */
    public static byte[] historicTriOverCurrentStream(int cycles) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c = 0; c < cycles; c++) {
            out.writeBytes(FrameEncoder.frame(TicMode.HISTORIC, historicTriLong(10151175 + c)));
            for (int s = 0; s < 20; s++) {
                out.writeBytes(FrameEncoder.frame(TicMode.HISTORIC, historicTriShort()));
            }
        }
        return out.toByteArray();
    }

    /** Every corpus capture and generated stream whose frames are all intact, for fuzzing. */
    public static List<byte[]> cleanStreams() {
        List<byte[]> streams = new ArrayList<>();
        streams.add(Corpus.bytes(Corpus.STANDARD_LAINS));
        streams.add(Corpus.bytes(Corpus.HISTORIC_TEMPO));
        streams.add(Corpus.bytes(Corpus.CBEMM_1));
        streams.add(Corpus.bytes(Corpus.PMEPMI));
        streams.add(standardTriProducerStream(5));
        streams.add(historicTriOverCurrentStream(1));
        return streams;
    }
}
