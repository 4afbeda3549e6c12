package io.ticgateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.DecoderOptions;
import java.util.ArrayList;
import java.util.List;

/** What the decode command writes for some bytes, without the receive time, to compare with exchanges. */
public final class DecodedJson {

    private DecodedJson() {
    }

    public static List<String> decodeJson(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        MeterStream stream = new MeterStream(DecoderOptions.defaults(), null,
                r -> lines.add(withoutReceiveTime(ReadingJson.toJson(r))), r -> { });
        stream.feed(bytes, 0, bytes.length);
        stream.endOfInput();
        return lines;
    }

    public static String withoutReceiveTime(String json) {
        try {
            ObjectNode node = (ObjectNode) ReadingJson.mapper().readTree(json);
            node.remove("receivedAt");
            return node.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
