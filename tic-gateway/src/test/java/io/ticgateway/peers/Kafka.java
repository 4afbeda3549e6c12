package io.ticgateway.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Apache Kafka 4.1 broker in KRaft mode (one process is broker and controller), in its own JVM with
 * the class path of the {@code kafka-broker} module (Maven Central jars), on free loopback ports with its
 * log folder in a temporary directory. Topics are made and read with the Kafka client of the test class path.
 */
public final class Kafka implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classPath;
    private boolean formatted;
    private ExternalProcess process;

    public Kafka(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = ExternalProcess.freePort();
        this.controllerPort = ExternalProcess.freePort();
        String file = System.getProperty("kafka.classpath.file", "../kafka-broker/target/broker-classpath.txt");
        if (!Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("no Kafka class path at " + file + ": build the kafka-broker module first");
        }
        this.classPath = Files.readString(Path.of(file)).trim();
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String brokers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage the first time, starts the broker and waits until it answers; a restart keeps its data. */
    public Kafka start() throws IOException, InterruptedException {
        Path config = dir.resolve("server.properties");
        if (!formatted) {
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "group.consumer.min.session.timeout.ms=1000",
                    "group.min.session.timeout.ms=1000",
                    ""));
            int status = run("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId(), "-c", config.toString());
            if (status != 0) {
                throw new IOException("kafka storage format failed (" + status + "), see " + dir.resolve("kafka.log"));
            }
            formatted = true;
        }
        process = ExternalProcess.start(java("kafka.Kafka", config.toString()), dir.resolve("kafka.log"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the Kafka broker exited, see " + dir.resolve("kafka.log"));
            }
            if (answers()) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new IOException("the Kafka broker did not answer, see " + dir.resolve("kafka.log"));
    }

    /** Stops the broker (SIGTERM, a clean shutdown): an outage; {@link #start} brings it back with its topics. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Creates a topic with {@code partitions} partitions (replication 1). */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Every record of the topic, partition by partition, each in its partition's order. */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            out.sort(java.util.Comparator.comparingInt((ConsumerRecord<String, String> r) -> r.partition())
                    .thenComparingLong(ConsumerRecord::offset));
            return out;
        }
    }

    /** Bytes the broker stores for the topic (the sum of its partitions' logs, as the broker reports them). */
    public long bytes(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
            return admin.describeLogDirs(List.of(1)).allDescriptions().get().values().stream()
                    .flatMap(byDir -> byDir.values().stream())
                    .flatMap(logDir -> logDir.replicaInfos().entrySet().stream())
                    .filter(replica -> replica.getKey().topic().equals(topic))
                    .mapToLong(replica -> replica.getValue().size()).sum();
        }
    }

    /** Records in the topic (the sum of its partitions' end offsets). */
    public long count(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        } catch (IOException notYet) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000"))) {
            admin.describeCluster().nodes().get();
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    private int run(String mainClass, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(mainClass, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile())).start();
        return p.waitFor();
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlog4j2.StatusLogger.level=OFF",
                "-Dlog4j.configuration=file:" + log4j(), "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** Broker logs at WARN to its log file (stdout is redirected there). */
    private Path log4j() {
        Path file = dir.resolve("log4j.properties");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, "log4j.rootLogger=WARN, out\nlog4j.appender.out=org.apache.log4j.ConsoleAppender\n"
                        + "log4j.appender.out.layout=org.apache.log4j.PatternLayout\n"
                        + "log4j.appender.out.layout.ConversionPattern=%d %p %c{1} %m%n\n");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** A cluster id as Kafka makes them: a random UUID, URL-safe base64 without padding. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
