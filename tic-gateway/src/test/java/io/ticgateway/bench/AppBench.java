package io.ticgateway.bench;

import io.ticgateway.Corpus;
import io.ticgateway.app.GatewayMain;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Mosquitto;
import io.ticgateway.peers.MqttProbe;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Whole-application figures (run by {@code .ci/bench-app}): frames/s through the gateway with every sink
 * on (files, InfluxDB, MQTT, REST state) replaying a large capture, what each sink received, and the
 * resident memory of the packaged jar running one simulated meter.
 */
public final class AppBench {

    private static final int REPEATS = Integer.getInteger("bench.repeats", 6000);

    private AppBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tic-appbench");
        try {
            throughput(dir);
            residentMemory(dir, Integer.parseInt(args.length > 0 ? args[0] : "60"));
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // the stopped gateway's HTTP server threads would keep the JVM up
    }

    private static void throughput(Path dir) throws Exception {
        Path capture = dir.resolve("big.bin");
        byte[] standard = Corpus.bytes(Corpus.STANDARD_LAINS);
        try (OutputStream out = Files.newOutputStream(capture)) {
            for (int i = 0; i < REPEATS; i++) {
                out.write(standard);
            }
        }
        long frames = REPEATS * 12L;
        try (InfluxDb influx = new InfluxDb(dir.resolve("influx")).start();
             Mosquitto mosquitto = new Mosquitto(dir.resolve("mosquitto")).start();
             MqttProbe probe = new MqttProbe(mosquitto.url(), "tic/#")) {
            Path config = dir.resolve("bench.properties");
            Files.writeString(config, String.join("\n",
                    "tic.meters = bench",
                    "tic.meter.bench.source = tic:file:" + capture + "?pace=asap",
                    "tic.meter.bench.family = standard",
                    "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                    "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                    "tic.files.dir = " + dir.resolve("frames"), "tic.files.enabled = " + System.getProperty("bench.files", "true"),
                    "camel.server.port = " + ExternalProcess.freePort(),
                    "tic.influxdb.enabled = true", "tic.influxdb.url = " + influx.url(),
                    "tic.influxdb.batch-size = 1000", "tic.influxdb.batch-interval = 1000",
                    "tic.sink.queue-size = 100000",
                    "tic.mqtt.enabled = true", "tic.mqtt.url = " + mosquitto.url(), "tic.mqtt.interval = 1000", ""));
            GatewayMain gateway = new GatewayMain(config, name -> null);
            long start = System.nanoTime();
            gateway.start();
            double startup = (System.nanoTime() - start) / 1e9;
            while (gateway.store().meter("bench") == null || gateway.store().meter("bench").statistics() == null) {
                Thread.sleep(1);
            }
            long firstFrame = System.nanoTime();
            long atFirst = gateway.store().meter("bench").statistics().getFramesDelivered();
            while (!gateway.store().meter("bench").statistics().isFinished()) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - firstFrame) / 1e9;
            long delivered = gateway.store().meter("bench").statistics().getFramesDelivered();
            Thread.sleep(8000); // let the sinks drain their queues
            Path jsonl = dir.resolve("frames/bench/bench-" + LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".jsonl");
            long lines = 0;
            if (Files.exists(jsonl)) {
                try (Stream<String> s = Files.lines(jsonl)) {
                    lines = s.count();
                }
            }
            int points = influx.values("tic", "SELECT count(\"EAST\") FROM tic_standard").path(0).path(1).asInt();
            long states = probe.messages().stream().filter(m -> m.topic().equals("tic/bench/state")).count();
            gateway.stop();
            System.out.printf("%n[app] start-up %.1f s; then %d of %d frames through decoder, state store and sink"
                    + " queues in %.2f s: %.0f frames/s%n", startup, delivered, frames, seconds, (delivered - atFirst) / seconds);
            System.out.printf("[app] sinks after draining: files %d lines, InfluxDB %d points (distinct meter"
                    + " times: the capture repeats 11 DATE values), MQTT %d state messages (1 per interval)%n",
                    lines, points, states);
        }
    }

    private static void residentMemory(Path dir, int seconds) throws Exception {
        Path jar = Path.of("target/tic-gateway.jar").toAbsolutePath();
        int port = ExternalProcess.freePort();
        Path work = Files.createDirectories(dir.resolve("rss"));
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rss.log").toFile());
        pb.environment().put("CAMEL_SERVER_PORT", String.valueOf(port));
        Process p = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                if (i % 5 == 0) {
                    try {
                        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/meters")).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException notYet) {
                        // starting
                    }
                }
            }
            String status = Files.readString(Path.of("/proc/" + p.pid() + "/status"));
            String rss = status.lines().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
            String hwm = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
            System.out.printf("[rss] packaged jar, default JVM options, embedded default (1 simulated Linky, REST + files)"
                    + " after %d s: %s, peak %s%n", seconds, rss.replaceAll("\\s+", " "), hwm.replaceAll("\\s+", " "));
        } finally {
            p.destroy();
            p.waitFor();
        }
        ProcessBuilder small = new ProcessBuilder("java", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rss-small.log").toFile());
        small.environment().put("CAMEL_SERVER_PORT", String.valueOf(ExternalProcess.freePort()));
        Process q = small.start();
        try {
            Thread.sleep(seconds * 1000L);
            String status = Files.readString(Path.of("/proc/" + q.pid() + "/status"));
            String rss = status.lines().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
            System.out.printf("[rss] same with -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 (Raspberry Pi settings)"
                    + " after %d s: %s%n", seconds, rss.replaceAll("\\s+", " "));
        } finally {
            q.destroy();
            q.waitFor();
        }
    }
}
