package io.ticgateway.bench;

import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import io.ticgateway.peers.PtyPair;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * Latency from a frame's ETX on a serial line to an MQTT subscriber ({@code .ci/bench-latency}). The
 * packaged jar runs in its own JVM, as the systemd service runs it, with one meter on the gateway end of a
 * socat pty pair and MQTT publishing every frame. This JVM writes simulated Linky standard frames (each its
 * own meter time) into the meter end at a steady pace and notes {@link System#nanoTime()} once the write
 * that ends with the ETX returned; a Paho subscriber in this same JVM notes when each state message
 * arrives and matches it to its frame by the meter time it carries ({@code "time"}). Half-way between two
 * frames, this JVM also publishes a message of the same size itself (QoS 1, retained, as the gateway does):
 * the broker and client share of the latency, measured in the same run.
 */
public final class MqttLatencyBench {

    private static final String METER = "bench";
    private static final String STATE_TOPIC = "tic/" + METER + "/state";
    private static final String BASELINE_TOPIC = "tic/baseline";
    private static final int STATE_BYTES = 2_900; // a Linky standard frame's canonical JSON

    private MqttLatencyBench() {
    }

    /**
     * What was written, by measured frame: its meter time (epoch s), and when its ETX and the baseline went
     * out; and the gateway's CPU time and this JVM's clock at the first and after the last measured frame.
     */
    private record Sent(long[] meterTimes, long[] etxNanos, long[] etxWallMicros, long[] baselineNanos,
                        long[] gatewayCpuNanos, long[] clockNanos) {

        Sent(int frames) {
            this(new long[frames], new long[frames], new long[frames], new long[frames], new long[2], new long[2]);
        }

        void mark(int at, ProcessHandle gateway) {
            gatewayCpuNanos[at] = gateway.info().totalCpuDuration().orElseThrow().toNanos();
            clockNanos[at] = System.nanoTime();
        }
    }

    /**
     * Arguments: the packaged jar, frames measured [1000], ms between two frames [150], {@code tic.mqtt.interval}
     * in ms [0: per frame], warm-up frames [200].
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        long paceMillis = args.length > 2 ? Long.parseLong(args[2]) : 150;
        long intervalMillis = args.length > 3 ? Long.parseLong(args[3]) : 0;
        int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        Path dir = Files.createTempDirectory("latency-bench");
        try (Mosquitto mosquitto = new Mosquitto(dir.resolve("mosquitto")).start();
             PtyPair line = new PtyPair(Files.createDirectories(dir.resolve("line"))).start();
             MqttProbe subscriber = new MqttProbe(mosquitto.url(), "#")) {
            int port = ExternalProcess.freePort();
            Process gateway = startGateway(jar, dir, mosquitto.url(), line.gatewayEnd(), intervalMillis, port);
            MqttClient publisher = new MqttClient(mosquitto.url(), "latency-baseline", new MemoryPersistence());
            try (OutputStream meter = new FileOutputStream(line.meterEnd().toFile())) {
                publisher.connect();
                waitForOnline(subscriber, gateway, dir);
                Sent sent = play(meter, publisher, gateway.toHandle(), frames, warmUp, TimeUnit.MILLISECONDS.toNanos(paceMillis));
                awaitLast(subscriber, sent.meterTimes()[frames - 1]);
                System.out.printf("%nframes measured %,d (after %,d of warm-up), one every %d ms, tic.mqtt.interval = %d ms%n",
                        frames, warmUp, paceMillis, intervalMillis);
                report(sent, subscriber.messages(), paceMillis);
                System.out.println("gateway's counters: " + counters(port) + "; " + (frames + warmUp) + " frames written, "
                        + subscriber.messages().stream().filter(m -> !m.topic().equals(BASELINE_TOPIC)).count()
                        + " messages from the gateway received");
            } finally {
                gateway.destroy();
                gateway.waitFor(10, TimeUnit.SECONDS);
                gateway.destroyForcibly();
                publisher.disconnect();
                publisher.close();
            }
        }
    }

    /** Writes the frames at their pace, a baseline message half-way between two of them. */
    private static Sent play(OutputStream meter, MqttClient publisher, ProcessHandle gateway, int frames, int warmUp,
                             long paceNanos) throws Exception {
        // the simulated clock advanced as at 4800 Bd (1.85 s a frame): every DATE its own second (at 9600 Bd,
        // 0.93 s a frame, one frame in 13 would share its second with the one before)
        MeterSimulator simulator = new MeterSimulator(SimulatedFamily.LINKY_STANDARD, null, 4800, 1_768_464_000_000L, 42);
        Sent sent = new Sent(frames);
        long next = System.nanoTime();
        for (int i = -warmUp; i < frames; i++) {
            if (i == 0) {
                sent.mark(0, gateway);
            }
            next += paceNanos;
            long meterTime = simulator.clockMillis() / 1000; // the frame's DATE, to the second
            byte[] frame = simulator.nextFrame();
            meter.write(frame); // STX ... ETX in one write: a pty takes it at once
            meter.flush();
            long etx = System.nanoTime();
            LockSupport.parkNanos(next - paceNanos / 2 - System.nanoTime());
            long baseline = System.nanoTime();
            publisher.publish(BASELINE_TOPIC, baselinePayload(i), 1, true);
            if (i >= 0) {
                sent.meterTimes()[i] = meterTime;
                sent.etxNanos()[i] = etx;
                sent.etxWallMicros()[i] = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())
                        - (System.nanoTime() - etx) / 1_000;
                sent.baselineNanos()[i] = baseline;
            }
            LockSupport.parkNanos(next - System.nanoTime());
        }
        sent.mark(1, gateway);
        return sent;
    }

    /** The baseline message number {@code i}: its number, then padding to the size of a state. */
    private static byte[] baselinePayload(int i) {
        byte[] payload = new byte[STATE_BYTES];
        Arrays.fill(payload, (byte) ' ');
        byte[] number = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(number, 0, payload, 0, number.length);
        return payload;
    }

    /** The packaged jar with the service's JVM flags, one meter on the pty, MQTT state for every frame. */
    private static Process startGateway(Path jar, Path dir, String mqttUrl, Path serial, long intervalMillis,
                                        int port) throws Exception {
        Path work = Files.createDirectories(dir.resolve("gateway"));
        Path config = work.resolve("latency.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = " + METER,
                "tic.meter." + METER + ".source = tic:serial:" + serial + "?mode=standard",
                "tic.meter." + METER + ".family = standard",
                "tic.files.enabled = false",
                "tic.mqtt.enabled = true",
                "tic.mqtt.url = " + mqttUrl,
                // per-frame publishing (interval 0: no aggregation; above 0, the latest frame of each interval),
                // the publishing policy letting every state through (interval mode, no minimum gap)
                "tic.mqtt.interval = " + intervalMillis,
                "tic.mqtt.publish = interval",
                "tic.mqtt.publish-interval = 0",
                "camel.server.port = " + port) + "\n");
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(serviceJvmFlags());
        String extra = System.getenv("GATEWAY_JAVA_OPTS"); // e.g. -XX:StartFlightRecording=filename=gateway.jfr
        if (extra != null && !extra.isBlank()) {
            command.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
        System.out.println("gateway: " + String.join(" ", command));
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile()).start();
    }

    /** The JVM flags of {@code config/systemd/tic-gateway.service} (its {@code -X} options but the OOM hook). */
    private static List<String> serviceJvmFlags() throws Exception {
        String unit = Files.readString(Path.of("../config/systemd/tic-gateway.service"));
        String exec = unit.substring(unit.indexOf("ExecStart="), unit.indexOf("-jar", unit.indexOf("ExecStart=")));
        return Arrays.stream(exec.split("\\s+")).filter(t -> t.startsWith("-X") && !t.contains("OnOutOfMemoryError"))
                .toList();
    }

    /** The meter's frames delivered and rejected by the reader, and the MQTT sink's counters, from {@code /api/meters}. */
    private static String counters(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/meters")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(response.body());
        JsonNode health = body.path("meters").path(0).path("health");
        return "frames delivered " + health.path("framesDelivered") + ", rejected " + health.path("framesRejected")
                + "; sink mqtt " + body.path("sinks").path("mqtt");
    }

    /** Until the gateway published its availability (it is connected to the broker and its routes run). */
    private static void waitForOnline(MqttProbe subscriber, Process gateway, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!"online".equals(subscriber.last("tic/gateway/availability"))) {
            if (!gateway.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway did not come online, see " + dir.resolve("gateway/gateway.log"));
            }
            Thread.sleep(50);
        }
    }

    /** Until the last frame's state arrived, or 10 s passed (then the missing ones are reported). */
    private static void awaitLast(MqttProbe subscriber, long lastMeterTime) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Long.valueOf(lastMeterTime).equals(meterTime(subscriber.last(STATE_TOPIC)))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // a reordered straggler
    }

    /** The frame's meter time in epoch seconds: the first {@code "time"} of the canonical JSON (the frame's). */
    private static Long meterTime(String json) {
        Instant time = json == null ? null : isoField(json, "time");
        return time == null ? null : time.getEpochSecond();
    }

    /** The first string field {@code name} of a JSON text as an instant (ISO-8601), or null. */
    private static Instant isoField(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        return OffsetDateTime.parse(json.substring(start, json.indexOf('"', start))).toInstant();
    }

    /**
     * Percentiles of the whole latency, of its two parts (until the gateway's reader took the ETX, its
     * {@code receivedAt} on a millisecond wall clock; from there to the subscriber), and of the baseline.
     * A frame never received is listed with the latency of the next one received.
     */
    private static void report(Sent sent, List<MqttProbe.Received> messages, long paceMillis) {
        Map<Long, MqttProbe.Received> states = new HashMap<>(); // by meter time (epoch s)
        Map<Integer, Long> baselines = new HashMap<>(); // arrival, by number
        int twice = 0;
        for (MqttProbe.Received m : messages) {
            if (m.topic().equals(STATE_TOPIC) && states.putIfAbsent(meterTime(m.payload()), m) != null) {
                twice++;
            } else if (m.topic().equals(BASELINE_TOPIC)) {
                baselines.put(Integer.valueOf(m.payload().trim()), m.arrivedNanos());
            }
        }
        List<Double> total = new ArrayList<>();
        List<Double> reader = new ArrayList<>();
        List<Double> rest = new ArrayList<>();
        List<Double> baseline = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < sent.meterTimes().length; i++) {
            Long broker = baselines.get(i);
            if (broker != null) {
                baseline.add((broker - sent.baselineNanos()[i]) / 1e6);
            }
            MqttProbe.Received m = states.get(sent.meterTimes()[i]);
            if (m == null) {
                missing.add(sent.meterTimes()[i] + " (next received after " + nextLatency(sent, states, i) + " ms"
                        + elsewhere(messages, sent.meterTimes()[i]) + ")");
                continue;
            }
            double ms = (m.arrivedNanos() - sent.etxNanos()[i]) / 1e6;
            double toReader = (isoField(m.payload(), "receivedAt").toEpochMilli() * 1000 - sent.etxWallMicros()[i]) / 1e3;
            total.add(ms);
            reader.add(toReader);
            rest.add(ms - toReader);
        }
        System.out.printf("| span | messages | p50 ms | p90 ms | p99 ms | max ms |%n|---|---|---|---|---|---|%n");
        row("ETX written → state at the subscriber", total);
        row("ETX written → frame decoded (gateway's receivedAt, ±1 ms)", reader);
        row("frame decoded → state at the subscriber (±1 ms)", rest);
        row("baseline: " + STATE_BYTES + " bytes published by this JVM (QoS 1) → subscriber", baseline);
        System.out.printf("states never received: %d%s; baselines never received: %d%n", missing.size(),
                missing.isEmpty() ? "" : ", meter times (epoch s): " + missing.subList(0, Math.min(20, missing.size())),
                sent.meterTimes().length - baseline.size());
        double seconds = (sent.clockNanos()[1] - sent.clockNanos()[0]) / 1e9;
        double cpu = (sent.gatewayCpuNanos()[1] - sent.gatewayCpuNanos()[0]) / 1e9;
        System.out.printf("gateway CPU while measured: %.2f s in %.1f s (%.1f %% of a core, %.2f ms per frame)%n", cpu,
                seconds, 100 * cpu / seconds, 1e3 * cpu / sent.meterTimes().length);
        if (twice > 0) {
            System.out.println(twice + " state messages carried a meter time already received");
        }
        if (!missing.isEmpty()) {
            System.out.println("(a state is the latest frame of its tic.mqtt.interval: a frame followed by another"
                    + " before its interval closed, " + paceMillis + " ms apart here, is superseded)");
        }
    }

    /** The topics other than the state's where a state of this meter time went, if any. */
    private static String elsewhere(List<MqttProbe.Received> messages, long meterTime) {
        List<String> topics = new ArrayList<>();
        for (MqttProbe.Received m : messages) {
            if (!m.topic().equals(STATE_TOPIC) && m.payload().startsWith("{\"meter\"")
                    && Long.valueOf(meterTime).equals(meterTime(m.payload()))) {
                topics.add(m.topic());
            }
        }
        return topics.isEmpty() ? "" : "; its state went to " + topics;
    }

    private static String nextLatency(Sent sent, Map<Long, MqttProbe.Received> states, int i) {
        for (int j = i + 1; j < sent.meterTimes().length; j++) {
            MqttProbe.Received m = states.get(sent.meterTimes()[j]);
            if (m != null) {
                return String.format("%.1f", (m.arrivedNanos() - sent.etxNanos()[j]) / 1e6);
            }
        }
        return "-";
    }

    private static void row(String span, List<Double> values) {
        double[] ms = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("| %s | %,d | %.2f | %.2f | %.2f | %.2f |%n", span, ms.length, percentile(ms, 50),
                percentile(ms, 90), percentile(ms, 99), percentile(ms, 100));
    }

    /** Nearest rank. */
    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
