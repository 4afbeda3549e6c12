package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticgateway.meter.FrameInterpreter;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.FrameDecoder;
import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-meter publishing policy, read from a configuration file, deciding on interpreted frames. */
class PublishPolicyTest {

    @TempDir
    Path dir;

    private final FrameInterpreter interpreter = new FrameInterpreter();
    private long now;

    /** A historic frame: PAPP in VA, IINST in A, PTEC as text, BASE in Wh. */
    private MeterReading frame(long base, int papp, int iinst, String ptec) {
        byte[] bytes = FrameEncoder.frame(TicMode.HISTORIC, List.of(new TicGroup("ADCO", null, "021861348497"),
                new TicGroup("BASE", null, String.format("%09d", base)), new TicGroup("PTEC", null, ptec),
                new TicGroup("IINST", null, String.format("%03d", iinst)), new TicGroup("PAPP", null, String.format("%05d", papp))));
        List<MeterReading> out = new ArrayList<>();
        new FrameDecoder(f -> out.add(interpreter.interpret(f)), DecoderOptions.defaults().withMode(TicMode.HISTORIC),
                () -> now).feed(bytes, 0, bytes.length);
        return out.get(0);
    }

    private PublishPolicy policy(String... lines) throws Exception {
        Path file = dir.resolve("policy.properties");
        Files.writeString(file, "tic.mqtt.interval = 1000\ntic.meters = a, b\ntic.meter.a.source = tic:simulator:linky-historic\ntic.meter.a.family = historic\n"
                + "tic.meter.b.source = tic:simulator:linky-historic?name=b\ntic.meter.b.family = historic\n" + String.join("\n", lines) + "\n");
        PublishPolicy read = PublishPolicy.of(GatewayConfig.load(file, name -> null));
        return new PublishPolicy(Map.of("a", settings(read, "a"), "b", settings(read, "b")), settings(read, "a"), 1000,
                () -> now);
    }

    private static PublishPolicy.Settings settings(PublishPolicy read, String meter) {
        return read.settings(meter);
    }

    @Test
    void intervalPublishesEveryIntervalWhateverChanged() throws Exception {
        PublishPolicy policy = policy("tic.meter.a.publish-interval = 5000");
        assertThat(policy.due("a", frame(1000, 500, 2, "TH.."))).isTrue();
        now += 1000;
        assertThat(policy.due("a", frame(1000, 500, 2, "TH.."))).isFalse(); // 1 s after: not yet
        assertThat(policy.due("b", frame(1000, 500, 2, "TH.."))).isTrue(); // b: its own first state
        now += 4000;
        assertThat(policy.due("a", frame(1000, 500, 2, "TH.."))).isTrue();
    }

    @Test
    void changePublishesOnlyWhatChanged() throws Exception {
        PublishPolicy policy = policy("tic.meter.a.publish = change");
        assertThat(policy.due("a", frame(1000, 500, 2, "TH.."))).isTrue();
        now += 1000;
        assertThat(policy.due("a", frame(1000, 500, 2, "TH.."))).isFalse();
        now += 1000;
        assertThat(policy.due("a", frame(1000, 510, 2, "TH.."))).isTrue();
    }

    @Test
    void thresholdPublishesWhenAValueMovedMoreThanItsClassAllows() throws Exception {
        PublishPolicy policy = policy("tic.mqtt.publish = threshold", "tic.meter.a.threshold.power = 100");
        assertThat(policy.due("a", frame(1000, 500, 2, "HC.."))).isTrue();
        now += 1000;
        assertThat(policy.due("a", frame(1009, 590, 2, "HC.."))).isFalse(); // +9 Wh, +90 VA: under 10 Wh and 100 VA
        now += 1000;
        assertThat(policy.due("a", frame(1009, 601, 2, "HC.."))).isTrue(); // +101 VA from the last published
        now += 1000;
        assertThat(policy.due("a", frame(1009, 601, 3, "HC.."))).isFalse(); // +1 A is not more than 1 A
        now += 1000;
        assertThat(policy.due("a", frame(1009, 601, 3, "HP.."))).isTrue(); // a text: any change
    }

    @Test
    void aBadPolicyStopsTheStartNamingItsKey() {
        assertThatThrownBy(() -> policy("tic.meter.a.publish = sometimes"))
                .hasMessageContaining("tic.meter.a.publish: expected interval, change or threshold");
        assertThatThrownBy(() -> policy("tic.meter.b.threshold.power = -3"))
                .hasMessageContaining("tic.meter.b.threshold.power");
        assertThatThrownBy(() -> policy("tic.meter.a.threshold.pwer = 3"))
                .hasMessageContaining("did you mean tic.meter.<name>.threshold.power");
    }
}
