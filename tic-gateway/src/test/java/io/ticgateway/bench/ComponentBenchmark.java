package io.ticgateway.bench;

import io.ticgateway.Corpus;
import io.ticgateway.GeneratedStreams;
import io.ticgateway.camel.TicEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code tic:file:...?pace=asap} into a no-op route: the time to deliver every frame of a large capture as
 * exchanges. frames/s = frames per operation (printed at setup) / seconds per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6)
@Measurement(iterations = 10)
@Fork(1)
public class ComponentBenchmark {

    private Path capture;
    private long framesPerOp;
    private CamelContext context;
    private TicEndpoint endpoint;
    private final LongAdder routed = new LongAdder();

    @Setup(Level.Trial)
    public void writeCapture() throws IOException {
        capture = Files.createTempFile("tic-bench", ".bin");
        byte[] standard = Corpus.bytes(Corpus.STANDARD_LAINS);
        byte[] tri = GeneratedStreams.standardTriProducerStream(10);
        byte[] historic = Corpus.bytes(Corpus.CBEMM_3);
        byte[] pme = Corpus.bytes(Corpus.PMEPMI);
        try (OutputStream out = Files.newOutputStream(capture)) {
            for (int i = 0; i < 400; i++) {
                out.write(standard);
                out.write(tri);
                out.write(historic);
                out.write(pme);
            }
        }
        framesPerOp = 400L * (12 + 10 + 198 + 21);
        System.out.printf("%n[tic:file] %d bytes, %d frames per operation%n", Files.size(capture), framesPerOp);
    }

    @Setup(Level.Iteration)
    public void createRoute() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tic:file:" + capture + "?pace=asap").routeId("bench").autoStartup(false)
                        .process(e -> routed.increment());
            }
        });
        context.start();
        endpoint = context.getEndpoint("tic:file:" + capture + "?pace=asap", TicEndpoint.class);
    }

    @Benchmark
    public long replayWholeCapture() throws Exception {
        context.getRouteController().startRoute("bench");
        while (!endpoint.getStatistics().isFinished()) {
            Thread.sleep(1); // leaves the only core to the reader thread
        }
        return endpoint.getStatistics().getFramesDelivered();
    }

    @TearDown(Level.Iteration)
    public void stopContext() {
        if (endpoint.getStatistics().getFramesDelivered() != framesPerOp) {
            throw new IllegalStateException("expected " + framesPerOp + " frames, got "
                    + endpoint.getStatistics().getFramesDelivered());
        }
        context.stop();
    }

    @TearDown(Level.Trial)
    public void deleteCapture() throws IOException {
        Files.deleteIfExists(capture);
    }
}
