package io.ticgateway.bench;

import io.ticgateway.app.delivery.InfluxWriter;
import io.ticgateway.app.delivery.PointClock;
import io.ticgateway.app.delivery.SinkCounters;
import io.ticgateway.app.delivery.Spool;
import io.ticgateway.app.delivery.SpoolDrainer;
import io.ticgateway.peers.InfluxDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.influxdb.InfluxDBFactory;

/**
 * How fast a backlog leaves the spool for a real InfluxDB 1.x: fills a spool with the points of an outage
 * of {@code meters} meters (one standard frame a second each, {@code seconds} long), then drains it through
 * the same write path as the gateway (SpoolDrainer → direct:influxdb-write → InfluxWriter) and prints
 * points/s and the time a one-hour outage of 1,000 meters (3.6 M points) would take at that rate.
 * Same run, direct baseline: one POST of the same lines in batches, without the spool. This JVM is pinned to
 * core 0 and influxd to core 1.
 * {@code .ci/bench-drain [meters] [seconds] [batch-size] [catch-up-batch-size]}.
 */
public final class SpoolDrainBench {

    public static void main(String[] args) throws Exception {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int catchUp = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        Path dir = Files.createTempDirectory("drain-bench");
        try (InfluxDb influx = new InfluxDb(dir.resolve("influx")).start();
             Spool spool = Spool.open(dir.resolve("spool.db"))) {
            Pinning.pin(0, 1); // this JVM (spool, drainer, client) on core 0, influxd on core 1
            long start = 1_767_571_200_000L;
            long filling = System.nanoTime();
            List<String> lines = new ArrayList<>();
            for (int s = 0; s < seconds; s++) {
                List<Spool.Entry> entries = new ArrayList<>(meters);
                for (int m = 0; m < meters; m++) {
                    long millis = start + s * 1000L;
                    String line = "tic_standard,meter=m" + m + ",meter_id=0418765" + String.format("%05d", m)
                            + ",family=standard EAST=" + (12_000_000 + s) + ".0,SINSTS=" + (500 + s % 100)
                            + ".0,IRMS1=2.0,URMS1=231.0,NTARF=1.0 " + millis * 1_000_000L;
                    entries.add(new Spool.Entry("influxdb", "m" + m, line, new PointClock.Tick(millis, 0)));
                    lines.add(line.replace("tic_standard", "tic_baseline"));
                }
                spool.append(entries);
            }
            System.out.printf("spool filled: %d points in %.1f s (%d MB of payload)%n", spool.depth("influxdb"),
                    (System.nanoTime() - filling) / 1e9, spool.bytes() >> 20);

            CamelContext camel = new DefaultCamelContext();
            InfluxWriter writer = new InfluxWriter(InfluxDBFactory.connect(influx.url()), "bench", "");
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:influxdb-write").bean(writer, "write");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            long total = spool.depth("influxdb");
            SpoolDrainer drainer = new SpoolDrainer("influxdb", spool, template, batchSize, catchUp, 5000, 1000, 30_000,
                    new SinkCounters());
            long t0 = System.nanoTime();
            drainer.flush(Long.MAX_VALUE);
            double drainSeconds = (System.nanoTime() - t0) / 1e9;
            double rate = total / drainSeconds;

            org.influxdb.InfluxDB direct = InfluxDBFactory.connect(influx.url());
            long t1 = System.nanoTime();
            for (int i = 0; i < lines.size(); i += catchUp) {
                direct.write("bench", "autogen", org.influxdb.InfluxDB.ConsistencyLevel.ONE,
                        java.util.concurrent.TimeUnit.NANOSECONDS, lines.subList(i, Math.min(lines.size(), i + catchUp)));
            }
            double directSeconds = (System.nanoTime() - t1) / 1e9;
            camel.stop();
            double directRate = lines.size() / directSeconds;
            System.out.printf("drained %d points in %.1f s: %.0f points/s (batch %d, catch-up batch %d); direct POSTs of %d lines"
                    + " without the spool: %.0f points/s; gateway/direct: %.0f %%%n", total, drainSeconds, rate, batchSize,
                    catchUp, catchUp, directRate, 100 * rate / directRate);
            System.out.printf("one-hour outage of 1,000 meters (3,600,000 points) at this rate: %.1f minutes%n",
                    3_600_000 / rate / 60);
        }
    }
}
