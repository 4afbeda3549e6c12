package io.ticgateway.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.LogLines;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the consumer says of its source: one line per outage or opening (not per pass of a looping capture),
 * or with {@code bridgeErrorHandler=true} the outage handed to the route's error handler instead.
 */
class TicConsumerOutageTest extends TicRouteTestBase {

    @TempDir
    Path dir;

    private LogLines log;
    private final List<Exception> handled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        log = new LogLines(TicConsumer.class);
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    /** The consumer's lines at INFO and above. */
    private List<String> lines() {
        return log.lines().stream().filter(l -> !l.startsWith("DEBUG") && !l.startsWith("TRACE")).toList();
    }

    /** A route from {@code uri} whose error handler keeps what it is handed. */
    private void startBridged(String uri) throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true)
                        .process(e -> handled.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
                from(uri).routeId("bridged").process(received::add);
            }
        });
        context.start();
    }

    /** A TCP bridge that takes every connection, writes {@code answer} and closes it; the times it took them. */
    private static void closingEveryConnection(ServerSocket bridge, byte[] answer, List<Long> accepted) {
        new Thread(() -> {
            while (!bridge.isClosed()) {
                try (Socket connection = bridge.accept()) {
                    accepted.add(System.nanoTime());
                    connection.getOutputStream().write(answer);
                } catch (IOException closed) {
                    return;
                }
            }
        }).start();
    }

    /** The waits between connections: at least 200, 400, 800 ms after the first of 100 (never back to it). */
    private static void assertWaitsDoubleFrom100Ms(List<Long> accepted) {
        for (int i = 1; i < 4; i++) {
            long gapMillis = (accepted.get(i + 1) - accepted.get(i)) / 1_000_000;
            assertThat(gapMillis).as("wait %d", i).isGreaterThanOrEqualTo((100L << i) - 20);
        }
    }

    /** A TCP bridge that takes one connection and drops it at once (the source is lost). */
    private static Thread droppingOneConnection(ServerSocket bridge) {
        Thread server = new Thread(() -> {
            try (Socket connection = bridge.accept()) {
                connection.getOutputStream().flush();
            } catch (IOException closed) {
                // the test ended first
            }
        });
        server.start();
        return server;
    }

    @Test
    void aLoopingCaptureLogsItsOpeningOnceNotEachPass() throws Exception {
        Path file = Files.write(dir.resolve("tempo.bin"), Corpus.bytes(Corpus.HISTORIC_TEMPO)); // 10 frames
        startRoute("tic:file:" + file + "?loop=true");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 1000); // 100 passes at least
        assertThat(lines()).filteredOn(l -> l.contains(" open")).containsExactly("INFO TIC source file:" + file + " open");
    }

    @Test
    void aBridgedSourceThatCannotBeOpenedGoesToTheRoutesErrorHandler() throws Exception {
        startBridged("tic:tcp:127.0.0.1:1?bridgeErrorHandler=true&reconnectDelay=60000");
        await().atMost(Duration.ofSeconds(10)).until(() -> !handled.isEmpty());
        assertThat(handled.get(0)).isInstanceOf(IOException.class);
        assertThat(received).isEmpty();
        assertThat(lines()).noneMatch(l -> l.startsWith("WARN"));
    }

    @Test
    void aBridgedLostSourceGoesToTheRoutesErrorHandlerInsteadOfTheLog() throws Exception {
        try (ServerSocket bridge = new ServerSocket(0)) {
            Thread server = droppingOneConnection(bridge);
            startBridged("tic:tcp:127.0.0.1:" + bridge.getLocalPort() + "?bridgeErrorHandler=true&reconnectDelay=60000");
            await().atMost(Duration.ofSeconds(10)).until(() -> !handled.isEmpty());
            server.join(10_000);
        }
        assertThat(handled).hasSize(1);
        assertThat(handled.get(0)).isInstanceOf(IOException.class).hasMessageContaining("lost (end of stream)");
        assertThat(lines()).noneMatch(l -> l.startsWith("WARN")).anyMatch(l -> l.startsWith("INFO TIC source tcp:"));
    }

    @Test
    void aBridgeThatTakesEveryConnectionAndClosesItIsOneOutageWithGrowingWaits() throws Exception {
        // ser2net whose serial device is missing: every connection accepted, then closed at once
        List<Long> accepted = new CopyOnWriteArrayList<>();
        String source;
        try (ServerSocket bridge = new ServerSocket(0)) {
            closingEveryConnection(bridge, new byte[0], accepted);
            source = "tcp:127.0.0.1:" + bridge.getLocalPort();
            startBridged("tic:" + source + "?bridgeErrorHandler=true&reconnectDelay=100");
            await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() >= 5);
        }
        assertThat(handled).hasSize(1); // one outage, however many openings
        assertThat(lines()).filteredOn(l -> l.contains(" open")).containsExactly("INFO TIC source " + source + " open");
        // no byte ever came: the waits double from the first (at least 100, 200, 400 ms), never back to it
        assertWaitsDoubleFrom100Ms(accepted);
    }

    @Test
    void aBridgeThatSaysItIsBusyAndClosesIsOneOutageWithGrowingWaitsAndWhatItSaid() throws Exception {
        // ser2net whose port another client holds: each connection gets "Port already in use" and is closed
        List<Long> accepted = new CopyOnWriteArrayList<>();
        String source;
        try (ServerSocket bridge = new ServerSocket(0)) {
            closingEveryConnection(bridge, "Port already in use\r\n".getBytes(), accepted);
            source = "tcp:127.0.0.1:" + bridge.getLocalPort();
            startRoute("tic:" + source + "?reconnectDelay=100");
            await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() >= 5);
        }
        // one WARN naming what the bridge said, no "open again" per connection
        assertThat(lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
                .contains("closed after 21 bytes and no frame: \"Port already in use\"");
        assertThat(lines()).noneMatch(l -> l.contains("open again"));
        assertThat(context.getEndpoint("tic:" + source + "?reconnectDelay=100", TicEndpoint.class).getStatistics()
                .getLastError()).contains("Port already in use");
        assertWaitsDoubleFrom100Ms(accepted);
    }

    @Test
    void aBridgeThatSendsNoiseForAWhileAndClosesIsOneOutageNotQuoted() throws Exception {
        // noise longer than reconnectDelay, then a close: still no frame, still the same outage
        byte[] noise = new byte[300];
        new java.util.Random(5).nextBytes(noise);
        List<Long> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket bridge = new ServerSocket(0)) {
            new Thread(() -> {
                while (!bridge.isClosed()) {
                    try (Socket connection = bridge.accept()) {
                        accepted.add(System.nanoTime());
                        for (int i = 0; i < 3; i++) {
                            connection.getOutputStream().write(noise, i * 100, 100);
                            Thread.sleep(150);
                        }
                    } catch (IOException | InterruptedException closed) {
                        return;
                    }
                }
            }).start();
            startRoute("tic:tcp:127.0.0.1:" + bridge.getLocalPort() + "?reconnectDelay=100");
            await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() >= 3);
        }
        assertThat(lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
                .contains("closed after 300 bytes and no frame;").doesNotContain("\"");
        assertThat(lines()).noneMatch(l -> l.contains("open again"));
    }

    @Test
    void anOpenSourceThatFallsSilentIsOneWarningAndFramesAgainOneInfo() throws Exception {
        // a bridge that sends frames, stays open and quiet past noDataTimeout, then sends frames again
        byte[] capture = Corpus.bytes(Corpus.CBEMM_1);
        java.util.concurrent.CountDownLatch again = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket bridge = new ServerSocket(0)) {
            Thread server = new Thread(() -> {
                try (Socket connection = bridge.accept()) {
                    connection.getOutputStream().write(capture);
                    again.await();
                    connection.getOutputStream().write(capture);
                    Thread.sleep(3000);
                } catch (IOException | InterruptedException closed) {
                    // the test ended first
                }
            });
            server.start();
            startRoute("tic:tcp:127.0.0.1:" + bridge.getLocalPort() + "?noDataTimeout=500&reconnectDelay=60000");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream().anyMatch(l -> l.startsWith("WARN")));
            assertThat(lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
                    .contains("is open but: no valid frame in the last").contains("logged once until a frame comes");
            again.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream().anyMatch(l -> l.endsWith(": frames again")));
            assertThat(lines()).filteredOn(l -> l.startsWith("WARN")).hasSize(1);
            server.interrupt();
        }
    }

    @Test
    void anUnbridgedLostSourceIsOneWarning() throws Exception {
        try (ServerSocket bridge = new ServerSocket(0)) {
            Thread server = droppingOneConnection(bridge);
            startRoute("tic:tcp:127.0.0.1:" + bridge.getLocalPort() + "?reconnectDelay=60000");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines().stream().anyMatch(l -> l.startsWith("WARN")));
            server.join(10_000);
        }
        assertThat(lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString().contains("lost (end of stream); reopening in");
    }
}
