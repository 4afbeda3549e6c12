package io.ticgateway.bench;

import io.ticgateway.app.InfluxClients;
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
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * How fast a backlog leaves the spool for a real InfluxDB 1.x: fills a spool with the points of an outage
 * of {@code meters} meters (one standard frame a second each, {@code seconds} long), then drains it through
 * the same write path as the gateway (SpoolDrainer → direct:influxdb-write → InfluxWriter) and prints
 * points/s and the time a one-hour outage of 1,000 meters (3.6 M points) would take at that rate.
 * Same run, baseline: the same points POSTed straight to InfluxDB in batches of the same size
 * ({@link DirectPost}). A first round of the same size warms both paths up (JIT, InfluxDB's series) and is not
 * reported. This JVM is pinned to core 0 and influxd to core 1.
 * {@code .ci/bench-drain [meters] [seconds] [batch-size] [catch-up-batch-size]}.
 */
public final class SpoolDrainBench {

    private static final long START = 1_767_571_200_000L;

    public static void main(String[] args) throws Exception {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int catchUp = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        Path dir = Files.createTempDirectory("drain-bench");
        try (InfluxDb influx = new InfluxDb(dir.resolve("influx")).start();
             Spool spool = Spool.open(dir.resolve("spool.db"))) {
            Pinning.pin(0, 1); // this JVM (spool, drainer, client) on core 0, influxd on core 1
            CamelContext camel = new DefaultCamelContext();
            InfluxWriter writer = new InfluxWriter(InfluxClients.connect(influx.url(), "", "", new okhttp3.Dispatcher()), "bench", "");
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:influxdb-write").bean(writer, "write"); // routes/sinks/influxdb.yaml
                }
            });
            camel.start();
            SpoolDrainer drainer = new SpoolDrainer("influxdb", spool, camel.createProducerTemplate(), batchSize, catchUp,
                    5000, 1000, 30_000, new SinkCounters());
            DirectPost direct = new DirectPost(influx.url(), "bench");
            for (int round = 0; round < 2; round++) {
                boolean warmUp = round == 0;
                int roundSeconds = seconds;
                long filling = System.nanoTime();
                List<String> baseline = fill(spool, meters, warmUp ? -roundSeconds : 0, roundSeconds);
                if (!warmUp) {
                    System.out.printf("spool filled: %d points in %.1f s (%d MB of payload)%n", spool.depth("influxdb"),
                            (System.nanoTime() - filling) / 1e9, spool.bytes() >> 20);
                }
                long total = spool.depth("influxdb");
                DirectPost.Result drained = DirectPost.measure(total, () -> drainer.flush(Long.MAX_VALUE));
                if (spool.depth("influxdb") != 0) {
                    throw new IllegalStateException("the drain stopped with " + spool.depth("influxdb") + " points left");
                }
                DirectPost.Result posted = direct.post(baseline, catchUp);
                if (!warmUp) {
                    System.out.printf("gateway (spool drain, batch %d, catch-up batch %d): %s%n", batchSize, catchUp, drained);
                    System.out.printf("direct POSTs of %d lines: %s%n", catchUp, posted);
                    System.out.printf("gateway/direct: %.0f %%; one-hour outage of 1,000 meters (3,600,000 points) at"
                            + " this rate: %.1f minutes%n", 100 * drained.rate() / posted.rate(), 3_600_000 / drained.rate() / 60);
                }
            }
            camel.stop();
        }
    }

    /**
     * Appends the points of {@code seconds} seconds of {@code meters} meters, from second {@code from}, as a
     * live gateway does (one transaction a second); returns the same points for the baseline, under another
     * measurement name (the same series count, written to its own measurement).
     */
    private static List<String> fill(Spool spool, int meters, int from, int seconds) {
        List<String> baseline = new ArrayList<>(meters * seconds);
        for (int s = from; s < from + seconds; s++) {
            List<Spool.Entry> entries = new ArrayList<>(meters);
            long millis = START + s * 1000L;
            for (int m = 0; m < meters; m++) {
                String line = "tic_standard,meter=m" + m + ",meter_id=0418765" + String.format("%05d", m)
                        + ",family=standard EAST=" + (12_000_000 + s) + ".0,SINSTS=" + (500 + Math.floorMod(s, 100))
                        + ".0,IRMS1=2.0,URMS1=231.0,NTARF=1.0 " + millis * 1_000_000L;
                entries.add(new Spool.Entry("influxdb", "m" + m, line, new PointClock.Tick(millis, 0)));
                baseline.add(line.replace("tic_standard", "tic_baseline"));
            }
            spool.append(entries);
        }
        return baseline;
    }
}
