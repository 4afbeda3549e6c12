package io.ticgateway.app;

import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code decode}: one JSON line per delivered frame on stdout, a summary on stderr (the work: {@link DecodeRun}). */
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
    public Integer call() {
        DecodeRun run = new DecodeRun(mode.mode(), lenient, stripParity, input);
        return run.run(stdout != null ? stdout : new LinesToWriter(spec.commandLine().getOut()),
                spec.commandLine().getErr());
    }

    /** UTF-8 bytes to a writer; {@link DecodeRun}'s output hands over whole lines only, so no character is split. */
    private static final class LinesToWriter extends OutputStream {
        private final Writer writer;

        LinesToWriter(Writer writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            writer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            writer.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws java.io.IOException {
            writer.flush();
        }
    }
}
