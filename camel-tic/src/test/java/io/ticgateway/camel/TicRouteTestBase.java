package io.ticgateway.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;

/** A CamelContext with one route per {@code tic:} URI ({@code meter-0}, {@code meter-1} ...) collecting exchanges. */
abstract class TicRouteTestBase {

    protected CamelContext context;
    protected final List<Exchange> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    /** Starts routes {@code meter-i} from each URI; consumer health checks registered as camel-main does. */
    protected CamelContext startRoutes(String... uris) throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from(uris[i]).routeId("meter-" + i).process(received::add);
                }
            }
        });
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(health.resolveById("consumers"));
        context.start();
        return context;
    }

    /** The readiness of route {@code meter-i}'s consumer. */
    protected HealthCheck.Result readiness(int route) {
        return HealthCheckHelper.invokeReadiness(context, "full").stream()
                .filter(r -> r.getCheck().getId().equals("consumer:meter-" + route)).findFirst().orElseThrow();
    }

    /** Starts one route and returns its endpoint. */
    protected TicEndpoint startRoute(String uri) throws Exception {
        startRoutes(uri);
        return context.getEndpoint(uri, TicEndpoint.class);
    }
}
