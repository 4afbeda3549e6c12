package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.Corpus;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.TicMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = TicGatewayCli.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesFramesThatDecodeCleanly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pme.bin");
        assertThat(run("simulate", "pmepmi", "--frames", "25", "--out", file.toString())).isZero();
        Corpus.Decoded d = Corpus.decode(Files.readAllBytes(file), DecoderOptions.defaults());
        assertThat(d.frames()).hasSize(25);
        assertThat(d.frames()).allSatisfy(f -> assertThat(f.mode()).isEqualTo(TicMode.PMEPMI));
        assertThat(d.stats().framesRejectedTotal()).isZero();
    }

    @Test
    void sameSeedSameBytes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        Path other = dir.resolve("other.bin");
        String start = "2026-01-05T00:00:00Z";
        run("simulate", "historic-tri", "--frames", "5", "--seed", "7", "--start", start, "--out", a.toString());
        run("simulate", "historic-tri", "--frames", "5", "--seed", "7", "--start", start, "--out", b.toString());
        run("simulate", "historic-tri", "--frames", "5", "--seed", "8", "--start", start, "--out", other.toString());
        assertThat(Files.size(a)).isPositive();
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readAllBytes(other)).isNotEqualTo(Files.readAllBytes(a));
    }

    @Test
    void aMeterIdThatIsNotTwelveDigitsIsOneLine() {
        assertThat(run("simulate", "linky-standard", "--meter-id", "12", "--frames", "2")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("tic-gateway simulate: --meter-id: 12 digits expected, was '12'");
    }

    @Test
    void unknownFamilyIsOneLine() {
        assertThat(run("simulate", "gas")).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("tic-gateway simulate: unknown simulated meter 'gas'");
    }

    @Test
    void boundsThatMakeNoStreamAreOneLine() {
        assertThat(run("simulate", "pmepmi", "--frames", "-1")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("tic-gateway simulate: --frames: a number of frames, 0 for no end, was -1");
        assertThat(run("simulate", "pmepmi", "--start", "+999999999-12-31T23:59:59Z")).isEqualTo(2);
        assertThat(err.toString()).contains("--start: between 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z");
    }

    @Test
    void anEndlessStreamToStdoutEndsWhenItsReaderCloses() throws Exception {
        // `simulate linky-standard | head -c 100`: the reader goes, the writer must too (System.out never fails)
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Launcher.class.getName(), "simulate", "linky-standard").start();
        try {
            assertThat(p.getInputStream().readNBytes(100)).hasSize(100);
            p.getInputStream().close();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("ended with its reader").isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(new String(p.getErrorStream().readAllBytes())).contains("tic-gateway simulate: cannot write to stdout");
        } finally {
            p.destroyForcibly();
        }
    }
}
