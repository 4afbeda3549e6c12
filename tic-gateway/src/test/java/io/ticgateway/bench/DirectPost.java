package io.ticgateway.bench;

import io.ticgateway.app.InfluxClients;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;

/**
 * The baseline of the InfluxDB benchmarks: the same points POSTed straight to InfluxDB, in batches of the
 * same size, each batch's body joined beforehand (the loop does nothing but POST), with the client and
 * settings the gateway uses. Reports points/s and the CPU time of this JVM and of the peers while it runs.
 */
final class DirectPost {

    /** Points/s and the CPU used, in seconds, by this JVM and by its peers (influxd, a broker). */
    record Result(long points, double seconds, double ownCpu, double peersCpu) {

        double rate() {
            return points / seconds;
        }

        @Override
        public String toString() {
            return String.format("%d points in %.2f s: %.0f points/s (CPU: this JVM %.2f s, peers %.2f s)", points,
                    seconds, rate(), ownCpu, peersCpu);
        }
    }

    private final InfluxDB influx;
    private final String database;

    DirectPost(String url, String database) {
        this.influx = InfluxClients.connect(url, "", "", new okhttp3.Dispatcher());
        this.database = database;
    }

    /** POSTs {@code lines} in batches of {@code batchSize}. */
    Result post(List<String> lines, int batchSize) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += batchSize) {
            bodies.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + batchSize))));
        }
        return measure(lines.size(), () -> bodies.forEach(body ->
                influx.write(database, "", InfluxDB.ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, body)));
    }

    /** Times {@code work} that delivers {@code points}, with the CPU this JVM and its peers used meanwhile. */
    static Result measure(long points, Runnable work) {
        long cpu = Pinning.cpuNanos();
        long peers = Pinning.peersCpuNanos();
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(points, seconds, (Pinning.cpuNanos() - cpu) / 1e9, (Pinning.peersCpuNanos() - peers) / 1e9);
    }
}
