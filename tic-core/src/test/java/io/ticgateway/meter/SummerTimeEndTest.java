package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The night summer time ends in France (2026-10-25: 03:00 +02:00 becomes 02:00 +01:00, so 02:00-03:00
 * local comes twice): every frame's time is the instant the meter meant, in order. Standard meters say
 * which pass with their season letter (E, H); PME-PMI dates carry no season.
 */
class SummerTimeEndTest {

    private static final Instant FROM = Instant.parse("2026-10-24T23:30:00Z"); // 01:30 +02:00
    private static final Instant TO = Instant.parse("2026-10-25T02:30:00Z"); // 03:30 +01:00

    /** The simulator's clock at each frame and the time the interpreter gave the frame. */
    private record Timed(Instant meant, OffsetDateTime read) {
    }

    private static List<Timed> replay(SimulatedFamily family) {
        MeterSimulator simulator = new MeterSimulator(family, null, 0, FROM.toEpochMilli(), 3);
        List<Instant> meant = new ArrayList<>();
        List<OffsetDateTime> read = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, r -> read.add(OffsetDateTime.parse(r.time())),
                r -> { });
        while (simulator.clockMillis() < TO.toEpochMilli()) {
            meant.add(Instant.ofEpochMilli(simulator.clockMillis()).truncatedTo(ChronoUnit.SECONDS));
            byte[] frame = simulator.nextFrame();
            stream.feed(frame, 0, frame.length);
        }
        stream.endOfInput();
        assertThat(read).hasSameSizeAs(meant);
        List<Timed> timed = new ArrayList<>();
        for (int i = 0; i < meant.size(); i++) {
            timed.add(new Timed(meant.get(i), read.get(i)));
        }
        return timed;
    }

    private static void assertEachFrameAtItsInstantInOrder(List<Timed> frames) {
        assertThat(frames).allSatisfy(t -> assertThat(t.read().toInstant()).isEqualTo(t.meant()));
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).read().toInstant()).isAfterOrEqualTo(frames.get(i - 1).read().toInstant());
        }
        // 02:xx local twice: once at +02:00, once at +01:00
        assertThat(frames).filteredOn(t -> t.read().getHour() == 2).extracting(t -> t.read().getOffset().getTotalSeconds())
                .contains(7200, 3600);
    }

    @Test
    void pmePmiDatesInTheRepeatedHourKeepTheirOrder() {
        List<Timed> frames = replay(SimulatedFamily.PMEPMI);
        assertEachFrameAtItsInstantInOrder(frames);
        assertThat(frames).extracting(t -> t.read().toInstant()).doesNotHaveDuplicates(); // a frame every ~4 s
    }

    @Test
    void standardHorodatesTellThePassByTheirSeasonLetter() {
        assertEachFrameAtItsInstantInOrder(replay(SimulatedFamily.LINKY_STANDARD));
    }

    @Test
    void withoutAPreviousFrameTheReceiveTimeTellsThePass() {
        LocalDateTime twoThirty = LocalDateTime.parse("2026-10-25T02:30:00");
        long secondPass = Instant.parse("2026-10-25T01:30:00Z").toEpochMilli();
        assertThat(new SeasonResolver().resolve(twoThirty, secondPass + 2_000).getOffset().getTotalSeconds()).isEqualTo(3600);
        assertThat(new SeasonResolver().resolve(twoThirty, secondPass - 3_600_000).getOffset().getTotalSeconds())
                .isEqualTo(7200);
        SeasonResolver resolver = new SeasonResolver(); // first pass, then a jump back in local time: second pass
        assertThat(resolver.resolve(LocalDateTime.parse("2026-10-25T02:59:58"), 0).getOffset().getTotalSeconds()).isEqualTo(7200);
        assertThat(resolver.resolve(LocalDateTime.parse("2026-10-25T02:00:02"), 0).getOffset().getTotalSeconds()).isEqualTo(3600);
        assertThat(resolver.resolve(LocalDateTime.parse("2026-10-25T02:00:06"), 0).getOffset().getTotalSeconds()).isEqualTo(3600);
    }
}
