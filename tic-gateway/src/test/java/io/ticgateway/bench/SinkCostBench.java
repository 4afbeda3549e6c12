package io.ticgateway.bench;

import io.ticgateway.app.GatewayMain;
import io.ticgateway.app.GatewayConfig;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Kafka;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * CPU cost per frame of each sink ({@code .ci/bench-sinks [frames]}): the gateway in this JVM pinned to
 * core 0, its peers (InfluxDB 1.x, Mosquitto, a Kafka broker in KRaft mode) on core 1. One simulated Linky
 * standard capture (every frame its own meter time) is replayed as fast as possible through the gateway
 * with one sink on at a time, each configuration warmed up first (JIT); the process's CPU time (every thread:
 * reader, sink routes, spool, GC) from the first frame until every queue and the spool are empty, per frame,
 * minus the same with no sink (decoding, state store, REST) in a run just before, is the sink's cost: the
 * median of several such pairs.
 */
public final class SinkCostBench {

    private SinkCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        Path dir = Files.createTempDirectory("sink-bench");
        Path capture = dir.resolve("standard.bin");
        MeterSimulator simulator = new MeterSimulator(SimulatedFamily.LINKY_STANDARD, null, 0, 1_768_464_000_000L, 42);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(capture))) {
            for (int i = 0; i < frames; i++) {
                out.write(simulator.nextFrame());
            }
        }
        try (InfluxDb influx = new InfluxDb(dir.resolve("influx")).start();
             Mosquitto mosquitto = new Mosquitto(dir.resolve("mosquitto")).start();
             Kafka kafka = new Kafka(dir.resolve("kafka")).start()) {
            kafka.createTopic("bench", 1);
            Pinning.pin(0, 1);
            List<String> files = List.of("tic.files.enabled = true", "tic.files.dir = " + dir.resolve("frames"));
            List<String> influxdb = List.of("tic.influxdb.enabled = true", "tic.influxdb.url = " + influx.url(),
                    "tic.influxdb.database = bench", "tic.influxdb.batch-size = 1000", "tic.influxdb.batch-interval = 1000");
            List<String> mqtt = List.of("tic.mqtt.enabled = true", "tic.mqtt.url = " + mosquitto.url(),
                    "tic.mqtt.interval = 1000");
            Map<String, List<String>> runs = new LinkedHashMap<>();
            runs.put("no sink (decoding, state, REST)", List.of());
            runs.put("files, full JSON", files);
            runs.put("files, compact JSON", concat(files, List.of("tic.files.format = compact")));
            runs.put("InfluxDB (spool, points, batches of 1000)", influxdb);
            runs.put("MQTT (state every 1 s)", mqtt);
            runs.put("MQTT (state every 1 ms: a message per ms)", List.of("tic.mqtt.enabled = true",
                    "tic.mqtt.url = " + mosquitto.url(), "tic.mqtt.interval = 1"));
            runs.put("Kafka (spool, records, batches of 1000)", List.of("tic.kafka.enabled = true",
                    "tic.kafka.brokers = " + kafka.brokers(), "tic.kafka.topic = bench", "tic.kafka.batch-size = 1000",
                    "tic.kafka.batch-interval = 1000"));
            runs.put("files + InfluxDB + MQTT", concat(concat(files, influxdb), mqtt));
            // The machine's speed drifts between minutes: each configuration is measured in -Dbench.pairs pairs
            // [3], a run with no sink then a run with the configuration, and the sinks' cost is the median of the
            // pairs' differences (the range of the pairs beside it).
            int pairs = Integer.getInteger("bench.pairs", 3);
            System.out.printf("%n| sinks | frames | µs per frame (median of %d) | no sink, same pairs | µs per frame of the sinks:"
                    + " median (range) |%n|---|---|---|---|---|%n", pairs);
            int run = 0;
            String only = System.getProperty("bench.only"); // e.g. -Dbench.only=MQTT: the runs whose name has it
            List<String> none = runs.get("no sink (decoding, state, REST)");
            for (Map.Entry<String, List<String>> r : runs.entrySet()) {
                if (r.getValue().isEmpty() || only != null && !r.getKey().contains(only)) {
                    continue;
                }
                // each configuration warmed up (JIT) by -Dbench.warmups runs [2], the no-sink one once
                for (int w = Integer.getInteger("bench.warmups", 2); w > 0; w--) {
                    replay(dir.resolve("run" + run++), capture, r.getValue());
                }
                replay(dir.resolve("run" + run++), capture, none);
                double[] with = new double[pairs];
                double[] without = new double[pairs];
                double[] cost = new double[pairs];
                long delivered = 0;
                for (int i = 0; i < pairs; i++) {
                    without[i] = replay(dir.resolve("run" + run++), capture, none).microsPerFrame();
                    Result result = replay(dir.resolve("run" + run++), capture, r.getValue());
                    with[i] = result.microsPerFrame();
                    cost[i] = with[i] - without[i];
                    delivered = result.frames();
                }
                double[] sorted = cost.clone();
                Arrays.sort(sorted);
                System.out.printf("| %s | %,d | %.1f | %.1f | **%.1f** (%.1f to %.1f) |%n", r.getKey(), delivered, median(with),
                        median(without), median(cost), sorted[0], sorted[pairs - 1]);
            }
        }
        System.exit(0); // the stopped gateways' HTTP server threads would keep the JVM up
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private record Result(long frames, long cpuNanos, long wallNanos) {

        double microsPerFrame() {
            return cpuNanos / 1e3 / frames;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Result replay(Path dir, Path capture, List<String> sinks) throws Exception {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(List.of("tic.meters = bench",
                "tic.meter.bench.source = tic:file:" + capture + "?pace=asap",
                "tic.meter.bench.family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.enabled = false",
                "tic.sink.queue-size = 1000", // the replay waits on a full queue: a small live set, GC as in real use
                "camel.server.port = " + ExternalProcess.freePort()));
        lines.addAll(sinks);
        Path config = dir.resolve("bench.properties");
        Files.writeString(config, String.join("\n", lines) + "\n");
        GatewayMain gateway = new GatewayMain(config, name -> null);
        gateway.start();
        try {
            while (gateway.store().meter("bench") == null || gateway.store().meter("bench").statistics() == null) {
                Thread.sleep(1);
            }
            java.util.Map<String, Long> threads0 = Pinning.threadCpuNanos();
            long cpu0 = Pinning.cpuNanos();
            long wall0 = System.nanoTime();
            long first = gateway.store().meter("bench").statistics().getFramesDelivered();
            while (!drained(gateway)) {
                Thread.sleep(20);
            }
            long cpu = Pinning.cpuNanos() - cpu0;
            long wall = System.nanoTime() - wall0;
            if (Boolean.getBoolean("bench.threads")) { // -Dbench.threads=true: where the CPU went, by thread kind
                long frames = gateway.store().meter("bench").statistics().getFramesDelivered() - first;
                Pinning.threadCpuNanos().forEach((kind, ns) -> {
                    double perFrame = (ns - threads0.getOrDefault(kind, 0L)) / 1e3 / frames;
                    if (perFrame >= 0.5) {
                        System.out.printf("    %-60s %6.1f µs per frame%n", kind, perFrame);
                    }
                });
            }
            return new Result(gateway.store().meter("bench").statistics().getFramesDelivered() - first, cpu, wall);
        } finally {
            gateway.stop();
        }
    }

    /** The capture read to its end, every sink queue empty and nothing left in the spool. */
    private static boolean drained(GatewayMain gateway) {
        if (!gateway.store().meter("bench").statistics().isFinished()) {
            return false;
        }
        for (SedaEndpoint seda : gateway.camelContext().getEndpoints().stream()
                .filter(SedaEndpoint.class::isInstance).map(SedaEndpoint.class::cast).toList()) {
            if (seda.getCurrentQueueSize() > 0 || seda.getExchanges().size() > 0) {
                return false;
            }
        }
        for (String sink : GatewayConfig.DURABLE_SINKS) {
            if (gateway.delivery().spool() != null && gateway.delivery().spool().depth(sink) > 0) {
                return false;
            }
        }
        return true;
    }
}
