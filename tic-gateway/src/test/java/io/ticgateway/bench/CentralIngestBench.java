package io.ticgateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.app.GatewayMain;
import io.ticgateway.app.InfluxPoints;
import io.ticgateway.app.delivery.KafkaRecords;
import io.ticgateway.app.delivery.PointClock;
import io.ticgateway.app.delivery.Spool;
import io.ticgateway.camel.TicConstants;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Kafka;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The central ingest Kafka → InfluxDB against a direct POST ({@code .ci/bench-central [meters] [frames per
 * meter] [batch size] [partitions]}): a real Kafka 4.1 broker (KRaft) and InfluxDB 1.x, started here; a topic
 * filled with the records of simulated Linky standard meters exactly as gateways write them (key the meter,
 * value the canonical JSON, header {@value KafkaRecords#POINT_HEADER} the point, sent by the Kafka sink's
 * producer settings); then the central profile of the gateway (config/examples/central.properties, the
 * project's routes) in this JVM, pinned to core 0, consumes the topic into InfluxDB (influxd and the broker
 * on core 1). Same run, baseline: the same points POSTed in batches of the same size ({@link DirectPost}).
 * A first topic of the same size warms both paths up (JIT) and is not reported.
 */
public final class CentralIngestBench {

    private static final long START = 1_767_571_200_000L;

    private CentralIngestBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) { // printed here: the script drops stderr, the gateways' log
            System.out.println("benchmark failed: " + e);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path dir = Files.createTempDirectory("central-bench");
        try (InfluxDb influx = new InfluxDb(dir.resolve("influx")).start();
             Kafka kafka = new Kafka(dir.resolve("kafka")).start()) {
            Pinning.pin(0, 1);
            DirectPost direct = new DirectPost(influx.url(), "bench");
            for (int round = 0; round < 2; round++) {
                boolean warmUp = round == 0;
                String topic = warmUp ? "warm-up" : "frames";
                kafka.createTopic(topic, partitions);
                long filling = System.nanoTime();
                List<String> baseline = fill(kafka, topic, meters, frames, warmUp);
                if (!warmUp) {
                    System.out.printf("topic filled: %d records of %d meters in %.1f s (%d partitions)%n", baseline.size(),
                            meters, (System.nanoTime() - filling) / 1e9, partitions);
                }
                long requests = writeRequests(influx);
                DirectPost.Result ingested = ingest(dir.resolve("central-" + round), influx, kafka, topic, batchSize,
                        baseline.size(), warmUp ? 0 : START);
                long batches = writeRequests(influx) - requests;
                DirectPost.Result posted = direct.post(baseline, batchSize);
                if (!warmUp) {
                    System.out.printf("central ingest (batch size %d, %.0f points per write on average): %s%n", batchSize,
                            (double) baseline.size() / batches, ingested);
                    System.out.printf("direct POSTs of %d lines: %s%n", batchSize, posted);
                    System.out.printf("central/direct: %.0f %%%n", 100 * ingested.rate() / posted.rate());
                }
            }
        }
    }

    /**
     * Puts {@code frames} frames of each of {@code meters} simulated meters on the topic, a second of every
     * meter at a time, as gateways' Kafka sinks do; returns their points under the baseline's measurement.
     */
    private static List<String> fill(Kafka kafka, String topic, int meters, int frames, boolean warmUp) throws Exception {
        List<MeterStream> streams = new ArrayList<>();
        List<MeterSimulator> simulators = new ArrayList<>();
        List<MeterReading> decoded = new ArrayList<>();
        for (int m = 0; m < meters; m++) {
            String id = String.format(Locale.ROOT, "04187654%04d", m);
            long start = warmUp ? START - frames * 10_000L : START;
            simulators.add(new MeterSimulator(SimulatedFamily.LINKY_STANDARD, id, 0, start, 42 + m));
            streams.add(new MeterStream(DecoderOptions.defaults(), null, decoded::add, r -> { }));
        }
        CamelContext camel = new DefaultCamelContext();
        KafkaRecords records = new KafkaRecords();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() { // routes/sinks/kafka.yaml's producer
                from("direct:kafka-write").bean(records, "records").to("kafka:" + topic + "?brokers=" + kafka.brokers()
                        + "&enableIdempotence=true&requestRequiredAcks=all&batchWithIndividualHeaders=true&lingerMs=5&compressionCodec=lz4");
            }
        });
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        InfluxPoints points = new InfluxPoints();
        PointClock clock = new PointClock(Map.of());
        List<String> baseline = new ArrayList<>(meters * frames);
        long id = 0;
        for (int f = 0; f < frames; f++) {
            List<Spool.Row> rows = new ArrayList<>(meters);
            for (int m = 0; m < meters; m++) {
                byte[] frame = simulators.get(m).nextFrame();
                streams.get(m).feed(frame, 0, frame.length);
                for (MeterReading reading : decoded) {
                    String meter = "m" + m;
                    DefaultExchange exchange = new DefaultExchange(camel);
                    exchange.getMessage().setBody(reading);
                    exchange.getMessage().setHeader(TicConstants.METER_NAME, meter);
                    InfluxPoints.Point point = points.point(exchange);
                    PointClock.Tick tick = clock.next(meter, point.timeMillis());
                    String line = point.line(tick.nanos());
                    rows.add(new Spool.Row(id++, meter, 0, KafkaRecords.payload(ReadingJson.toJson(reading), line), tick));
                    baseline.add(line.replaceFirst("^tic_standard,", "tic_baseline,"));
                }
                decoded.clear();
            }
            template.requestBody("direct:kafka-write", rows);
        }
        camel.stop();
        return baseline;
    }

    /**
     * Runs a central instance on the topic until it wrote {@code total} points; times it from its first
     * written batch (the group joined) to its last.
     */
    private static DirectPost.Result ingest(Path dir, InfluxDb influx, Kafka kafka, String topic, int batchSize,
                                            long total, long fromMillis) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> env = new HashMap<>(Map.of("TIC_ROUTES_DIR", Path.of("../routes").toAbsolutePath().toString(),
                "TIC_STATE_FILE", dir.resolve("state.json").toString(),
                "CAMEL_SERVER_PORT", String.valueOf(ExternalProcess.freePort()),
                "TIC_INFLUXDB_URL", influx.url(), "TIC_INFLUXDB_DATABASE", "bench",
                "TIC_CENTRAL_BROKERS", kafka.brokers(), "TIC_CENTRAL_TOPIC", topic,
                "TIC_CENTRAL_GROUP_ID", "bench-" + topic, "TIC_CENTRAL_BATCH_SIZE", String.valueOf(batchSize)));
        GatewayMain central = new GatewayMain(Path.of("../config/examples/central.properties"), env::get);
        central.start();
        try {
            long deadline = System.nanoTime() + 600_000_000_000L;
            long first;
            while ((first = central.sinkCounters().deliveredCount("influxdb")) == 0) {
                check(deadline, 0, total);
                Thread.sleep(1);
            }
            long before = first;
            return DirectPost.measure(total - before, () -> {
                long done = before;
                while (done < total) {
                    check(deadline, done, total);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    done = central.sinkCounters().deliveredCount("influxdb");
                }
                // a rebalance while the group settles may have written some records twice: wait for all in InfluxDB
                while (written(influx, fromMillis) < total) {
                    check(deadline, written(influx, fromMillis), total);
                }
            });
        } finally {
            central.stop();
        }
    }

    /** The points of the simulated meters in InfluxDB from {@code fromMillis} on. */
    private static long written(InfluxDb influx, long fromMillis) {
        try {
            return influx.values("bench", "SELECT count(\"EAST\") FROM tic_standard WHERE time >= " + fromMillis * 1_000_000L)
                    .path(0).path(1).asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(long deadline, long done, long total) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the central ingest wrote " + done + " of " + total + " points in 10 minutes");
        }
    }

    /** InfluxDB's count of write requests so far (its in-memory statistics). */
    private static long writeRequests(InfluxDb influx) throws Exception {
        JsonNode stats = influx.query("", "SHOW STATS FOR 'httpd'");
        JsonNode series = stats.path("results").path(0).path("series").path(0);
        List<String> columns = new ArrayList<>();
        series.path("columns").forEach(c -> columns.add(c.asText()));
        return series.path("values").path(0).path(columns.indexOf("writeReq")).asLong();
    }
}
