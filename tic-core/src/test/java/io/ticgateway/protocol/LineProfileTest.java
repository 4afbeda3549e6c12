package io.ticgateway.protocol;

import static io.ticgateway.Corpus.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.Corpus.Decoded;
import io.ticgateway.UartLine;
import io.ticgateway.UartLine.Format;
import org.junit.jupiter.api.Test;

/**
 * The decoder's profile of the bytes outside frames, on real captures sent through a UART set like the
 * meter (every frame back), set to 8N1 (bit 7 is the parity) and set to the other speed (NUL-ridden
 * garbage).
 */
class LineProfileTest {

    private static final Format E71 = Format.SEVEN_EVEN_ONE;

    @Test
    void aUartSetLikeTheMeterGivesBackEveryFrame() {
        byte[] sent = Corpus.bytes(Corpus.HISTORIC_TEMPO);
        Decoded read = decode(UartLine.receive(sent, 1200, E71, 1200, E71), DecoderOptions.defaults());
        assertThat(read.frames()).hasSize(decode(sent, DecoderOptions.defaults()).frames().size());
        assertThat(read.stats().outsideForeign()).isZero();
        assertThat(read.stats().outsideBit7()).isZero();
    }

    @Test
    void sevenEvenOneReadAsEightNoneOneSetsBitSevenWithEvenParityOnEveryByte() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.HISTORIC_TEMPO), 1200, E71, 1200, Format.EIGHT_NONE_ONE);
        DecoderStats stats = decode(received, DecoderOptions.defaults()).stats();
        assertThat(stats.framesDelivered()).isZero();
        assertThat(stats.bytesOutsideFrames()).isEqualTo(received.length);
        assertThat(stats.outsideBit7()).isBetween(received.length / 4L, received.length * 3L / 4);
        assertThat(stats.outsideOddParity()).isZero();

        // the same bytes with the parity stripped are the frames again
        assertThat(decode(received, DecoderOptions.defaults().withStripParity(true)).frames()).hasSize(10);
    }

    @Test
    void aStandardLineReadAtTwelveHundredBaudIsGarbageWithNul() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, E71, 1200, E71);
        assertWrongSpeedProfile(received);
    }

    @Test
    void aHistoricLineReadAtNinetySixHundredBaudIsGarbageWithNul() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.HISTORIC_TEMPO), 1200, E71, 9600, E71);
        assertWrongSpeedProfile(received);
    }

    private static void assertWrongSpeedProfile(byte[] received) {
        DecoderStats stats = decode(received, DecoderOptions.defaults()).stats();
        assertThat(received).isNotEmpty();
        assertThat(stats.framesDelivered()).isZero();
        assertThat(stats.bytesOutsideFrames()).isPositive();
        assertThat(stats.outsideForeign()).isGreaterThan(stats.bytesOutsideFrames() / 10);
    }
}
