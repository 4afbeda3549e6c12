package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames written for the purpose, decoded and interpreted: the held-back indexes and the derived active power. */
class IndexSanityAndActivePowerTest {

    private static final LocalDateTime START = LocalDateTime.of(2026, 1, 5, 8, 0, 0);
    private static final DateTimeFormatter HORODATE = DateTimeFormatter.ofPattern("yyMMddHHmmss");

    private final List<MeterReading> readings = new ArrayList<>();
    private final MeterStream stream = new MeterStream(DecoderOptions.defaults().withMode(TicMode.STANDARD), null,
            readings::add, rejection -> { }, () -> 0L);

    /** A standard frame at {@code seconds} after the start, with EAST, PREF 6 kVA and SINSTS. */
    private MeterReading standard(int seconds, long east) {
        byte[] frame = FrameEncoder.frame(TicMode.STANDARD, List.of(new TicGroup("ADSC", null, "041876543210"),
                new TicGroup("DATE", "H" + START.plusSeconds(seconds).format(HORODATE), ""),
                new TicGroup("EAST", null, String.format("%09d", east)), new TicGroup("PREF", null, "06"),
                new TicGroup("SINSTS", null, "01500")));
        stream.feed(frame, 0, frame.length);
        return readings.get(readings.size() - 1);
    }

    @Test
    void activePowerIsTheIndexIncreaseOverTheLastMinute() {
        // 1200 W: the index, in whole Wh, grows by 1 Wh every 3 s; one frame every 2 s
        List<Long> powers = new ArrayList<>();
        for (int s = 0; s <= 300; s += 2) {
            MeterReading r = standard(s, 5_000_000 + s / 3);
            Quantity power = r.derived().get("PUISSANCE_ACTIVE");
            if (s < 60) {
                assertThat(power).as("before the window is covered, at %d s", s).isNull();
            } else {
                assertThat(power.unit()).isEqualTo("W");
                powers.add((Long) power.value());
            }
        }
        assertThat(powers).hasSize(121).allSatisfy(p -> assertThat(p).isBetween(1140L, 1260L)); // 60 W resolution
        assertThat(ReadingJson.toJson(readings.get(readings.size() - 1))).contains("\"derived\":{\"PUISSANCE_ACTIVE\":{\"value\":1");
    }

    @Test
    void impossibleIndexesAreHeldBackCountedAndReleasedByTheNextConsistentFrame() {
        for (int s = 0; s <= 120; s += 2) {
            standard(s, 5_000_000 + s / 3);
        }
        // a jump of 100 kWh in 2 s: 6 kVA cannot do it
        MeterReading jump = standard(122, 5_100_040);
        assertThat(jump.groups()).doesNotContainKey("EAST").containsKey("SINSTS");
        assertThat(jump.heldBack()).containsEntry("EAST", "index-jump");
        assertThat(jump.derived()).doesNotContainKey("PUISSANCE_ACTIVE");
        assertThat(ReadingJson.toJson(jump)).contains("\"heldBack\":{\"EAST\":\"index-jump\"}").doesNotContain("5100040");
        // an index gone backwards
        MeterReading backwards = standard(124, 4_000_000);
        assertThat(backwards.groups()).doesNotContainKey("EAST");
        assertThat(backwards.heldBack()).containsEntry("EAST", "index-backwards");
        assertThat(backwards.heldBackCounts()).containsEntry("index-jump", 1L).containsEntry("index-backwards", 1L);
        // the next consistent frame is published, and the power carries on as if nothing happened
        MeterReading next = standard(126, 5_000_042);
        assertThat(next.value("EAST")).isEqualTo(5_000_042L);
        assertThat(next.heldBack()).isEmpty();
        assertThat((Long) next.derived().get("PUISSANCE_ACTIVE").value()).isBetween(1140L, 1260L);
        // 1 kWh in 10 minutes is possible at 6 kVA (a gap in the frames, not a glitch)
        assertThat(standard(726, 5_001_042).value("EAST")).isEqualTo(5_001_042L);
    }

    @Test
    void aWrongFirstIndexDoesNotLockTheRealOneOut() {
        // the first frame seen carries a glitch (+5,000 kWh): the real index reads as gone backwards...
        assertThat(standard(0, 10_000_000).value("EAST")).isEqualTo(10_000_000L);
        assertThat(standard(2, 5_000_000).heldBack()).containsEntry("EAST", "index-backwards");
        assertThat(standard(4, 5_000_001).heldBack()).containsEntry("EAST", "index-backwards");
        // ...until three frames in a row agree: the index starts again from them
        MeterReading third = standard(6, 5_000_002);
        assertThat(third.value("EAST")).isEqualTo(5_000_002L);
        assertThat(third.heldBack()).isEmpty();
        assertThat(standard(8, 5_000_003).value("EAST")).isEqualTo(5_000_003L);
        // a single glitch later is still held back
        assertThat(standard(10, 4_000_000).heldBack()).containsEntry("EAST", "index-backwards");
        assertThat(standard(12, 5_000_004).value("EAST")).isEqualTo(5_000_004L);
    }

    @Test
    void aHistoricMeterGetsItsPowerFromTheSumOfItsIndexes() {
        List<MeterReading> historic = new ArrayList<>();
        long[] clock = {0};
        MeterStream h = new MeterStream(DecoderOptions.defaults().withMode(TicMode.HISTORIC), null, historic::add,
                rejection -> { }, () -> clock[0]);
        for (int s = 0; s <= 90; s += 2) {
            clock[0] = s * 1000L; // historic frames have no time of their own: the receive time counts
            byte[] frame = FrameEncoder.frame(TicMode.HISTORIC, List.of(new TicGroup("ADCO", null, "021861348497"),
                    new TicGroup("ISOUSC", null, "30"), new TicGroup("HCHC", null, String.format("%09d", 1_000_000 + s / 2)),
                    new TicGroup("HCHP", null, String.format("%09d", 2_000_000 + s / 3))));
            h.feed(frame, 0, frame.length);
        }
        // 1 Wh every 2 s plus 1 Wh every 3 s: 1800 + 1200 W
        assertThat((Long) historic.get(historic.size() - 1).derived().get("PUISSANCE_ACTIVE").value()).isBetween(2940L, 3060L);
    }

    @Test
    void aFastReplayKeepsOneSampleAMillisecondWithTheSamePowers() {
        // frames timed by their receive time, 500 a millisecond (a capture replayed as fast as it reads):
        // of a millisecond's samples only the latest can be a reference, so one is kept
        LabelInfo base = LabelDictionary.of(TicMode.HISTORIC).info("BASE");
        ActivePower power = new ActivePower();
        int withPower = 0;
        for (int i = 0; i < 100_000; i++) {
            long step = i / 500;
            long energy = 1_000_000 + i / 10;
            Reading index = new Reading(base, Long.toString(energy), energy, "Wh", null, false, false);
            Quantity q = power.update(java.util.Map.of("BASE", index), java.util.Map.of(), step * 600);
            if (step < 100) {
                assertThat(q).as("frame %d, before the window is covered", i).isNull();
                continue;
            }
            // the reference: the last frame a minute (100 steps) earlier, as if every sample were kept
            long reference = 1_000_000 + ((step - 100) * 500 + 499) / 10;
            assertThat(q.value()).as("frame %d", i).isEqualTo(Math.round((energy - reference) * 3_600_000.0 / 60_000));
            withPower++;
        }
        assertThat(withPower).isEqualTo(100_000 - 100 * 500);
        assertThat(power.sampleCount()).isLessThanOrEqualTo(101); // a minute's worth: 100 steps, and the reference
    }
}
