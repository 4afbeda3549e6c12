package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved state across releases: 0.1.0's file is read, this release's carries its format, a newer one is left
 * alone; a gauge for every numeric value a meter sends.
 */
class StateStoreTest {

    @TempDir
    Path dir;

    /** What release 0.1.0 wrote: the meters map alone, no format field. */
    private static final String RELEASE_0_1_0 = """
            {
              "maison" : {
                "meterId" : "041876543210",
                "family" : "standard",
                "frames" : 1234,
                "updatedAt" : 1767571200000,
                "latest" : { "meter" : "041876543210", "mode" : "standard", "groups" : { "EAST" : { "raw" : "012345678", "value" : 12345678, "unit" : "Wh" } } }
              },
              "garage" : {
                "meterId" : "021728123456",
                "family" : "historic",
                "frames" : 10,
                "updatedAt" : 1767571200000,
                "latest" : { "meter" : "021728123456", "mode" : "historic", "groups" : { "BASE" : { "raw" : "001234567", "value" : 1234567, "unit" : "Wh" } } }
              }
            }
            """;

    @Test
    void aStateWrittenByRelease010IsRestoredAndSavedInTheCurrentFormat() throws Exception {
        Path file = Files.writeString(dir.resolve("state.json"), RELEASE_0_1_0);
        StateStore store = new StateStore();
        store.setFile(file.toString());
        store.restore(List.of("maison"));
        assertThat(store.meter("maison").frames()).isEqualTo(1234);
        assertThat(store.meter("maison").latest().get("mode")).isEqualTo("standard");
        assertThat(store.meter("garage")).isNull();
        assertThat(store.removed()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("garage");
            assertThat(r.meterId()).isEqualTo("021728123456");
            assertThat(r.labels()).containsExactly("BASE");
        });

        store.save();
        JsonNode saved = ReadingJson.mapper().readTree(file.toFile());
        assertThat(saved.get("format").asInt()).isEqualTo(StateStore.FORMAT);
        assertThat(saved.get("meters").fieldNames()).toIterable().containsExactly("maison"); // garage purged
        assertThat(Files.exists(dir.resolve("state.json.tmp"))).isFalse();

        StateStore again = new StateStore();
        again.setFile(file.toString());
        again.restore(List.of("maison"));
        assertThat(again.meter("maison").frames()).isEqualTo(1234);
    }

    @Test
    void aStateOfANewerFormatIsNotMisread() throws Exception {
        Path file = Files.writeString(dir.resolve("state.json"), "{\"format\": 99, \"meters\": {\"maison\": {}}}");
        StateStore store = new StateStore();
        store.setFile(file.toString());
        store.restore(List.of("maison"));
        assertThat(store.meters()).isEmpty();
    }

    @Test
    void aValueThatBecomesNumericGetsItsGaugeAlthoughTheLabelsStayTheSame() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StateStore store = new StateStore();
        store.setMetrics(registry);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (String papp : List.of("-----", "00750", "00760")) { // PAPP unreadable first, the same labels after
                byte[] frame = FrameEncoder.frame(TicMode.HISTORIC, List.of(new TicGroup("ADCO", null, "021728123456"),
                        new TicGroup("OPTARIF", null, "BASE"), new TicGroup("BASE", null, "001234567"),
                        new TicGroup("PAPP", null, papp)));
                Exchange exchange = new DefaultExchange(camel);
                exchange.getMessage().setBody(reading(frame));
                exchange.getMessage().setHeader(TicConstants.METER_NAME, "garage");
                store.process(exchange);
                double expected = papp.startsWith("-") ? Double.NaN : Double.parseDouble(papp);
                var gauge = registry.find("tic.value").tags("meter", "garage", "label", "PAPP").gauge();
                if (Double.isNaN(expected)) {
                    assertThat(gauge).isNull();
                } else {
                    assertThat(gauge).isNotNull();
                    assertThat(gauge.value()).isEqualTo(expected);
                }
                assertThat(registry.find("tic.value").tags("meter", "garage", "label", "BASE").gauge().value())
                        .isEqualTo(1234567.0);
            }
        }
    }

    private static MeterReading reading(byte[] frame) {
        List<MeterReading> readings = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null, readings::add, r -> { });
        stream.feed(frame, 0, frame.length);
        assertThat(readings).hasSize(1);
        return readings.get(0);
    }

    @Test
    void aSaveThatFailsIsLoggedOncePerOutage(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore();
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where the state's folder should be");
        try (io.ticgateway.LogLines log = new io.ticgateway.LogLines(StateStore.class)) {
            store.setFile(blocker.resolve("state.json").toString());
            store.save();
            store.save();
            store.save();
            assertThat(log.lines()).hasSize(1).allMatch(l -> l.startsWith("WARN Cannot save the meters' state"));
            Files.delete(blocker); // room again: the folder can be made
            store.save();
            assertThat(log.lines()).hasSize(2).last().asString().startsWith("INFO Saved the meters' state to");
            assertThat(blocker.resolve("state.json")).exists();
        }
    }
}
