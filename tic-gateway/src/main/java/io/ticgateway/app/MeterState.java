package io.ticgateway.app;

import io.ticgateway.camel.TicStatistics;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import java.util.Map;

/**
 * What the gateway knows of one meter: its latest interpreted frame, and the statistics of its source.
 *
 * @param name       the configured name
 * @param meterId    ADSC/ADCO/ADS
 * @param family     standard, historic or pmepmi
 * @param reading    the latest frame received in this run, or null for a state restored from disk
 * @param restored   the latest frame saved by a previous run (canonical layout), or null
 * @param frames     frames received
 * @param updatedAt  epoch milliseconds of the latest frame
 * @param statistics the source endpoint's counters (null for a state restored from disk)
 */
public record MeterState(String name, String meterId, String family, MeterReading reading,
                         Map<String, Object> restored, long frames, long updatedAt, TicStatistics statistics) {

    /** The latest frame in the canonical layout ({@link ReadingJson#toMap}), made when asked, not per frame. */
    public Map<String, Object> latest() {
        return reading != null ? ReadingJson.toMap(reading) : restored;
    }
}
