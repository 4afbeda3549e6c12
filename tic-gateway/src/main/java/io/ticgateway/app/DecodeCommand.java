package io.ticgateway.app;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.RejectReason;
import io.ticgateway.protocol.ValidityPolicy;
import com.fasterxml.jackson.core.JsonEncoding;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code decode}: one JSON line per delivered frame on stdout, a summary on stderr. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decodes a raw TIC capture: one JSON line per frame on stdout, a summary on stderr.")
public final class DecodeCommand implements Callable<Integer> {

    @Option(names = "--mode", defaultValue = "auto",
            description = "auto, standard, historic or pmepmi (default: ${DEFAULT-VALUE})")
    io.ticgateway.camel.ModeOption mode;

    @Option(names = "--lenient", description = "Deliver the valid groups of damaged frames.")
    boolean lenient;

    @Option(names = "--strip-parity", description = "Mask bit 7 (a 7E1 line captured as 8N1).")
    boolean stripParity;

    @Parameters(index = "0", paramLabel = "FILE|-",
            description = "Capture file, '-' for stdin, or 'sample:linky-standard|linky-historic|pmepmi'.")
    String input;

    @Spec
    CommandSpec spec;

    /**
     * Where the JSON lines go as UTF-8 bytes (set by {@link TicGatewayCli#main}: stdout's file descriptor,
     * past the char-to-byte layers of picocli's writer); null: picocli's writer (tests, embedding).
     */
    OutputStream stdout;

    @Override
    public Integer call() throws IOException {
        DecoderOptions options = DecoderOptions.defaults().withMode(mode.mode())
                .withPolicy(lenient ? ValidityPolicy.LENIENT : ValidityPolicy.STRICT).withStripParity(stripParity);
        PrintWriter err = spec.commandLine().getErr();
        try (InputStream in = open(input)) {
            // one generator for the whole stream: each frame written straight into the buffer, one line each
            JsonGenerator json = stdout != null
                    ? ReadingJson.mapper().createGenerator(new BufferedOutputStream(stdout, 1 << 16), JsonEncoding.UTF8)
                    : ReadingJson.mapper().createGenerator(new BufferedWriter(spec.commandLine().getOut(), 1 << 16));
            json.setRootValueSeparator(null);
            MeterStream stream = new MeterStream(options, null, reading -> writeLine(json, reading), rejection -> { });
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                stream.feed(buffer, 0, n);
            }
            stream.endOfInput();
            json.flush(); // and the buffer and stream under it
            err.println(summary(stream.stats()));
            if (!stream.interpreter().unknownLabels().isEmpty()) {
                err.println("unknown labels (kept as text): " + stream.interpreter().unknownLabels());
            }
            DecoderStats stats = stream.stats();
            if (stats.bytesRead() == 0) {
                err.println("tic-gateway decode: the input is empty");
                err.flush();
                return 1;
            }
            if (stats.framesDelivered() == 0) {
                err.println("tic-gateway decode: no valid frame in " + stats.bytesRead() + " bytes: " + noFrameHint(stats));
                err.flush();
                return 1;
            }
            err.flush();
            return 0;
        } catch (NoSuchFileException e) {
            err.println("tic-gateway decode: no such file: " + e.getFile()
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
            return 1;
        } catch (UncheckedIOException e) {
            err.println("tic-gateway decode: cannot write output: " + e.getCause().getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tic-gateway decode: cannot read " + input + ": " + (Files.isDirectory(Path.of(input))
                    ? "a directory" : e.getMessage()));
            return 1;
        }
    }

    private static InputStream open(String input) throws IOException {
        if ("-".equals(input)) {
            return System.in;
        }
        if (input.startsWith("sample:")) {
            InputStream sample = Samples.open(input.substring("sample:".length()));
            if (sample == null) {
                throw new NoSuchFileException(input, null, "the samples are " + String.join(", ", Samples.NAMES));
            }
            return sample;
        }
        return Files.newInputStream(Path.of(input));
    }

    private static void writeLine(JsonGenerator json, MeterReading reading) {
        try {
            ReadingJson.write(reading, json);
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String noFrameHint(DecoderStats stats) {
        if (stats.framesRejected(RejectReason.WRONG_MODE) > 0) {
            return "the frames are not in mode " + mode + " (try --mode auto)";
        }
        return "not a TIC capture, or one read at the wrong speed (noise), or a 7E1 line captured as 8N1"
                + (stripParity ? "" : " (try --strip-parity)");
    }

    /** The framing deviations read past ({@code stray_cr 200, lf_before_etx 0}). */
    private static String tolerations(DecoderStats stats) {
        StringJoiner out = new StringJoiner(", ");
        stats.tolerations().forEach((tolerance, count) -> out.add(tolerance.name().toLowerCase() + " " + count));
        return out.toString();
    }

    /** One line: frames delivered and rejections by reason. */
    static String summary(DecoderStats stats) {
        StringJoiner frames = new StringJoiner(", ");
        StringJoiner groups = new StringJoiner(", ");
        for (RejectReason reason : RejectReason.values()) {
            frames.add(reason.name().toLowerCase() + " " + stats.framesRejected(reason));
            groups.add(reason.name().toLowerCase() + " " + stats.groupsRejected(reason));
        }
        return "frames delivered: " + stats.framesDelivered() + " (with rejected groups: "
                + stats.framesDeliveredDamaged() + "); frames rejected: " + frames + "; groups rejected: " + groups
                + "; bytes read: " + stats.bytesRead() + "; frames delivered despite " + tolerations(stats);
    }
}
