package io.ticgateway.app;

import io.ticgateway.camel.TicStatistics;
import java.util.Map;

/**
 * What the gateway knows of one meter: its latest interpreted frame (canonical layout), flattened
 * numeric values for metrics and the compatibility API, and the statistics of its source.
 *
 * @param name        the configured name
 * @param meterId     ADSC/ADCO/ADS
 * @param family      standard, historic or pmepmi
 * @param latest      the latest frame, canonical layout ({@link io.ticgateway.meter.ReadingJson#toMap})
 * @param frames      frames received since start
 * @param updatedAt   epoch milliseconds of the latest frame
 * @param statistics  the source endpoint's counters (null for a state restored from disk)
 */
public record MeterState(String name, String meterId, String family, Map<String, Object> latest, long frames,
                         long updatedAt, TicStatistics statistics) {
}
