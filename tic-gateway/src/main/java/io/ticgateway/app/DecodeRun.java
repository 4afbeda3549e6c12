package io.ticgateway.app;

import io.ticgateway.meter.CanonicalJsonLines;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.RejectReason;
import io.ticgateway.protocol.TicBytes;
import io.ticgateway.protocol.TicMode;
import io.ticgateway.protocol.ValidityPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * The work of {@code decode}, free of the command-line library: one canonical JSON line per delivered
 * frame, a summary and the errors on {@code err}. Used by {@link DecodeCommand} and by the jar's lean
 * path ({@link Launcher}), which starts it without loading picocli.
 *
 * @param mode        the family, or null to detect it on every frame
 * @param lenient     deliver the valid groups of damaged frames
 * @param stripParity mask bit 7
 * @param input       a file, {@code -} for stdin, or {@code sample:<name>}
 */
record DecodeRun(TicMode mode, boolean lenient, boolean stripParity, String input) {

    /** Decodes the input; the JSON lines as UTF-8 to {@code out}. Returns the exit status. */
    int run(OutputStream out, PrintWriter err) {
        if (input.isBlank()) { // an empty path names the working directory
            err.println("tic-gateway decode: no input given (a file, - for standard input, or sample:<family>)");
            err.flush();
            return 2;
        }
        DecoderOptions options = DecoderOptions.defaults().withMode(mode)
                .withPolicy(lenient ? ValidityPolicy.LENIENT : ValidityPolicy.STRICT).withStripParity(stripParity);
        try (InputStream in = open(input)) {
            CanonicalJsonLines json = new CanonicalJsonLines(out);
            MeterStream stream = new MeterStream(options, null, reading -> writeLine(json, reading), rejection -> { });
            stream.onFrameNotInterpreted((frame, failure) -> {
                if (stream.framesNotInterpreted() == 1) {
                    err.println("tic-gateway decode: a frame could not be interpreted, left out (" + failure
                            + "); further ones are counted in the summary");
                }
            });
            byte[] buffer = new byte[1 << 16];
            int n;
            LineEndings head = new LineEndings();
            while ((n = in.read(buffer)) > 0) {
                head.count(buffer, n);
                stream.feed(buffer, 0, n);
            }
            stream.endOfInput();
            json.flush();
            return summarise(stream, err, head.cookedTty());
        } catch (NoSuchFileException e) {
            err.println("tic-gateway decode: no such file: " + e.getFile()
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
            err.flush();
            return 1;
        } catch (UncheckedIOException e) {
            err.println("tic-gateway decode: cannot write output: " + e.getCause().getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("tic-gateway decode: cannot read " + input + ": " + (Files.isDirectory(Path.of(input))
                    ? "a directory" : e.getMessage()));
            err.flush();
            return 1;
        }
    }

    private int summarise(MeterStream stream, PrintWriter err, boolean cookedTty) {
        DecoderStats stats = stream.stats();
        long notInterpreted = stream.framesNotInterpreted();
        err.println(summary(stats, notInterpreted));
        if (!stream.interpreter().unknownLabels().isEmpty()) {
            err.println("unknown labels (kept as text): " + stream.interpreter().unknownLabels());
        }
        int status = 0;
        if (stats.bytesRead() == 0) {
            err.println("tic-gateway decode: the input is empty");
            status = 1;
        } else if (stats.framesDelivered() == 0) {
            err.println("tic-gateway decode: no valid frame in " + stats.bytesRead() + " bytes: "
                    + noFrameHint(stats, cookedTty));
            status = 1;
        } else if (stats.framesDelivered() == notInterpreted) {
            err.println("tic-gateway decode: none of the " + notInterpreted + " valid frames could be interpreted");
            status = 1;
        }
        err.flush();
        return status;
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

    private static void writeLine(CanonicalJsonLines json, io.ticgateway.meter.MeterReading reading) {
        try {
            json.write(reading);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The frame and line bytes of the input's first 4 KB, however it is read. */
    private static final class LineEndings {
        private static final int HEAD = 4096;
        private int seen;
        private int stx;
        private int lf;
        private int crOrEtx;

        void count(byte[] data, int n) {
            for (int i = 0; i < n && seen < HEAD; i++, seen++) {
                switch (data[i] & 0x7F) {
                    case TicBytes.STX -> stx++;
                    case TicBytes.LF -> lf++;
                    case TicBytes.CR, TicBytes.ETX -> crOrEtx++;
                    default -> { }
                }
            }
        }

        /**
         * Frames begun (STX) and lines (LF) but no CR and no ETX: what a terminal in cooked mode leaves of TIC,
         * each CR turned into LF and ETX (Ctrl-C) taken as an interrupt.
         */
        boolean cookedTty() {
            return stx > 0 && lf >= 8 && crOrEtx == 0;
        }
    }

    private String noFrameHint(DecoderStats stats, boolean cookedTty) {
        if (stats.framesRejected(RejectReason.WRONG_MODE) > 0) {
            return "the frames are not in mode " + (mode == null ? "auto" : mode.id()) + " (try --mode auto)";
        }
        if (cookedTty) {
            return "no CR and no ETX: a capture through a terminal in cooked mode (each CR became LF, ETX was taken as"
                    + " Ctrl-C); record the port raw (stty -F <device> raw, then cat), or with the tic: source's"
                    + " recordDir option";
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

    /** One line: frames delivered (the valid ones whose interpretation failed aside) and rejections by reason. */
    static String summary(DecoderStats stats, long notInterpreted) {
        StringJoiner frames = new StringJoiner(", ");
        StringJoiner groups = new StringJoiner(", ");
        for (RejectReason reason : RejectReason.values()) {
            frames.add(reason.name().toLowerCase() + " " + stats.framesRejected(reason));
            groups.add(reason.name().toLowerCase() + " " + stats.groupsRejected(reason));
        }
        return "frames delivered: " + (stats.framesDelivered() - notInterpreted) + " (with rejected groups: "
                + stats.framesDeliveredDamaged() + (notInterpreted > 0 ? "; valid but not interpreted, left out: "
                + notInterpreted : "") + "); frames rejected: " + frames + "; groups rejected: " + groups
                + "; bytes read: " + stats.bytesRead() + "; frames delivered despite " + tolerations(stats);
    }
}
