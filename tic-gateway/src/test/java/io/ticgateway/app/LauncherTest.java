package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.DecodedJson;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The jar's entry point: a plain {@code decode} runs without picocli, Camel or Jackson, with the same output. */
class LauncherTest {

    @Test
    void plainDecodeCommandLinesOnly() {
        assertThat(Launcher.plainDecode(new String[] {"decode", "-"})).isEqualTo(new DecodeRun(null, false, false, "-"));
        assertThat(Launcher.plainDecode(new String[] {"decode", "--mode", "HISTORIC", "--lenient", "--strip-parity", "x"}))
                .isEqualTo(new DecodeRun(io.ticgateway.protocol.TicMode.HISTORIC, true, true, "x"));
        assertThat(Launcher.plainDecode(new String[] {"decode", "--mode=pmepmi", "x"}))
                .isEqualTo(new DecodeRun(io.ticgateway.protocol.TicMode.PMEPMI, false, false, "x"));
        assertThat(Launcher.plainDecode(new String[] {"decode", "--mode=auto", "x"}))
                .isEqualTo(new DecodeRun(null, false, false, "x"));
        for (String[] other : List.of(new String[] {"decode"}, new String[] {"decode", "--help"},
                new String[] {"decode", "--mode", "turbo", "x"}, new String[] {"decode", "x", "y"},
                new String[] {"decode", "--lenient", "--lenient", "x"}, new String[] {"decode", "--mode", "auto", "--mode",
                    "auto", "x"}, new String[] {"decode", "-x"}, new String[] {"decode", "--mode"},
                new String[] {"simulate", "x"}, new String[] {"--config", "x"}, new String[] {})) {
            assertThat(Launcher.plainDecode(other)).as(String.join(" ", other)).isNull();
        }
    }

    @Test
    void theLeanPathWritesWhatTheCommandWritesAndLoadsNoFramework(@TempDir Path dir) throws Exception {
        for (String sample : Samples.NAMES) {
            Path classes = dir.resolve(sample + "-classes.txt");
            Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load:file=" + classes, "-cp", System.getProperty("java.class.path"),
                    Launcher.class.getName(), "decode", "sample:" + sample)
                    .redirectError(dir.resolve(sample + ".err").toFile()).start();
            byte[] out = java.getInputStream().readAllBytes();
            assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(java.exitValue()).isZero();
            assertThat(Files.readString(dir.resolve(sample + ".err"))).contains("frames delivered: ");

            StringWriter viaPicocli = new StringWriter();
            CommandLine cli = TicGatewayCli.commandLine();
            cli.setOut(new PrintWriter(viaPicocli));
            cli.setErr(new PrintWriter(new StringWriter()));
            assertThat(cli.execute("decode", "sample:" + sample)).isZero();
            assertThat(lines(new String(out, StandardCharsets.UTF_8))).as(sample).isNotEmpty()
                    .isEqualTo(lines(viaPicocli.toString()));

            List<String> loaded = Files.readAllLines(classes);
            assertThat(loaded).as("classes loaded").anyMatch(line -> line.contains(DecodeRun.class.getName()))
                    .noneMatch(line -> line.contains(" picocli.") || line.contains(" org.apache.camel.")
                            || line.contains(" com.fasterxml.jackson.databind.") || line.contains(" org.slf4j."));
        }
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        text.lines().forEach(line -> lines.add(DecodedJson.withoutReceiveTime(line)));
        return lines;
    }

    @Test
    void otherCommandLinesGoToPicocli(@TempDir Path dir) throws IOException, InterruptedException {
        File err = dir.resolve("err").toFile();
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "decode", "--mode", "turbo", "x")
                .redirectError(err).start();
        java.getInputStream().readAllBytes();
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).isEqualTo(2);
        assertThat(Files.readString(err.toPath())).contains("--mode").contains("turbo").contains("(see --help)");
    }
}
