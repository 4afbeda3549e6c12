package io.ticgateway.bench;

import io.ticgateway.meter.CanonicalJsonLines;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameDecoder;
import io.ticgateway.protocol.FrameListener;
import io.ticgateway.protocol.Rejection;
import io.ticgateway.protocol.TicFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code decode}'s time goes, frame by frame: a capture decoded only, then decoded and interpreted, then
 * also written as canonical JSON (to nowhere), each stage over the whole file in this JVM; thread CPU µs per
 * frame, minimum of {@code rounds} runs of each, interleaved. Run it under the JVM flags to study (the
 * service's: {@code -XX:+UseSerialGC -XX:TieredStopAtLevel=1}) with a heap that holds the file:
 * <pre>
 * source .ci/bench-classpath   # then from tic-gateway/
 * java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx512m -Xmn16m -cp "$cp" io.ticgateway.bench.DecodeStagesBench \
 *     ../target/decode-bench/linky-historic.bin 5
 * </pre>
 * (the inputs are those of {@code .ci/bench-decode}).
 */
public final class DecodeStagesBench {

    private static final int CHUNK = 1 << 16;

    private DecodeStagesBench() {
    }

    public static void main(String[] args) throws IOException {
        byte[] capture = Files.readAllBytes(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long frames = 0;
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < 3; s++) {
                int stage = s;
                long[] count = new long[1];
                long cpu = cpuNanos(() -> run(capture, stage, count));
                best[stage] = Math.min(best[stage], cpu / 1e3 / count[0]);
                frames = count[0];
            }
        }
        System.out.println("| capture | frames | decoding | interpreting | writing JSON | µs per frame |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf("| %s | %,d | %.2f | %.2f | %.2f | %.2f |%n", Path.of(args[0]).getFileName(), frames, best[0],
                best[1] - best[0], best[2] - best[1], best[2]);
    }

    /** Stage 0: frames only; 1: readings; 2: readings and their JSON lines. */
    private static void run(byte[] capture, int stage, long[] count) {
        if (stage == 0) {
            FrameDecoder decoder = new FrameDecoder(new FrameListener() {
                @Override
                public void onFrame(TicFrame frame) {
                    count[0]++;
                }

                @Override
                public void onRejection(Rejection rejection) {
                }
            }, DecoderOptions.defaults());
            for (int at = 0; at < capture.length; at += CHUNK) {
                decoder.feed(capture, at, Math.min(CHUNK, capture.length - at));
            }
            return;
        }
        CanonicalJsonLines json = new CanonicalJsonLines(OutputStream.nullOutputStream());
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, reading -> {
            count[0]++;
            if (stage == 2) {
                try {
                    json.write(reading);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, rejection -> { });
        for (int at = 0; at < capture.length; at += CHUNK) {
            stream.feed(capture, at, Math.min(CHUNK, capture.length - at));
        }
    }

    private static long cpuNanos(Runnable work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        work.run();
        return threads.getCurrentThreadCpuTime() - start;
    }
}
