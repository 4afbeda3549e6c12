package io.ticgateway.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.Corpus.Decoded;
import io.ticgateway.UartLine;
import io.ticgateway.UartLine.Format;
import io.ticgateway.app.status.LineDiagnosis.Code;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.TicFrame;
import io.ticgateway.protocol.TicMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis rules on real captures sent through a line set wrong ({@link UartLine}: another speed, 8N1),
 * damaged by noise, or from a meter whose mode differs from the configuration.
 */
class LineDiagnosisTest {

    private static final Format E71 = Format.SEVEN_EVEN_ONE;
    private static final long OPENED = 1_000_000;
    private static final long WINDOW = 30_000;

    /** Decodes the bytes and diagnoses the window from the line's opening to their end. */
    private static LineDiagnosis diagnose(byte[] received, DecoderOptions options, int baud, TicMode family) {
        Decoded decoded = Corpus.decode(received, options);
        LineSample older = LineSample.of(null, OPENED, true, false, null, OPENED, baud);
        LineSample newer = LineSample.of(decoded.stats(), OPENED + WINDOW, true, false, null, OPENED, baud);
        List<TicFrame> frames = decoded.frames();
        TicMode lastMode = frames.isEmpty() ? null : frames.get(frames.size() - 1).mode();
        return LineDiagnosis.of(older, newer, family, lastMode);
    }

    @Test
    void aHealthyLineIsOk() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, E71, 9600, E71);
        LineDiagnosis d = diagnose(received, DecoderOptions.defaults(), 9600, TicMode.STANDARD);
        assertThat(d.code()).isEqualTo(Code.OK);
        assertThat(d.text()).startsWith("Frames arrive");
    }

    @Test
    void aStandardMeterReadAtTwelveHundredBaudLooksLikeTheOtherBaudRate() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, E71, 1200, E71);
        LineDiagnosis d = diagnose(received, DecoderOptions.defaults().withMode(TicMode.HISTORIC), 1200, TicMode.HISTORIC);
        assertThat(d.code()).isEqualTo(Code.WRONG_SPEED);
        assertThat(d.text()).contains("looks like the other baud rate", "reads at 1200 Bd");
    }

    @Test
    void aHistoricMeterReadAtNinetySixHundredBaudLooksLikeTheOtherBaudRate() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.HISTORIC_TEMPO), 1200, E71, 9600, E71);
        LineDiagnosis d = diagnose(received, DecoderOptions.defaults(), 9600, TicMode.HISTORIC);
        assertThat(d.code()).isEqualTo(Code.WRONG_SPEED);
    }

    @Test
    void sevenEvenOneReadAsEightNoneOneLooksLike8N1() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.PMEPMI), 1200, E71, 1200, Format.EIGHT_NONE_ONE);
        LineDiagnosis d = diagnose(received, DecoderOptions.defaults(), 1200, TicMode.PMEPMI);
        assertThat(d.code()).isEqualTo(Code.WRONG_PARITY);
        assertThat(d.text()).contains("8N1 instead of 7E1", "stripParity=true");
    }

    @Test
    void checksumErrorsOnOneFrameInFourAreNoise() {
        byte[] capture = Corpus.bytes(Corpus.STANDARD_LAINS);
        byte[] noisy = capture.clone();
        int frame = 0;
        for (int i = 0; i < noisy.length; i++) {
            if (noisy[i] == 0x02 && frame++ % 4 == 0) {
                int digit = i;
                while (digit < noisy.length && (noisy[digit] < '0' || noisy[digit] > '9')) {
                    digit++;
                }
                if (digit < noisy.length) {
                    noisy[digit] ^= 0x01; // one bit flipped inside a value: '4' becomes '5'
                }
            }
        }
        LineDiagnosis d = diagnose(noisy, DecoderOptions.defaults(), 9600, TicMode.STANDARD);
        assertThat(d.code()).isEqualTo(Code.CHECKSUM_ERRORS);
        assertThat(d.text()).contains("failed their checksum", "noise");
    }

    @Test
    void aStandardMeterConfiguredHistoricHasSwitchedMode() {
        byte[] capture = Corpus.bytes(Corpus.STANDARD_LAINS);
        LineDiagnosis auto = diagnose(capture, DecoderOptions.defaults(), 0, TicMode.HISTORIC);
        assertThat(auto.code()).isEqualTo(Code.MODE_SWITCHED);
        assertThat(auto.text()).contains("sends standard-mode frames but is configured as historic");

        LineDiagnosis forced = diagnose(capture, DecoderOptions.defaults().withMode(TicMode.HISTORIC), 0, TicMode.HISTORIC);
        assertThat(forced.code()).isEqualTo(Code.MODE_SWITCHED);
    }

    @Test
    void anOpenPortWithoutAByteIsTheWiring() {
        LineDiagnosis d = diagnose(new byte[0], DecoderOptions.defaults(), 1200, TicMode.HISTORIC);
        assertThat(d.code()).isEqualTo(Code.NO_BYTES);
        assertThat(d.text()).contains("No byte at all", "wiring");
    }

    @Test
    void aPortThatCannotOpenSaysWhy() {
        LineSample closed = LineSample.of(null, OPENED, false, false, "cannot open serial port /dev/ttyUSB0", 0, 0);
        LineDiagnosis d = LineDiagnosis.of(closed, closed, TicMode.HISTORIC, null);
        assertThat(d.code()).isEqualTo(Code.CANNOT_OPEN);
        assertThat(d.text()).contains("/dev/ttyUSB0", "dialout");
    }
}
