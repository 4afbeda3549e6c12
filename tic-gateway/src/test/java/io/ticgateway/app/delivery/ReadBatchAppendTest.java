package io.ticgateway.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.DecoderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frames of one read of the source (the {@code tic:} consumer's batch) enter the spool together with the
 * read's last frame; a frame outside a batch at once; what a read left held back, at the stop.
 */
class ReadBatchAppendTest {

    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();
    private final List<MeterReading> readings = readings();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void aReadsFramesEnterTheSpoolWithItsLastFrame() throws Exception {
        Path file = dir.resolve("spool.db");
        DurableDelivery delivery = delivery(file);
        Spool spool = delivery.spool();
        for (int i = 0; i < 3; i++) {
            delivery.process(frame(i, Boolean.FALSE));
        }
        assertThat(spool.depth("influxdb")).as("held back until the read's last frame").isZero();
        delivery.process(frame(3, Boolean.TRUE));
        assertThat(spool.depth("influxdb")).isEqualTo(4);
        delivery.process(frame(4, null)); // not from a batch consumer: appended at once
        assertThat(spool.depth("influxdb")).isEqualTo(5);
        delivery.process(frame(5, Boolean.FALSE)); // a read whose last frame never reaches the spool
        delivery.process(frame(6, Boolean.FALSE));
        assertThat(spool.depth("influxdb")).isEqualTo(5);
        delivery.stop(System.currentTimeMillis() + 1000);
        try (Spool reopened = Spool.open(file)) {
            List<Spool.Row> rows = reopened.peek("influxdb", 100);
            assertThat(rows).hasSize(7);
            for (int i = 0; i < rows.size(); i++) { // in the frames' order
                assertThat(rows.get(i).payload()).endsWith(" " + rows.get(i).tick().nanos());
                if (i > 0) {
                    assertThat(rows.get(i).tick().nanos()).isGreaterThan(rows.get(i - 1).tick().nanos());
                }
            }
        }
    }

    @Test
    void theSyncTickAppendsWhatARunningReadHeldBack() throws Exception {
        DurableDelivery delivery = delivery(dir.resolve("spool.db"));
        delivery.start(camel.createProducerTemplate());
        try {
            delivery.process(frame(0, Boolean.FALSE));
            await().atMost(Duration.ofSeconds(10)).until(() -> delivery.spool().depth("influxdb") == 1);
        } finally {
            delivery.stop(System.currentTimeMillis() + 1000);
        }
    }

    private DurableDelivery delivery(Path file) {
        // batches of 1,000 every minute: nothing leaves the spool during the test
        return new DurableDelivery(file, List.of(new DurableDelivery.SinkSettings("influxdb", 1000, 1000, 60_000, 60_000)),
                new SinkCounters(), 1L << 30, 0, 50, 60_000);
    }

    private Exchange frame(int index, Boolean lastOfRead) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(readings.get(index));
        exchange.getMessage().setHeader(TicConstants.METER_NAME, "maison");
        if (lastOfRead != null) {
            exchange.setProperty(Exchange.BATCH_COMPLETE, lastOfRead);
        }
        return exchange;
    }

    private static List<MeterReading> readings() {
        List<MeterReading> readings = new ArrayList<>();
        byte[] bytes = Corpus.bytes(Corpus.STANDARD_LAINS);
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, readings::add, r -> { });
        stream.feed(bytes, 0, bytes.length);
        stream.endOfInput();
        assertThat(readings).hasSizeGreaterThanOrEqualTo(7);
        return readings;
    }
}
