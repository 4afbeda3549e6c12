package io.ticgateway.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.DecodedJson;
import io.ticgateway.peers.PtyPair;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serial transport against socat pseudo-terminal pairs: real ttys, real jSerialComm, no mock. */
class TicSerialPtyTest extends TicRouteTestBase {

    @TempDir
    Path dir;

    private TicEndpoint start(String uri) throws Exception {
        TicEndpoint endpoint = startRoute(uri);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getStatistics().isConnected());
        return endpoint;
    }

    private static byte[] firstFrames(byte[] capture, int frames) {
        int stx = -1;
        int etxCount = 0;
        for (int i = 0; i < capture.length; i++) {
            if (capture[i] == 0x02 && stx < 0) {
                stx = i;
            }
            if (capture[i] == 0x03 && stx >= 0 && ++etxCount == frames) {
                return Arrays.copyOfRange(capture, stx, i + 1);
            }
        }
        throw new IllegalArgumentException("capture has fewer frames");
    }

    private void assertSameAsDecode(byte[] bytes) {
        List<String> expected = DecodedJson.decodeJson(bytes);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= expected.size());
        assertThat(received.stream().map(e -> DecodedJson.withoutReceiveTime(e.getMessage().getBody(String.class)))
                .toList()).isEqualTo(expected);
    }

    @Test
    void aRouteRemovedAndAddedBackReadsItsPortAgain() throws Exception {
        PtyPair line = new PtyPair(dir).start();
        String uri = "tic:serial:" + line.gatewayEnd() + "?mode=standard";
        start(uri);
        context.getRouteController().stopRoute("meter-0");
        assertThat(context.removeRoute("meter-0")).isTrue();
        // the same line, opened again at 7E1: a pty refuses 7E1 set a second time (EINVAL) until 8N1 was set between
        try {
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(uri + "&name=again").routeId("again").process(received::add);
                }
            });
            TicEndpoint again = context.getEndpoint(uri + "&name=again", TicEndpoint.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> again.getStatistics().isConnected());
            byte[] bytes = firstFrames(Corpus.bytes(Corpus.STANDARD_LAINS), 2);
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                PtyPair.writePaced(meter, bytes, 9600);
                assertSameAsDecode(bytes);
            }
        } finally {
            line.close();
        }
    }

    @Test
    void aPathThatIsNoSerialDeviceIsNamedSo() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("not-a-tty.bin"), "x");
        TicEndpoint endpoint = startRoute("tic:serial:" + file + "?mode=standard");
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getStatistics().getLastError() != null);
        assertThat(endpoint.getStatistics().getLastError())
                .startsWith("cannot open serial port " + file + " (not a serial device; jSerialComm error ");
    }

    @Test
    void standardMeterAt9600Baud() throws Exception {
        try (PtyPair line = new PtyPair(dir).start()) {
            TicEndpoint endpoint = start("tic:serial:" + line.gatewayEnd() + "?mode=standard");
            assertThat(endpoint.getStatistics().getBaudRate()).isEqualTo(9600);
            byte[] bytes = firstFrames(Corpus.bytes(Corpus.STANDARD_LAINS), 3);
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                PtyPair.writePaced(meter, bytes, 9600);
                assertSameAsDecode(bytes);
            }
        }
    }

    @Test
    void historicMeterAt1200BaudWithAutoMode() throws Exception {
        try (PtyPair line = new PtyPair(dir).start()) {
            start("tic:serial:" + line.gatewayEnd() + "?baudRate=1200");
            byte[] bytes = firstFrames(Corpus.bytes(Corpus.HISTORIC_TEMPO), 3);
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                PtyPair.writePaced(meter, bytes, 1200);
                assertSameAsDecode(bytes);
            }
        }
    }

    @Test
    void unplugAndReplugResumeTheFramesAndCountTheReconnect() throws Exception {
        byte[] frame = Corpus.bytes(Corpus.STANDARD_GOTELEINFO);
        ByteArrayOutputStream ten = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            ten.writeBytes(frame);
        }
        PtyPair line = new PtyPair(dir).start();
        try {
            TicEndpoint endpoint = start("tic:serial:" + line.gatewayEnd()
                    + "?mode=standard&reconnectDelay=200&maxReconnectDelay=1000");
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = meterWriter(line, ten.toByteArray(), writing);
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
            line.unplug(); // mid-stream
            writing.set(false);
            writer.join(5_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> !endpoint.getStatistics().isConnected());
            int beforeReplug = received.size();

            line = new PtyPair(dir).start(); // same paths
            await().atMost(Duration.ofSeconds(15)).until(() -> endpoint.getStatistics().isConnected());
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                PtyPair.writePaced(meter, ten.toByteArray(), 9600);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= beforeReplug + 8);
            assertThat(endpoint.getStatistics().getReconnects()).isGreaterThanOrEqualTo(1);
            assertThat(endpoint.getStatistics().getRoutingFailures()).isZero();
            assertThat(context.getRouteController().getRouteStatus("meter-0").isStarted()).isTrue();
            assertThat(received).allSatisfy(e ->
                    assertThat(e.getMessage().getHeader(TicConstants.METER_ID)).isEqualTo("12345678900"));
        } finally {
            line.close();
        }
    }

    private static Thread meterWriter(PtyPair line, byte[] bytes, AtomicBoolean writing) {
        Thread t = new Thread(() -> {
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                while (writing.get()) {
                    PtyPair.writePaced(meter, bytes, 9600);
                }
            } catch (IOException | InterruptedException e) {
                // the line was unplugged under the writer: expected
            }
        }, "meter-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aSilentPortSearchingItsSpeedIsNotReadyAfterNoDataTimeout() throws Exception {
        try (PtyPair line = new PtyPair(dir).start()) {
            TicEndpoint endpoint = start("tic:serial:" + line.gatewayEnd() + "?baudDetectTimeout=300&noDataTimeout=1500");
            long opened = endpoint.getStatistics().getConnectedSince();
            Set<Integer> speeds = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                speeds.add(endpoint.getStatistics().getBaudRate());
                assertThat(speeds).as("speeds tried").hasSizeGreaterThanOrEqualTo(3);
                HealthCheck.Result ready = readiness(0);
                assertThat(ready.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(ready.getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("no valid frame in the last"));
            });
            // the search goes on, within the same opening
            int now = endpoint.getStatistics().getBaudRate();
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getStatistics().getBaudRate() != now);
            assertThat(endpoint.getStatistics().isConnected()).isTrue();
            assertThat(endpoint.getStatistics().getConnectedSince()).isEqualTo(opened);
            assertThat(readiness(0).getState()).isEqualTo(HealthCheck.State.DOWN);
        }
    }

    @Test
    void autoModeTriesTheNextSpeedUntilValidFramesArrive() throws Exception {
        try (PtyPair line = new PtyPair(dir).start()) {
            TicEndpoint endpoint = start("tic:serial:" + line.gatewayEnd() + "?baudDetectTimeout=400");
            assertThat(endpoint.getStatistics().getBaudRate()).isEqualTo(9600);
            // nothing valid arrives: the reader moves on to the next speeds
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getStatistics().getBaudRate() != 9600);
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                byte[] bytes = firstFrames(Corpus.bytes(Corpus.HISTORIC_TEMPO), 2);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    PtyPair.writePaced(meter, bytes, 19200); // on a pty any speed reads: the first open gets them
                    return !received.isEmpty();
                });
                int settled = endpoint.getStatistics().getBaudRate();
                // kept once frames are valid: the speed holds for longer than the detection timeout, three times over
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                        .until(() -> endpoint.getStatistics().getBaudRate() == settled);
            }
            assertThat(endpoint.getStatistics().getReconnects()).as("a speed change is no reconnection").isZero();
        }
    }
}
