package io.ticgateway.bench;

import io.ticgateway.Corpus;
import io.ticgateway.GeneratedStreams;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameDecoder;
import io.ticgateway.protocol.TicFrame;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoder throughput on a large stream of real frames. One operation decodes the whole stream
 * ({@link #STREAM_BYTES} bytes, printed at setup); MB/s = ops/s × size. Run with {@code .ci/bench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark {

    /** Size of the stream decoded per operation. */
    public static final int STREAM_BYTES = 8 << 20;

    @Param({"standard", "historic", "pmepmi"})
    public String family;

    private byte[] stream;
    private int frames;

    @Setup
    public void setUp() {
        byte[] unit = switch (family) {
            case "standard" -> concat(Corpus.bytes(Corpus.STANDARD_LAINS), GeneratedStreams.standardTriProducerStream(4));
            case "historic" -> concat(Corpus.bytes(Corpus.CBEMM_3), Corpus.bytes(Corpus.HISTORIC_TEMPO));
            default -> Corpus.bytes(Corpus.PMEPMI);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(STREAM_BYTES + unit.length);
        while (out.size() < STREAM_BYTES) {
            out.writeBytes(unit);
        }
        stream = java.util.Arrays.copyOf(out.toByteArray(), STREAM_BYTES);
        int[] count = {0};
        FrameDecoder decoder = new FrameDecoder(f -> count[0]++);
        decoder.feed(stream);
        frames = count[0];
        System.out.printf("%n[%s] stream %d bytes, %d frames per operation%n", family, stream.length, frames);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Framing and checksums: bytes to frames (one array copy per frame). */
    @Benchmark
    public void framing(Blackhole bh) {
        FrameDecoder decoder = new FrameDecoder((TicFrame f) -> bh.consume(f), DecoderOptions.defaults(), () -> 0L);
        decoder.feed(stream, 0, stream.length);
        bh.consume(decoder.stats().framesDelivered());
    }

    /** Framing, checksums and interpretation to typed values. */
    @Benchmark
    public void decodeAndInterpret(Blackhole bh) {
        MeterStream meter = new MeterStream(DecoderOptions.defaults(), null, (MeterReading r) -> bh.consume(r),
                r -> { }, () -> 0L);
        meter.feed(stream, 0, stream.length);
        bh.consume(meter.stats().framesDelivered());
    }
}
