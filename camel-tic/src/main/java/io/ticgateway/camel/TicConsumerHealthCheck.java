package io.ticgateway.camel;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a {@code tic:} consumer, by {@link TicStatistics#notReadyReason}: DOWN with the reason while the
 * source cannot be opened, when no valid frame came for {@code noDataTimeout}, or after a capture replay without
 * one valid frame; UP otherwise.
 */
public class TicConsumerHealthCheck extends AbstractHealthCheck {

    private final TicConsumer consumer;

    public TicConsumerHealthCheck(TicConsumer consumer) {
        super("camel", "tic:" + consumer.getEndpoint().getTransport() + ":" + consumer.getEndpoint().getAddress());
        this.consumer = consumer;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        TicEndpoint endpoint = consumer.getEndpoint();
        TicStatistics stats = endpoint.getStatistics();
        builder.detail("tic.source", endpoint.getTransport() + ":" + endpoint.getAddress());
        builder.detail("tic.frames.delivered", stats.getFramesDelivered());
        builder.detail("tic.frames.rejected", stats.getFramesRejected());
        builder.detail("tic.frames.uninterpreted", stats.getFramesNotInterpreted());
        builder.detail("tic.reconnects", stats.getReconnects());
        builder.detail("tic.reader.failures", stats.getReaderFailures());
        if (stats.getLastFrameTime() > 0) {
            builder.detail("tic.last.frame", java.time.Instant.ofEpochMilli(stats.getLastFrameTime()).toString());
        }
        if (stats.isFinished()) {
            builder.detail("tic.replay", "finished");
        }
        String notReady = stats.notReadyReason(System.currentTimeMillis());
        if (notReady != null) {
            builder.message(notReady);
            builder.down();
            return;
        }
        builder.up();
    }
}
