package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.Corpus;
import io.ticgateway.meter.ReadingJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DecodeCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = TicGatewayCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesOneJsonLinePerFrameAndASummary(@TempDir Path dir) throws Exception {
        Path capture = dir.resolve("eot.bin");
        Files.write(capture, Corpus.bytes(Corpus.PMEPMI_EOT));
        assertThat(run("decode", capture.toString())).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(20);
        JsonNode first = ReadingJson.mapper().readTree(lines[0]);
        assertThat(first.get("meter").asText()).isEqualTo("041436028024");
        assertThat(first.get("mode").asText()).isEqualTo("pmepmi");
        assertThat(err.toString()).contains("frames delivered: 20").contains("interrupted 1").contains("truncated 1");
    }

    @Test
    void bundledSamplesAndForcedMode() {
        assertThat(run("decode", "--mode", "HISTORIC", "sample:linky-standard")).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("frames delivered: 0").contains("wrong_mode 12")
                .contains("no valid frame in").contains("not in mode historic (try --mode auto)");
    }

    @Test
    void lenientModeIsAccepted() {
        assertThat(run("decode", "--lenient", "sample:linky-historic")).isZero();
        assertThat(out.toString().split("\n")).hasSize(10);
    }

    @Test
    void missingFileGivesOneLineAndNonZeroStatus() {
        assertThat(run("decode", "/nonexistent/capture.bin")).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo("tic-gateway decode: no such file: /nonexistent/capture.bin");
    }

    @Test
    void anUnknownSampleListsTheSamples() {
        assertThat(run("decode", "sample:nope")).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo(
                "tic-gateway decode: no such file: sample:nope (the samples are linky-standard, linky-historic, pmepmi)");
    }

    @Test
    void bytesWithNoFrameFailWithAHint(@TempDir Path dir) throws Exception {
        Path noise = dir.resolve("noise.bin");
        byte[] bytes = new byte[5000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(noise, bytes);
        assertThat(run("decode", noise.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("frames delivered: 0")
                .contains("no valid frame in 5000 bytes").contains("try --strip-parity");
    }

    @Test
    void aCaptureThroughACookedTerminalIsNamedSo(@TempDir Path dir) throws Exception {
        // CR turned into LF, ETX (Ctrl-C) gone: no frame, and the hint says how it was recorded
        Path capture = Files.write(dir.resolve("cooked.bin"), Corpus.bytes(Corpus.HISTORIC_TRI_COOKED));
        assertThat(run("decode", capture.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no valid frame in").contains("terminal in cooked mode")
                .doesNotContain("try --strip-parity");
        // read a few bytes at a time, as `cat /dev/ttyUSB0 | decode -` gives them: the same hint
        err.getBuffer().setLength(0);
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.FilterInputStream(new java.io.ByteArrayInputStream(Files.readAllBytes(capture))) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    return super.read(b, off, Math.min(len, 7));
                }
            });
            assertThat(run("decode", "-")).isEqualTo(1);
        } finally {
            System.setIn(stdin);
        }
        assertThat(err.toString()).contains("terminal in cooked mode");
    }

    @Test
    void anEmptyInputOrADirectoryFailsWithOneLine(@TempDir Path dir) throws Exception {
        assertThat(run("decode", Files.createFile(dir.resolve("empty.bin")).toString())).isEqualTo(1);
        assertThat(err.toString().trim()).endsWith("tic-gateway decode: the input is empty");
        err.getBuffer().setLength(0);
        assertThat(run("decode", dir.toString())).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo("tic-gateway decode: cannot read " + dir + ": a directory");
        err.getBuffer().setLength(0);
        assertThat(run("decode", "")).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("tic-gateway decode: no input given");
    }

    @Test
    void theSummaryCountsTheDeviationsReadPast() throws Exception {
        assertThat(run("decode", "sample:linky-standard")).isZero();
        assertThat(err.toString()).contains("frames delivered despite stray_cr 0, lf_before_etx 0");
    }

    @Test
    void badOptionGivesOneLineAndNonZeroStatus() {
        assertThat(run("decode", "--mode", "turbo", "x.bin")).isEqualTo(2);
        assertThat(err.toString().trim().lines().count()).isEqualTo(1);
        assertThat(err.toString()).contains("--mode").contains("turbo");
    }

    /** The jar's own path (UTF-8 bytes straight to stdout) writes what picocli's writer gets, accents included. */
    @Test
    void bytesToStdoutAreTheSameLines() throws Exception {
        for (String sample : Samples.NAMES) {
            assertThat(run("decode", "sample:" + sample)).isZero();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            CommandLine cli = TicGatewayCli.commandLine();
            ((DecodeCommand) cli.getSubcommands().get("decode").getCommand()).stdout = bytes;
            cli.setErr(new PrintWriter(new StringWriter()));
            assertThat(cli.execute("decode", "sample:" + sample)).isZero();
            java.util.List<String> viaBytes = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(io.ticgateway.DecodedJson::withoutReceiveTime).toList();
            assertThat(viaBytes).as(sample).isNotEmpty()
                    .isEqualTo(out.toString().lines().map(io.ticgateway.DecodedJson::withoutReceiveTime).toList());
            out.getBuffer().setLength(0);
        }
        assertThat(run("decode", "sample:linky-standard")).isZero();
        assertThat(out.toString()).contains("activée");
    }
}
