package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGTERM while the gateway starts (a service stopped right after its start): it exits promptly and says so
 * in one true line, with no error. A fresh-eyes review found a stack trace (Vert.x could not add its shutdown
 * hook), a false "start-up error" line, or no line at all.
 */
class SignalDuringStartTest {

    @TempDir
    Path dir;

    @Test
    void aSigtermDuringTheStartIsACleanStop() throws Exception {
        int port = ExternalProcess.freePort();
        Path config = SimMeterConfig.write(dir, "start.properties", port);
        Path log = dir.resolve("start.log");
        try (GatewayProcess gateway = GatewayProcess.start(config, port, log)) {
            // Camel has begun to start, the HTTP server and the routes not yet
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Files.exists(log) && Files.readString(log).contains("Properties location"));
            gateway.close(); // SIGTERM
            assertThat(gateway.isAlive()).isFalse();
        }
        String out = Files.readString(log);
        assertThat(out).doesNotContain("ERROR").doesNotContain("Exception").doesNotContain("start-up error");
        assertThat(out).containsAnyOf("TIC Gateway stopped: nothing waits in the spool",
                "tic-gateway: stopped by a signal before the start was complete");
    }
}
