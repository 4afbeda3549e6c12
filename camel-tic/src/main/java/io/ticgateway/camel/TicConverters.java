package io.ticgateway.camel;

import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import java.util.Map;
import org.apache.camel.Converter;

/** Type converters of the frame body: canonical JSON as a String, and the same layout as a Map. */
@Converter(generateLoader = true)
public final class TicConverters {

    private TicConverters() {
    }

    /** The canonical JSON of a frame. */
    @Converter
    public static String toJson(MeterReading reading) {
        return ReadingJson.toJson(reading);
    }

    /** The canonical layout of a frame as maps, lists, numbers and strings. */
    @Converter
    public static Map<String, Object> toMap(MeterReading reading) {
        return ReadingJson.toMap(reading);
    }

    /** The canonical JSON as UTF-8 bytes (files, MQTT payloads). */
    @Converter
    public static byte[] toBytes(MeterReading reading) {
        return ReadingJson.toJson(reading).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
