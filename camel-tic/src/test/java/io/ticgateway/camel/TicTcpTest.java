package io.ticgateway.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.DecodedJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.PtyPair;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TCP transport: a bridge that drops and comes back, and a real ser2net in front of a pty. */
class TicTcpTest extends TicRouteTestBase {

    @TempDir
    Path dir;

    /** Serves {@code bytes} to one client, then closes everything (the bridge goes away). */
    private static Thread serveOnce(int port, byte[] bytes) {
        Thread t = new Thread(() -> {
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                server.setReuseAddress(true);
                try (Socket client = server.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write(bytes);
                    out.flush();
                    client.shutdownOutput(); // end of stream after the bytes; then wait for the reader to close
                    client.getInputStream().read();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "tcp-bridge");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void bridgeThatDropsAndComesBack() throws Exception {
        int port = ExternalProcess.freePort();
        byte[] capture = Corpus.bytes(Corpus.CBEMM_1);
        TicEndpoint endpoint = startRoute("tic:tcp:127.0.0.1:" + port + "?reconnectDelay=100&maxReconnectDelay=400");
        // the first attempts fail: nothing listens yet
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getStatistics().getLastError() != null);
        assertThat(endpoint.getStatistics().isConnected()).isFalse();
        assertThat(endpoint.getStatistics().getLastError()).contains("cannot connect to 127.0.0.1:" + port);

        serveOnce(port, capture).join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 13);
        await().atMost(Duration.ofSeconds(10)).until(() -> !endpoint.getStatistics().isConnected());

        serveOnce(port, capture).join(10_000); // the bridge is back
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 26);
        assertThat(endpoint.getStatistics().getReconnects()).isGreaterThanOrEqualTo(1);
        // the frame cut by each drop is counted as truncated, the valid ones around it are all delivered
        assertThat(endpoint.getStatistics().getFrameRejections().get(io.ticgateway.protocol.RejectReason.TRUNCATED))
                .isEqualTo(2);
        assertThat(context.getRouteController().getRouteStatus("meter-0").isStarted()).isTrue();
    }

    @Test
    void realSer2netBridgeInFrontOfASerialLine() throws Exception {
        int port = ExternalProcess.freePort();
        try (PtyPair line = new PtyPair(dir).start()) {
            Path config = dir.resolve("ser2net.yaml");
            Files.writeString(config, """
                    connection: &tic
                      accepter: tcp,127.0.0.1,%d
                      connector: serialdev,%s,9600e71,local
                      options:
                        kickolduser: true
                    """.formatted(port, line.gatewayEnd()));
            try (ExternalProcess ser2net = ExternalProcess.start(List.of("ser2net", "-n", "-u", "-c", config.toString(),
                    "-P", dir.resolve("ser2net.pid").toString()), dir.resolve("ser2net.log"))) {
                TicEndpoint endpoint = startRoute("tic:tcp:127.0.0.1:" + port + "?reconnectDelay=200");
                await().atMost(Duration.ofSeconds(15)).until(() -> endpoint.getStatistics().isConnected());
                byte[] bytes = Corpus.bytes(Corpus.STANDARD_GOTELEINFO);
                try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                    // ser2net opens the tty once the client is connected: the meter keeps sending until frames come
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        PtyPair.writePaced(meter, bytes, 9600);
                        return received.size() >= 3;
                    });
                }
                assertThat(DecodedJson.withoutReceiveTime(received.get(0).getMessage().getBody(String.class)))
                        .isEqualTo(DecodedJson.decodeJson(bytes).get(0));
            }
        }
    }
}
