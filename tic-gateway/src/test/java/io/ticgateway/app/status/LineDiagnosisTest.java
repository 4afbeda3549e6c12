package io.ticgateway.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.Corpus.Decoded;
import io.ticgateway.UartLine;
import io.ticgateway.UartLine.Format;
import io.ticgateway.app.status.LineDiagnosis.Code;
import io.ticgateway.camel.TransportType;
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
    private static final long NOW = OPENED + WINDOW;

    /** An open serial port at {@code baud}, opened at OPENED, its last byte at {@code lastByteAt}. */
    private static LineState serial(int baud, long lastByteAt) {
        return new LineState(TransportType.serial, false, true, false, null, OPENED, lastByteAt, baud);
    }

    /** The same line on another transport, searching its speed or not. */
    private static LineState on(LineState line, TransportType transport, boolean speedSearch) {
        return new LineState(transport, speedSearch, line.open(), line.finished(), line.lastError(), line.openSince(),
                line.lastByteAt(), line.baudRate());
    }

    /** Decodes the bytes and diagnoses the window from the line's opening to their end, the last byte just read. */
    private static LineDiagnosis diagnose(byte[] received, DecoderOptions options, int baud, TicMode family) {
        return diagnose(received, options, serial(baud, received.length > 0 ? NOW : 0), NOW, family);
    }

    /** Decodes the bytes and diagnoses the window from the line's opening to {@code at}. */
    private static LineDiagnosis diagnose(byte[] received, DecoderOptions options, LineState line, long at,
                                          TicMode family) {
        Decoded decoded = Corpus.decode(received, options);
        LineSample older = LineSample.of(null, at - WINDOW, line);
        LineSample newer = LineSample.of(decoded.stats(), at, line);
        List<TicFrame> frames = decoded.frames();
        TicMode lastMode = frames.isEmpty() ? null : frames.get(frames.size() - 1).mode();
        return LineDiagnosis.of(older, newer, family, lastMode);
    }

    /** Every sentence of the text starts with a capital letter (texts are assembled from parts). */
    private static void assertSentences(LineDiagnosis d) {
        assertThat(d.text()).doesNotContainPattern("\\. [a-z]").doesNotContain("..").doesNotContain("  ");
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
        assertThat(d.text()).contains("looks like the other baud rate", "reads at 1200 Bd", "leave both out");
        assertSentences(d);
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
        LineState closed = new LineState(TransportType.serial, false, false, false,
                "cannot open serial port /dev/ttyUSB0", 0, 0, 0);
        LineDiagnosis d = diagnose(new byte[0], DecoderOptions.defaults(), closed, NOW, TicMode.HISTORIC);
        assertThat(d.code()).isEqualTo(Code.CANNOT_OPEN);
        assertThat(d.text()).contains("/dev/ttyUSB0", "/dev/serial/by-id/", "dialout");
        assertSentences(d);
    }

    @Test
    void aTcpBridgeOrACaptureThatCannotOpenSaysWhatToCheckThere() {
        assertThat(cannotOpen(TransportType.tcp, "Connection refused").text())
                .contains("TCP bridge cannot be reached: Connection refused", "host and port", "ser2net")
                .doesNotContain("dialout", "/dev/serial");
        assertThat(cannotOpen(TransportType.tcp,
                "source tcp:pi:2001 closed after 21 bytes and no frame: \"Port already in use\"").text())
                .contains("takes the connection and closes it", "Port already in use", "other client")
                .doesNotContain("cannot be reached", "firewall");
        assertThat(cannotOpen(TransportType.file, "NoSuchFileException: /captures/garage.raw").text())
                .contains("capture cannot be read", "/captures/garage.raw", "file's path")
                .doesNotContain("dialout", "/dev/serial", "adapter");
    }

    /** The diagnosis of a source of {@code transport} that is not open, {@code error} its last error. */
    private static LineDiagnosis cannotOpen(TransportType transport, String error) {
        LineDiagnosis d = diagnose(new byte[0], DecoderOptions.defaults(),
                new LineState(transport, false, false, false, error, 0, 0, 0), NOW, TicMode.STANDARD);
        assertThat(d.code()).isEqualTo(Code.CANNOT_OPEN);
        assertSentences(d);
        return d;
    }

    @Test
    void aSilentPortSearchingItsSpeedSaysNoByteAtEverySpeed() {
        // the reader closes and opens the port at each speed: the opening, and so the diagnosis, stays the same
        for (int baud : List.of(9600, 1200, 19200, 4800, 2400, 9600)) {
            LineState searching = on(serial(baud, 0), TransportType.serial, true);
            LineDiagnosis early = diagnose(new byte[0], DecoderOptions.defaults(), searching,
                    OPENED + LineDiagnosis.SILENCE_MILLIS - 2000, TicMode.STANDARD);
            assertThat(early.code()).isEqualTo(Code.STARTING);
            LineDiagnosis d = diagnose(new byte[0], DecoderOptions.defaults(), searching, OPENED + 60_000, TicMode.STANDARD);
            assertThat(d.code()).isEqualTo(Code.NO_BYTES);
            assertThat(d.text()).contains("No byte at all for 60 s", "wiring",
                    "tries 9600, 1200, 19200, 4800, 2400 Bd in turn (now " + baud + " Bd)");
            assertSentences(d);
        }
    }

    @Test
    void aLineCutAfterFramesSaysNoByteTenSecondsAfterTheLastAndCountsOn() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, E71, 9600, E71);
        long lastByte = OPENED + 20_000;
        LineState line = serial(9600, lastByte);
        LineDiagnosis before = diagnose(received, DecoderOptions.defaults(), line,
                lastByte + LineDiagnosis.SILENCE_MILLIS - 2000, TicMode.STANDARD);
        assertThat(before.code()).isEqualTo(Code.OK);
        // frames arrived within the window, and yet nothing for 10 s: the line is silent now
        LineDiagnosis cut = diagnose(received, DecoderOptions.defaults(), line, lastByte + 10_000, TicMode.STANDARD);
        assertThat(cut.code()).isEqualTo(Code.NO_BYTES);
        assertThat(cut.text()).contains("No byte at all for 10 s", "the line was cut");
        LineDiagnosis later = diagnose(received, DecoderOptions.defaults(), line, lastByte + 47_000, TicMode.STANDARD);
        assertThat(later.text()).contains("No byte at all for 47 s");
        assertSentences(later);
    }

    @Test
    void theOtherBaudRateAdviceFitsTheTransport() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, E71, 1200, E71);
        LineState port = serial(1200, NOW);

        LineDiagnosis searching = diagnose(received, DecoderOptions.defaults(), on(port, TransportType.serial, true), NOW,
                TicMode.STANDARD);
        assertThat(searching.code()).isEqualTo(Code.WRONG_SPEED);
        assertThat(searching.text()).contains("looks like the other baud rate", "tries 9600, 1200, 19200, 4800, 2400 Bd"
                + " in turn (now 1200 Bd)").doesNotContain("leave both out");
        assertSentences(searching);

        LineDiagnosis tcp = diagnose(received, DecoderOptions.defaults(), on(port, TransportType.tcp, false), NOW,
                TicMode.STANDARD);
        assertThat(tcp.code()).isEqualTo(Code.WRONG_SPEED);
        assertThat(tcp.text()).contains("looks like the other baud rate. The speed is the bridge's", "ser2net",
                "baudRate= does not apply to a TCP source").doesNotContain("The port reads", "leave both out");
        assertSentences(tcp);
    }

    @Test
    void aCaptureReplayedWithoutOneValidFrameIsAnError() {
        byte[] received = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, E71, 1200, E71);
        LineState replayed = new LineState(TransportType.file, false, false, true, null, OPENED, OPENED + 500, 0);
        LineDiagnosis d = diagnose(received, DecoderOptions.defaults(), replayed, NOW, TicMode.STANDARD);
        assertThat(d.code()).isEqualTo(Code.WRONG_SPEED);
        assertThat(d.code().level()).isEqualTo("error");
        assertThat(d.text()).startsWith("The capture was replayed to its end without one valid frame: ")
                .contains("looks like the other baud rate", "record it again");
        assertSentences(d);

        LineDiagnosis good = diagnose(Corpus.bytes(Corpus.STANDARD_LAINS), DecoderOptions.defaults(), replayed, NOW,
                TicMode.STANDARD);
        assertThat(good.code()).isEqualTo(Code.REPLAY_FINISHED);
    }
}
