package io.ticgateway.app.delivery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central profile's steps around the InfluxDB write route ({@code routes/central/central.yaml}): turns a
 * batch of Kafka records (one poll of a consumer group member) into the points they carry (header
 * {@value KafkaRecords#POINT_HEADER}, timestamps fixed by the gateways' spools: a record read twice writes the
 * same point), and commits each partition's offset only once the write route returned, InfluxDB having
 * accepted the batch.
 */
public final class CentralIngest {

    private static final Logger LOG = LoggerFactory.getLogger(CentralIngest.class);

    /** Exchange property: the last record's commit handle of each partition in the batch. */
    static final String COMMITS_PROPERTY = "ticKafkaCommits";

    /** Exchange property: the number of points sent to the write route. */
    static final String POINTS_PROPERTY = "ticPoints";

    private final String sink;
    private final SinkCounters counters;

    /**
     * @param sink the sink the points go to ({@code influxdb} or {@code influxdb2}), for the counters
     */
    public CentralIngest(String sink, SinkCounters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    /**
     * The batch's points for {@code direct:<sink>-write}: line protocol, one a line, as the spool's drainer
     * sends them; remembers each partition's last offset.
     */
    public String points(Exchange batch) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = batch.getMessage().getBody(List.class);
        StringBuilder lines = new StringBuilder(records.size() * 256);
        int points = 0;
        Map<Integer, KafkaManualCommit> commits = new LinkedHashMap<>();
        for (Exchange record : records) {
            var m = record.getMessage();
            commits.put(m.getHeader(KafkaConstants.PARTITION, Integer.class),
                    m.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
            Object point = m.getHeader(KafkaRecords.POINT_HEADER);
            int before = lines.length();
            if (point instanceof byte[] bytes) {
                lines.append(new String(bytes, StandardCharsets.UTF_8));
            } else if (point != null) {
                lines.append(point);
            }
            if (lines.length() > before) { // a frame with no numeric field has no point
                lines.append('\n');
                points++;
            }
        }
        batch.setProperty(COMMITS_PROPERTY, commits);
        batch.setProperty(POINTS_PROPERTY, points);
        return lines.toString();
    }

    /**
     * After the write: counts the points (the write route's body is the number InfluxDB refused for good, as
     * for the spool) and commits each partition's offset. A commit refused because the partitions moved to
     * another instance meanwhile is logged: that instance reads those records again and writes the same points.
     */
    public void commit(Exchange batch) {
        Object result = batch.getMessage().getBody();
        long refused = result instanceof Number n ? n.longValue() : 0;
        counters.delivered(sink, batch.getProperty(POINTS_PROPERTY, 0, Integer.class) - refused);
        counters.dropped(sink, "refused-by-sink", refused);
        @SuppressWarnings("unchecked")
        Map<Integer, KafkaManualCommit> commits = batch.getProperty(COMMITS_PROPERTY, Map.class);
        if (commits == null) {
            return;
        }
        for (KafkaManualCommit commit : commits.values()) {
            if (commit == null) {
                continue;
            }
            try {
                commit.commit();
            } catch (RuntimeException e) {
                LOG.warn("Kafka offset commit failed ({}): the records will be read again, their points written again",
                        e.getMessage());
            }
        }
    }
}
