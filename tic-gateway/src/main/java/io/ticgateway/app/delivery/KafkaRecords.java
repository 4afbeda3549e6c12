package io.ticgateway.app.delivery;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The Kafka records of a spooled batch: value the frame's canonical JSON, key the meter's name (one meter's
 * frames stay in one partition, in order), and header {@value #POINT_HEADER} the frame's InfluxDB point in
 * line protocol with its timestamp fixed by the gateway's spool, so that a central ingest writes exactly the
 * point a gateway with InfluxDB on would have written, as often as the record is read again.
 * In the spool a Kafka entry is the JSON, a newline, and the point (JSON and line protocol hold no raw newline).
 */
public final class KafkaRecords {

    /** Kafka header holding the frame's InfluxDB point (absent when the frame has no numeric field). */
    public static final String POINT_HEADER = "ticPoint";

    /** The spooled payload of a Kafka entry: the JSON, and the point when there is one. */
    public static String payload(String json, String point) {
        return point == null ? json : json + '\n' + point;
    }

    /** One message per row, for camel-kafka's producer (a list body is sent as one batch of records). */
    public List<Message> records(List<Spool.Row> rows, Exchange exchange) {
        List<Message> out = new ArrayList<>(rows.size());
        for (Spool.Row row : rows) {
            Message m = new DefaultMessage(exchange);
            String payload = row.payload();
            int newline = payload.indexOf('\n');
            m.setBody(newline < 0 ? payload : payload.substring(0, newline));
            m.setHeader(KafkaConstants.KEY, row.meter());
            if (newline >= 0) {
                m.setHeader(POINT_HEADER, payload.substring(newline + 1));
            }
            out.add(m);
        }
        return out;
    }
}
