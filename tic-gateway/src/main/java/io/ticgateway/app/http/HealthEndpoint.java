package io.ticgateway.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ticgateway.meter.ReadingJson;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code /observe/health}, {@code /observe/health/ready} and {@code /observe/health/live}: Camel's health
 * checks as JSON written by Jackson (Camel 4.17's own endpoint escapes a message twice, so a device path
 * read {@code \/dev\/ttyUSB0}); 200 when every check is UP, 503 otherwise.
 */
final class HealthEndpoint implements Handler<RoutingContext> {

    private final CamelContext context;
    private final Function<CamelContext, Collection<HealthCheck.Result>> checks;

    private HealthEndpoint(CamelContext context, Function<CamelContext, Collection<HealthCheck.Result>> checks) {
        this.context = context;
        this.checks = checks;
    }

    static HealthEndpoint all(CamelContext context) {
        return new HealthEndpoint(context, HealthCheckHelper::invoke);
    }

    static HealthEndpoint readiness(CamelContext context) {
        return new HealthEndpoint(context, HealthCheckHelper::invokeReadiness);
    }

    static HealthEndpoint liveness(CamelContext context) {
        return new HealthEndpoint(context, HealthCheckHelper::invokeLiveness);
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean up = true;
        List<Map<String, Object>> list = new ArrayList<>();
        for (HealthCheck.Result result : checks.apply(context)) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", result.getCheck().getId());
            check.put("status", result.getState().name());
            result.getMessage().ifPresent(message -> check.put("message", message));
            up &= result.getState() != HealthCheck.State.DOWN;
            list.add(check);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", list);
        try {
            ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(ReadingJson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
