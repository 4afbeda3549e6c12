package io.ticgateway.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.LogLines;
import io.ticgateway.app.GatewayMain;
import io.ticgateway.peers.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A central instance that cannot reach Kafka says so, once, with the reason (the Kafka client's lines are off). */
class CentralWatchTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"closed-port", "kafka-nowhere.invalid:9092"})
    void aCentralInstanceWithoutKafkaSaysSoOnce(String brokers) throws Exception {
        String address = brokers.equals("closed-port") ? "127.0.0.1:" + ExternalProcess.freePort() : brokers;
        Path config = Files.writeString(dir.resolve("central.properties"), String.join("\n",
                "tic.meters =",
                "tic.central.enabled = true",
                "tic.central.brokers = " + address,
                "tic.influxdb.enabled = true",
                "tic.influxdb.url = http://127.0.0.1:" + ExternalProcess.freePort(),
                "tic.files.enabled = false",
                "tic.state.file = " + dir.resolve("state.json"),
                "camel.server.port = " + ExternalProcess.freePort(), ""));
        List<String> lines;
        GatewayMain gateway = new GatewayMain(config, name -> null);
        try (LogLines log = new LogLines(CentralWatch.class)) {
            lines = log.lines();
            gateway.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !lines.isEmpty());
            CentralWatch watch = gateway.camelContext().getRegistry().lookupByNameAndType("centralWatch", CentralWatch.class);
            long first = watch.looks();
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.looks() >= first + 2); // still failing: nothing more said
        } finally {
            gateway.stop();
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("WARN Central ingest not consuming from Kafka (" + address + "): ")
                .endsWith("retrying (logged once until it consumes again)");
    }
}
