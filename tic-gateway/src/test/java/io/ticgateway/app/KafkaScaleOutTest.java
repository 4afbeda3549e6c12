package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.InfluxDb;
import io.ticgateway.peers.Kafka;
import io.ticgateway.peers.TestPeersExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many meters through Kafka, against a real Kafka 4.1 broker (KRaft) and a real InfluxDB, both started by the
 * tests: captures replayed as fast as possible reach the topic whole, in order per meter, through a broker
 * restart; the central profile writes them to InfluxDB once each, shares the partitions between two
 * instances, and the remaining instance takes them all over when the other stops.
 */
@ExtendWith(TestPeersExtension.class)
class KafkaScaleOutTest {

    @TempDir
    Path dir;

    /** What every instance of the test has: the project's routes, its own state file and HTTP port, no files sink. */
    private List<String> common(String name) throws java.io.IOException {
        return List.of("tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve(name + "-state.json"), "tic.files.enabled = false",
                "camel.server.port = " + ExternalProcess.freePort());
    }

    /** A gateway replaying one capture per meter (as fast as it can) to Kafka. */
    private GatewayMain gateway(Kafka kafka, String topic, Map<String, Path> captures, String name) throws Exception {
        List<String> lines = new ArrayList<>(common(name));
        lines.addAll(List.of(
                "tic.meters = " + String.join(", ", captures.keySet()),
                "tic.spool.file = " + dir.resolve(name + "-spool/spool.db"),
                "tic.kafka.enabled = true",
                "tic.kafka.brokers = " + kafka.brokers(),
                "tic.kafka.topic = " + topic,
                "tic.kafka.batch-size = 200",
                "tic.kafka.batch-interval = 200",
                "tic.kafka.retry-delay = 200",
                "tic.spool.max-retry-delay = 1000",
                "tic.kafka.compression =")); // empty: the default codec (checked with the topic's size below)
        captures.forEach((meter, file) -> {
            lines.add("tic.meter." + meter + ".source = tic:file:" + file + "?pace=asap");
            lines.add("tic.meter." + meter + ".family = standard");
        });
        Path config = Files.writeString(dir.resolve(name + ".properties"), String.join("\n", lines) + "\n");
        GatewayMain gateway = new GatewayMain(config, n -> null);
        gateway.start();
        return gateway;
    }

    /** A central instance (config/examples/central.properties, with the test's peers): Kafka → InfluxDB, no meter. */
    private GatewayMain central(Kafka kafka, InfluxDb influx, String topic, String group, String name) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (String line : common(name)) {
            String[] kv = line.split(" = ", 2);
            env.put(kv[0].toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), kv[1]);
        }
        env.putAll(Map.of("TIC_INFLUXDB_URL", influx.url(), "TIC_INFLUXDB_DATABASE", "scaleout",
                "TIC_CENTRAL_BROKERS", kafka.brokers(), "TIC_CENTRAL_TOPIC", topic, "TIC_CENTRAL_GROUP_ID", group,
                "TIC_CENTRAL_BATCH_INTERVAL", "200", "TIC_CENTRAL_RETRY_DELAY", "200",
                "TIC_CENTRAL_SESSION_TIMEOUT", "6000", "TIC_CENTRAL_HEARTBEAT_INTERVAL", "1000",
                "TIC_CENTRAL_CONSUMERS", "1")); // one group member per instance: the sharing checked is the instances'
        GatewayMain central = new GatewayMain(Path.of("../config/examples/central.properties"), env::get);
        central.start();
        return central;
    }

    private Map<String, Path> captures(int meters, int frames, String prefix) throws Exception {
        Map<String, Path> out = new LinkedHashMap<>();
        for (int i = 0; i < meters; i++) {
            String meter = prefix + i;
            out.put(meter, SimulatedCapture.standard(dir.resolve(meter + ".bin"), frames, "0418765432" + (10 + i)));
        }
        return out;
    }

    /** Each frame's sequence number, per key, in the topic's order, first occurrences only (a batch sent again after a failure repeats frames). */
    private static Map<String, List<Long>> sequencesPerKey(List<ConsumerRecord<String, String>> records) throws Exception {
        Map<String, Set<Long>> seen = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode json = ReadingJson.mapper().readTree(r.value());
            seen.computeIfAbsent(r.key(), k -> new LinkedHashSet<>())
                    .add(json.path("sequence").asLong());
        }
        Map<String, List<Long>> out = new TreeMap<>();
        seen.forEach((key, times) -> out.put(key, List.copyOf(times)));
        return out;
    }

    @Test
    void captureReplayedAsFastAsPossibleReachesTheTopicWholeAndInOrderThroughABrokerRestart(Kafka kafka) throws Exception {
        String topic = "replay";
        kafka.createTopic(topic, 3);
        Map<String, Path> captures = captures(3, 2000, "m");
        GatewayMain gateway = gateway(kafka, topic, captures, "replay");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.count(topic) >= 300);
            kafka.stop(); // mid-run: the spool keeps what the broker cannot take
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.delivery().spool().depth("kafka") > 0);
            // and the outage is known within the delivery timeout (15 s), not the client's default 2 minutes
            await().atMost(Duration.ofSeconds(40)).until(() -> gateway.sinkCounters().snapshot().get("kafka")
                    .toString().contains("failing=true"));
            kafka.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.delivery().spool().depth("kafka") == 0 && gateway.store().meters().stream()
                            .allMatch(m -> m.frames() == 2000));
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.delivery().spool().depth("kafka") == 0);

            List<ConsumerRecord<String, String>> records = kafka.readAll(topic);
            Map<String, List<Long>> sequences = sequencesPerKey(records);
            assertThat(sequences.keySet()).containsExactlyElementsOf(captures.keySet());
            for (Map.Entry<String, List<Long>> meter : sequences.entrySet()) {
                assertThat(meter.getValue()).as("frames of %s", meter.getKey()).hasSize(2000);
                assertThat(meter.getValue()).as("order of %s", meter.getKey()).isSorted();
            }
            // one partition per meter: its order is the topic's
            Map<String, Set<Integer>> partitions = new TreeMap<>();
            records.forEach(r -> partitions.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.partition()));
            partitions.values().forEach(p -> assertThat(p).hasSize(1));
            @SuppressWarnings("unchecked")
            Map<String, Long> dropped = (Map<String, Long>) ((Map<String, Object>) gateway.sinkCounters().snapshot()
                    .get("kafka")).get("dropped");
            assertThat(dropped).isNotEmpty().allSatisfy((reason, n) -> assertThat(n).as(reason).isZero());
            // the batches compressed (tic.kafka.compression empty: lz4, the default): a meter's frames repeat themselves
            long json = records.stream().mapToLong(r -> r.value().length()).sum();
            assertThat(kafka.bytes(topic)).as("bytes on the broker for %d bytes of JSON", json).isLessThan(json / 5);
        } finally {
            gateway.stop();
        }
    }

    @Test
    void centralInstancesWriteEveryFrameOnceShareThePartitionsAndTakeOver(Kafka kafka, InfluxDb influx) throws Exception {
        String topic = "central";
        kafka.createTopic(topic, 4);
        GatewayMain first = central(kafka, influx, topic, "ingest", "central-1");
        GatewayMain second = central(kafka, influx, topic, "ingest", "central-2");
        GatewayMain replay = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.brokers()))) {
            // the two instances share the four partitions, two each, once the group settled
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Set<TopicPartition>> members = assignments(admin, "ingest");
                return members.size() == 2 && members.values().stream().allMatch(p -> p.size() == 2);
            });

            GatewayMain site = gateway(kafka, topic, captures(6, 300, "a"), "site-a");
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> points(influx) == 1800);
            } finally {
                site.stop();
            }
            assertThat(first.sinkCounters().deliveredCount("influxdb")).as("first instance's points").isPositive();
            assertThat(second.sinkCounters().deliveredCount("influxdb")).as("second instance's points").isPositive();

            first.stop(); // its partitions go to the second instance
            await().atMost(Duration.ofSeconds(60)).until(() -> assignments(admin, "ingest").values().stream()
                    .anyMatch(p -> p.size() == 4));
            long before = second.sinkCounters().deliveredCount("influxdb");
            site = gateway(kafka, topic, captures(6, 300, "b"), "site-b");
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> points(influx) == 3600);
            } finally {
                site.stop();
            }
            assertThat(second.sinkCounters().deliveredCount("influxdb") - before).isGreaterThanOrEqualTo(1800);
            // committed after the writes: every partition's offset reaches its end
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, "ingest") == kafka.count(topic));

            // the whole topic read again by another group writes the same points: still one per frame
            replay = central(kafka, influx, topic, "replay", "central-3");
            GatewayMain again = replay;
            await().atMost(Duration.ofSeconds(120)).until(() -> committed(admin, "replay") == kafka.count(topic));
            assertThat(again.sinkCounters().deliveredCount("influxdb")).isEqualTo(3600);
            Map<String, Integer> perMeter = pointsPerMeter(influx);
            assertThat(perMeter).hasSize(12);
            assertThat(perMeter.values()).containsOnly(300);
        } finally {
            first.stop();
            second.stop();
            if (replay != null) {
                replay.stop();
            }
        }
    }

    private static int points(InfluxDb influx) throws Exception {
        return influx.values("scaleout", "SELECT count(\"EAST\") FROM tic_standard").path(0).path(1).asInt();
    }

    private static Map<String, Integer> pointsPerMeter(InfluxDb influx) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode series : influx.query("scaleout", "SELECT count(\"EAST\") FROM tic_standard GROUP BY \"meter\"")
                .path("results").path(0).path("series")) {
            out.put(series.path("tags").path("meter").asText(), series.path("values").path(0).path(1).asInt());
        }
        return out;
    }

    /** Each member of a consumer group and its partitions. */
    private static Map<String, Set<TopicPartition>> assignments(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        Map<String, Set<TopicPartition>> out = new TreeMap<>();
        for (MemberDescription m : description.members()) {
            out.put(m.consumerId(), m.assignment().topicPartitions());
        }
        return out;
    }

    /** The sum of a group's committed offsets. */
    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }
}
