package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicFrame;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A frame whose interpretation throws is left out and counted; the frames after it in the same bytes are
 * interpreted (before, the exception left the decoder's feed and the rest of the read was lost, and the
 * component took it for a lost source).
 */
class FrameNotInterpretedTest {

    private static List<TicGroup> frame(String east) {
        return List.of(new TicGroup("ADSC", null, "041876543210"), new TicGroup("EAST", null, east));
    }

    @Test
    void theFramesAfterAFailedInterpretationInTheSameBytesAreDelivered() {
        List<MeterReading> readings = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        FrameInterpreter interpreter = new FrameInterpreter(null);
        MeterStream stream = new MeterStream(DecoderOptions.defaults().withMode(TicMode.STANDARD), interpreter,
                frame -> {
                    if (east(frame).equals("000000002")) { // stands for content no rule foresaw
                        throw new IllegalStateException("unforeseen content");
                    }
                    return interpreter.interpret(frame);
                }, readings::add, rejection -> { }, () -> 1_767_600_000_000L);
        stream.onFrameNotInterpreted((frame, failure) -> failures.add(east(frame) + ": " + failure.getMessage()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String east : List.of("000000001", "000000002", "000000003", "000000004")) {
            bytes.writeBytes(FrameEncoder.frame(TicMode.STANDARD, frame(east)));
        }
        byte[] all = bytes.toByteArray();
        stream.feed(all, 0, all.length); // one read holding the four frames

        assertThat(readings).extracting(r -> r.groups().get("EAST").value()).containsExactly(1L, 3L, 4L);
        assertThat(failures).containsExactly("000000002: unforeseen content");
        assertThat(stream.framesNotInterpreted()).isEqualTo(1);
        assertThat(stream.stats().framesDelivered()).isEqualTo(4); // the decoder's count: valid frames
    }

    private static String east(TicFrame frame) {
        return frame.dataOf("EAST");
    }
}
