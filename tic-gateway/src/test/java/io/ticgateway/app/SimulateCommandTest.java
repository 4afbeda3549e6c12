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
}
