package io.ticgateway.camel;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a {@code tic:} consumer: DOWN with the reason while the source cannot be opened, or when
 * no valid frame came for {@code noDataTimeout}; UP otherwise (and once a capture replay has ended).
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
        builder.detail("tic.reconnects", stats.getReconnects());
        builder.detail("tic.reader.failures", stats.getReaderFailures());
        if (stats.getLastFrameTime() > 0) {
            builder.detail("tic.last.frame", java.time.Instant.ofEpochMilli(stats.getLastFrameTime()).toString());
        }
        if (stats.isFinished() || consumer.isReaderDone()) {
            builder.detail("tic.replay", "finished");
            builder.up();
            return;
        }
        if (!stats.isConnected()) {
            String error = stats.getLastError();
            builder.message(error != null ? error : "source not open yet");
            builder.down();
            return;
        }
        long now = System.currentTimeMillis();
        long since = Math.max(stats.getLastFrameTime(), stats.getConnectedSince());
        if (now - since > endpoint.getNoDataTimeout()) {
            builder.message("no valid frame in the last " + (now - since) / 1000 + " s");
            builder.down();
            return;
        }
        builder.up();
    }
}
