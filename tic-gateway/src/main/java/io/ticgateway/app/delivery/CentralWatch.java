package io.ticgateway.app.delivery;

import io.ticgateway.app.Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.spi.SupervisingRouteController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per outage that the central ingest does not consume from Kafka, and why (the Kafka client's
 * own lines are kept out of the log: it logs every attempt), then once that it consumes again. Called by
 * the route {@code central-watch} (routes/central/central.yaml).
 */
public final class CentralWatch {

    private static final Logger LOG = LoggerFactory.getLogger(CentralWatch.class);
    private static final String ROUTE = "central";

    private final String brokers;
    private boolean failing;
    private volatile long looks;

    /** @param brokers {@code tic.central.brokers}, named in the line */
    public CentralWatch(String brokers) {
        this.brokers = brokers;
    }

    /** One look at the central route and its consumer's readiness. */
    public void check(CamelContext context) {
        String reason = reason(context);
        if (reason != null && reason.endsWith(".")) {
            reason = reason.substring(0, reason.length() - 1);
        }
        if (reason != null && !failing) {
            LOG.warn("Central ingest not consuming from Kafka ({}): {}; retrying (logged once until it consumes again)",
                    brokers, reason);
        } else if (reason == null && failing) {
            LOG.info("Central ingest consuming from Kafka again ({})", brokers);
        }
        failing = reason != null;
        looks++;
    }

    /** The looks taken so far. */
    public long looks() {
        return looks;
    }

    /** Why the central route does not consume, or null while it does. */
    static String reason(CamelContext context) {
        if (context.getRouteController() instanceof SupervisingRouteController supervising) {
            Throwable restart = supervising.getRestartException(ROUTE);
            if (restart != null) { // its consumer could not start (an unknown host): the supervisor retries
                return Failures.rootMessage(restart);
            }
        }
        ServiceStatus status = context.getRouteController().getRouteStatus(ROUTE);
        if (status == null || !status.isStarted()) {
            return "route " + ROUTE + " is " + (status == null ? "missing" : status.name().toLowerCase());
        }
        for (HealthCheck.Result result : HealthCheckHelper.invokeReadiness(context)) {
            if (result.getCheck().getId().equals("consumer:" + ROUTE) && result.getState() == HealthCheck.State.DOWN) {
                return result.getMessage().orElse("its consumer is not ready");
            }
        }
        return null;
    }
}
