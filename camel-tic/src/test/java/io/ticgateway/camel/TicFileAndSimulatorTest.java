package io.ticgateway.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.DecodedJson;
import io.ticgateway.UartLine;
import io.ticgateway.UartLine.Format;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.simulator.SimulatedFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicFileAndSimulatorTest extends TicRouteTestBase {

    @TempDir
    Path dir;

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Path capture(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, Corpus.bytes(name));
        return file;
    }

    @Test
    void fileReplayDeliversWhatTheDecodeCommandWrites() throws Exception {
        for (String name : List.of(Corpus.STANDARD_LAINS, Corpus.CBEMM_2, Corpus.PMEPMI_EOT)) {
            received.clear();
            Path file = capture(name);
            List<String> expected = DecodedJson.decodeJson(Corpus.bytes(name));
            TicEndpoint replayed = startRoute("tic:file:" + file + "?pace=asap");
            await().atMost(Duration.ofSeconds(20)).until(() -> replayed.getStatistics().isFinished());
            assertThat(received).hasSize(expected.size());
            List<String> actual = received.stream()
                    .map(e -> DecodedJson.withoutReceiveTime(e.getMessage().getBody(String.class))).toList();
            assertThat(actual).isEqualTo(expected);
            TicEndpoint endpoint = context.getEndpoint("tic:file:" + file + "?pace=asap", TicEndpoint.class);
            await().until(() -> endpoint.getStatistics().isFinished());
            context.stop();
        }
    }

    @Test
    void headersAndBodyContract() throws Exception {
        Path file = capture(Corpus.STANDARD_GOTELEINFO);
        startRoutes("tic:file:" + file + "?name=maison");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        Exchange ex = received.get(0);
        assertThat(ex.getMessage().getBody()).isInstanceOf(MeterReading.class);
        assertThat(ex.getMessage().getHeader(TicConstants.METER_ID)).isEqualTo("12345678900");
        assertThat(ex.getMessage().getHeader(TicConstants.METER_NAME)).isEqualTo("maison");
        assertThat(ex.getMessage().getHeader(TicConstants.MODE)).isEqualTo("standard");
        assertThat(ex.getMessage().getHeader(TicConstants.FRAME_TIME)).isEqualTo("2019-12-03T12:58:05+01:00");
        assertThat(ex.getMessage().getHeader(TicConstants.SEQUENCE)).isEqualTo(1L);
        assertThat(ex.getMessage().getHeader(TicConstants.SOURCE, String.class)).startsWith("file:");
        assertThat(ex.getMessage().getHeader(TicConstants.RECEIVED_AT, Long.class)).isPositive();
        @SuppressWarnings("unchecked")
        Map<String, Object> map = ex.getContext().getTypeConverter().convertTo(Map.class, ex.getMessage().getBody());
        assertThat(map).containsEntry("meter", "12345678900").containsKey("groups");
    }

    @Test
    void theFramesOfOneReadAreOneBatch() throws Exception {
        byte[] capture = Corpus.bytes(Corpus.STANDARD_LAINS);
        Path file = dir.resolve("eight-times.bin"); // 86 KB: more than one read of 64 KB
        for (int i = 0; i < 8; i++) {
            Files.write(file, capture, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        int frames = DecodedJson.decodeJson(Files.readAllBytes(file)).size();
        TicEndpoint replayed = startRoute("tic:file:" + file + "?pace=asap");
        await().atMost(Duration.ofSeconds(20)).until(() -> replayed.getStatistics().isFinished());
        assertThat(received).hasSize(frames);
        int expectedIndex = 0;
        int batches = 0;
        int largest = 0;
        for (Exchange e : received) {
            int index = e.getProperty(Exchange.BATCH_INDEX, Integer.class);
            int size = e.getProperty(Exchange.BATCH_SIZE, Integer.class);
            assertThat(index).isEqualTo(expectedIndex);
            assertThat(e.getProperty(Exchange.BATCH_COMPLETE, Boolean.class)).isEqualTo(index == size - 1);
            expectedIndex = index == size - 1 ? 0 : index + 1;
            batches += index == 0 ? 1 : 0;
            largest = Math.max(largest, size);
        }
        assertThat(expectedIndex).as("the last batch is complete").isZero();
        // a replay reads 64 KB at a time: several frames a read, every frame in one batch
        assertThat(largest).isGreaterThan(1);
        assertThat(batches).isGreaterThan(1).isLessThan(frames);
    }

    @Test
    void framesOfOneEndpointArriveInOrderAndLoopRepeats() throws Exception {
        Path file = capture(Corpus.HISTORIC_TEMPO);
        startRoutes("tic:file:" + file + "?loop=true");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 35);
        List<Long> sequence = received.stream().map(e -> e.getMessage().getHeader(TicConstants.SEQUENCE, Long.class))
                .toList();
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isEqualTo(i + 1L);
        }
    }

    @Test
    void everySimulatedFamilyProducesValidEvolvingFrames() throws Exception {
        for (SimulatedFamily family : SimulatedFamily.values()) {
            received.clear();
            startRoutes("tic:simulator:" + family.id() + "?pace=asap");
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 300);
            context.stop();
            MeterReading first = received.get(0).getMessage().getBody(MeterReading.class);
            MeterReading last = received.get(299).getMessage().getBody(MeterReading.class);
            assertThat(first.mode()).isEqualTo(family.mode());
            assertThat(first.meterId()).hasSize(12);
            TicEndpoint endpoint = (TicEndpoint) received.get(0).getFromEndpoint();
            assertThat(endpoint.getStatistics().getFramesRejected()).as(family.id()).isZero();
            switch (family) {
                case LINKY_STANDARD, LINKY_STANDARD_TRI, LINKY_PRODUCER -> {
                    assertThat((Long) last.value("EAST")).isGreaterThan((Long) first.value("EAST"));
                    assertThat(last.time()).isGreaterThan(first.time());
                    assertThat(first.stge().producteur()).isEqualTo(family.producer());
                    assertThat(first.groups().containsKey("SINSTS3")).isEqualTo(family.threePhase());
                    assertThat(first.groups().containsKey("EAIT")).isEqualTo(family.producer());
                }
                case LINKY_HISTORIC -> assertThat((Long) last.value("HCHC") + (Long) last.value("HCHP"))
                        .isGreaterThan((Long) first.value("HCHC") + (Long) first.value("HCHP"));
                case HISTORIC_TRI -> assertThat(received.stream().map(e -> e.getMessage().getBody(MeterReading.class))
                        .filter(r -> r.groups().containsKey("ADIR1")).count()).isPositive();
                case PMEPMI -> {
                    assertThat(first.pmePmi().period()).isIn("HPH", "HCH", "HPE", "HCE");
                    assertThat(last.time()).isGreaterThan(first.time());
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    @Test
    void severalEndpointsInOneContext() throws Exception {
        Path standard = capture(Corpus.STANDARD_LAINS);
        Path pme = capture(Corpus.PMEPMI);
        startRoutes("tic:file:" + standard, "tic:file:" + pme + "?name=usine", "tic:simulator:linky-historic?pace=asap");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                received.stream().filter(e -> "usine".equals(e.getMessage().getHeader(TicConstants.METER_NAME))).count() == 21
                && received.stream().filter(e -> "064468368739".equals(e.getMessage().getHeader(TicConstants.METER_ID)))
                .count() == 12
                && received.stream().filter(e -> "historic".equals(e.getMessage().getHeader(TicConstants.MODE))).count() > 10);
    }

    @Test
    void aFirstReconnectDelayAboveTheLongestRaisesTheLongest() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        TicEndpoint endpoint = context.getEndpoint("tic:file:x.bin?reconnectDelay=10s&maxReconnectDelay=1s", TicEndpoint.class);
        endpoint.start();
        assertThat(endpoint.getMaxReconnectDelay()).isEqualTo(10_000); // the waits never shorten as failures go on
        assertThat(context.getEndpoint("tic:file:y.bin?reconnectDelay=2s", TicEndpoint.class).getMaxReconnectDelay())
                .isEqualTo(30_000);
    }

    @Test
    void wrongOptionValuesFailAtStartupWithAClearMessage() {
        assertThatThrownBy(() -> startRoutes("tic:file:x.bin?mode=turbo"))
                .hasStackTraceContaining("tic: option mode=turbo is not one of auto, standard, historic, pmepmi");
        assertThatThrownBy(() -> startRoutes("tic:file:x.bin?pace=slow"))
                .hasStackTraceContaining("tic: option pace=slow is not one of asap, realtime");
        assertThatThrownBy(() -> startRoutes("tic:serial")).hasStackTraceContaining("was 'tic:serial'");
        assertThatThrownBy(() -> startRoutes("tic:file:x.bin?reconnectDelay=-5"))
                .hasStackTraceContaining("reconnectDelay must be a positive duration, milliseconds or such as 5s or 1m30s; was -5");
        assertThatThrownBy(() -> startRoutes("tic:file:x.bin?noDataTimeout=abc"))
                .hasStackTraceContaining("noDataTimeout must be a positive duration, milliseconds or such as 5s or 1m30s;"
                        + " was 0 (or a text that is not a duration)");
        assertThatThrownBy(() -> startRoutes("tic:modem:x")).hasStackTraceContaining("unknown transport 'modem'");
        assertThatThrownBy(() -> startRoutes("tic:tcp:localhost:99999")).hasStackTraceContaining("port must be 1-65535");
        assertThatThrownBy(() -> startRoutes("tic:simulator:gas-meter")).hasStackTraceContaining("unknown simulated meter");
        assertThatThrownBy(() -> startRoutes("tic:file:x.bin?bogus=1")).hasStackTraceContaining("bogus");
        assertThatThrownBy(() -> startRoutes("tic:serial:/dev/ttyFAKE0", "tic:serial:/dev/ttyFAKE0?mode=historic"))
                .hasStackTraceContaining("already read by");
    }

    @Test
    void aLinkToAPortAlreadyReadIsTheSamePort() throws Exception {
        Path device = Files.createFile(dir.resolve("ttyUSB0"));
        Path byId = Files.createSymbolicLink(dir.resolve("usb-TIC_adapter-if00"), device);
        assertThatThrownBy(() -> startRoutes("tic:serial:" + device, "tic:serial:" + byId))
                .hasStackTraceContaining("already read by");
    }

    @Test
    void missingSerialPortIsReportedByTheHealthCheckWhileTheRestRuns() throws Exception {
        Path file = capture(Corpus.HISTORIC_TEMPO);
        startRoutes("tic:serial:/dev/ttyTIC-NOT-PLUGGED?reconnectDelay=100&maxReconnectDelay=200",
                "tic:file:" + file + "?loop=true");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() > 20);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var results = HealthCheckHelper.invokeReadiness(context, "full");
            var serial = results.stream().filter(r -> r.getCheck().getId().equals("consumer:meter-0")).findFirst()
                    .orElseThrow();
            assertThat(serial.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(serial.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("/dev/ttyTIC-NOT-PLUGGED"));
            var replay = results.stream().filter(r -> r.getCheck().getId().equals("consumer:meter-1")).findFirst()
                    .orElseThrow();
            assertThat(replay.getState()).isEqualTo(HealthCheck.State.UP);
        });
        assertThat(context.getRouteController().getRouteStatus("meter-0").isStarted()).isTrue();
    }

    @Test
    void aReplayWithoutOneValidFrameIsNotReady() throws Exception {
        // a standard-mode line recorded by a port at 1200 Bd: bytes, not one frame
        byte[] garbage = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, Format.SEVEN_EVEN_ONE, 1200,
                Format.SEVEN_EVEN_ONE);
        Path wrongSpeed = Files.write(dir.resolve("wrong-speed.raw"), garbage);
        startRoutes("tic:file:" + wrongSpeed, "tic:file:" + capture(Corpus.HISTORIC_TEMPO));
        TicEndpoint empty = context.getEndpoint("tic:file:" + wrongSpeed, TicEndpoint.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> empty.getStatistics().isFinished() && !received.isEmpty());
        assertThat(empty.getStatistics().getBytesRead()).isEqualTo(garbage.length);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(readiness(0).getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(readiness(0).getMessage()).hasValue("the capture was replayed to its end without one valid frame");
            assertThat(readiness(1).getState()).isEqualTo(HealthCheck.State.UP);
        });
    }

    @Test
    void aRealtimeReplayGoesAtTheSpeedOfTheCapturesFamily() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        for (String[] c : new String[][] {{Corpus.HISTORIC_TEMPO, "", "1200"}, {Corpus.STANDARD_LAINS, "", "9600"},
                {Corpus.PMEPMI_EOT, "", "1200"}, {Corpus.HISTORIC_TEMPO, "&baudRate=9600", "9600"},
                {Corpus.STANDARD_LAINS, "&mode=historic", "1200"}, {"noise+" + Corpus.HISTORIC_TEMPO, "", "1200"}}) {
            Path file = c[0].startsWith("noise+") // a stray byte whose low 7 bits are HT does not make it standard
                    ? Files.write(dir.resolve("noisy.bin"), concat(new byte[] {(byte) 0x89}, Corpus.bytes(c[0].substring(6))))
                    : capture(c[0]);
            TicEndpoint endpoint = context.getEndpoint("tic:file:" + file + "?pace=realtime" + c[1], TicEndpoint.class);
            var source = (io.ticgateway.camel.transport.FileByteSource) endpoint.createSource();
            source.open();
            try {
                assertThat(source.replaySpeed()).as("%s%s", c[0], c[1]).isEqualTo(Integer.parseInt(c[2]));
            } finally {
                source.close();
            }
        }
    }

    @Test
    void aSevenEvenOneLineReadEightNoneOneSaysSoInItsReadiness() throws Exception {
        byte[] parityAsData = UartLine.receive(Corpus.bytes(Corpus.HISTORIC_TEMPO), 1200, Format.SEVEN_EVEN_ONE, 1200,
                Format.EIGHT_NONE_ONE);
        parityAsData[parityAsData.length / 2] = 0x01; // a noise byte (odd parity on 8 bits) does not hide it
        Path file = Files.write(dir.resolve("8n1.raw"), parityAsData);
        TicEndpoint endpoint = startRoute("tic:file:" + file);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.getStatistics().isFinished());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(readiness(0).getMessage()).hasValueSatisfying(
                m -> assertThat(m).startsWith("the capture was replayed to its end without one valid frame (")
                        .endsWith("with bit 7 set: a 7E1 line read 8N1; stripParity=true reads it)")));
        assertThat(endpoint.getStatistics().toString()).contains(", bytes outside frames ");
        assertThat(received).isEmpty();
    }

    @Test
    void suspendDropsFramesAndResumeDeliversAgain() throws Exception {
        startRoutes("tic:simulator:linky-standard?pace=asap");
        await().until(() -> received.size() > 10);
        context.getRouteController().suspendRoute("meter-0");
        await().until(() -> context.getRouteController().getRouteStatus("meter-0").isSuspended());
        int atSuspend = received.size();
        TicEndpoint endpoint = (TicEndpoint) received.get(0).getFromEndpoint();
        // the source keeps being read while suspended: its frames are counted, none is routed
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getStatistics().getFramesDroppedWhileSuspended() > 50);
        assertThat(received.size()).isLessThanOrEqualTo(atSuspend + 1);
        // and not counted as delivered
        assertThat(endpoint.getStatistics().getFramesDelivered()).isLessThanOrEqualTo(atSuspend + 1);
        context.getRouteController().resumeRoute("meter-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() > atSuspend + 10);
    }

    @Test
    void routingErrorsAreCountedAndTheReaderGoesOn() throws Exception {
        Path capture = capture(Corpus.HISTORIC_TEMPO);
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tic:file:" + capture)
                        .routeId("failing").process(e -> {
                            received.add(e);
                            if (e.getMessage().getHeader(TicConstants.SEQUENCE, Long.class) % 2 == 0) {
                                throw new IllegalStateException("sink down");
                            }
                        });
            }
        });
        context.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
        TicEndpoint endpoint = (TicEndpoint) received.get(0).getFromEndpoint();
        await().until(() -> endpoint.getStatistics().getRoutingFailures() == 5);
    }

    @Test
    void anErrorThrownByTheRouteDoesNotStopTheFramesThatFollow() throws Exception {
        Path capture = capture(Corpus.HISTORIC_TEMPO);
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tic:file:" + capture).routeId("erroring").process(e -> {
                    received.add(e);
                    if (e.getMessage().getHeader(TicConstants.SEQUENCE, Long.class) == 3) {
                        throw new StackOverflowError("a broken processor");
                    }
                });
            }
        });
        context.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
        TicEndpoint endpoint = (TicEndpoint) received.get(0).getFromEndpoint();
        await().until(() -> endpoint.getStatistics().isFinished());
        assertThat(endpoint.getStatistics().getRoutingFailures()).isEqualTo(1);
        assertThat(endpoint.getStatistics().getReaderFailures()).isZero();
    }

    @Test
    void rawRecordingKeepsTheExactBytesForALaterReplay() throws Exception {
        Path file = capture(Corpus.PMEPMI_EOT);
        Path raw = dir.resolve("raw");
        startRoutes("tic:file:" + file + "?name=usine&recordDir=" + raw);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 20);
        TicEndpoint endpoint = (TicEndpoint) received.get(0).getFromEndpoint();
        await().until(() -> endpoint.getStatistics().isFinished());
        Path recorded; // named after the day it was written: looked for, not recomputed (midnight may have passed)
        try (var files = Files.list(raw)) {
            recorded = files.filter(p -> p.getFileName().toString().matches("usine-\\d{8}\\.raw")).findFirst().orElseThrow();
        }
        assertThat(Files.readAllBytes(recorded)).isEqualTo(Corpus.bytes(Corpus.PMEPMI_EOT));
    }

    @Test
    void routesReadTheEndpointStatisticsWithSimple() throws Exception {
        Path file = capture(Corpus.HISTORIC_TEMPO);
        context = new org.apache.camel.impl.DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tic:file:" + file).routeId("stats")
                        .setHeader("delivered", simple("${exchange.fromEndpoint.statistics.framesDelivered}"))
                        .process(received::add);
            }
        });
        context.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
        assertThat(received.get(9).getMessage().getHeader("delivered", Long.class)).isEqualTo(10L);
    }
}
