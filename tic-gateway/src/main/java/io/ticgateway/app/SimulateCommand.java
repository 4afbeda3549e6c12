package io.ticgateway.app;

import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code simulate}: writes a simulated meter's bytes to a file, a pseudo-terminal or stdout. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Writes the frames of a simulated meter to a file, a tty (e.g. one end of a socat pty pair) or stdout.")
public final class SimulateCommand implements Callable<Integer> {

    private static final java.time.Instant FIRST_START = java.time.Instant.parse("2000-01-01T00:00:00Z");
    private static final java.time.Instant END = java.time.Instant.parse("2100-01-01T00:00:00Z");

    @Parameters(index = "0", paramLabel = "FAMILY",
            description = "linky-standard, linky-standard-tri, linky-producer, linky-historic, historic-tri or pmepmi")
    String family;

    @Option(names = "--out", defaultValue = "-", description = "File or tty to write to, '-' for stdout (default).")
    String out;

    @Option(names = "--frames", defaultValue = "0", description = "Frames to write; 0 = until stopped (default).")
    long frames;

    @Option(names = "--realtime", description = "Write at the family's baud rate, as a meter does.")
    boolean realtime;

    @Option(names = "--meter-id", description = "Meter identity (12 digits).")
    String meterId;

    @Option(names = "--seed", defaultValue = "1",
            description = "Random seed: the same seed and start give the same bytes.")
    long seed;

    @Option(names = "--start", description = "Meter time of the first frame (ISO instant, e.g. 2026-01-05T00:00:00Z);"
            + " now by default.")
    java.time.Instant start;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        MeterSimulator simulator;
        try {
            if (meterId != null && !meterId.matches("\\d{12}")) {
                throw new IllegalArgumentException("--meter-id: 12 digits expected, was '" + meterId + "'");
            }
            if (frames < 0) {
                throw new IllegalArgumentException("--frames: a number of frames, 0 for no end, was " + frames);
            }
            if (start != null && (start.isBefore(FIRST_START) || !start.isBefore(END))) {
                // the meters send two-digit years
                throw new IllegalArgumentException("--start: between " + FIRST_START + " and " + END + ", was " + start);
            }
            long startMillis = start != null ? start.toEpochMilli() : System.currentTimeMillis();
            simulator = new MeterSimulator(SimulatedFamily.of(family), meterId, 0, startMillis, seed);
        } catch (IllegalArgumentException e) { // an unknown family, a meter id that is not 12 digits, a bad bound
            err.println("tic-gateway simulate: " + e.getMessage());
            err.flush();
            return 2;
        }
        long start = System.nanoTime();
        long bytes = 0;
        // stdout as a stream that fails (System.out swallows errors): `simulate ... | head` ends with the pipe
        boolean stdout = "-".equals(out);
        try (OutputStream sink = new BufferedOutputStream(stdout ? new FileOutputStream(FileDescriptor.out)
                : new FileOutputStream(out))) {
            for (long n = 0; frames == 0 || n < frames; n++) {
                byte[] frame = simulator.nextFrame();
                sink.write(frame);
                bytes += frame.length;
                if (realtime) {
                    sink.flush();
                    long due = start + bytes * 10L * 1_000_000_000L / simulator.baudRate();
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (IOException e) {
            err.println("tic-gateway simulate: cannot write to " + (stdout ? "stdout" : out) + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        return 0;
    }
}
