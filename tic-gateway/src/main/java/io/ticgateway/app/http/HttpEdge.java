package io.ticgateway.app.http;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP server does before and around the routes of {@code rest.yaml}, on camel-main's own Vert.x
 * router: HEAD answered as GET without a body, OPTIONS with the methods allowed, a GET carrying a form
 * refused with 400 (Vert.x would fail decoding it), requests Vert.x cannot parse answered 400 in JSON and
 * logged once per source and minute instead of a stack trace, and the health endpoints.
 */
public final class HttpEdge {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    static final String ALLOW = "GET, HEAD, OPTIONS";
    static final String HEALTH = "/observe/health";

    private final ClientErrorLog clientErrors;

    public HttpEdge(ClientErrorLog clientErrors) {
        this.clientErrors = clientErrors;
    }

    /** Installs on the running HTTP server of {@code port}; false when there is none. */
    public boolean install(CamelContext context, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            return false;
        }
        router.route().order(-1000).handler(this::beforeRoutes);
        // liveness answers without credentials (a probe needs none and learns nothing but UP); the others
        // are added last, behind the authentication camel-main puts in front of every path
        router.get(HEALTH + "/live").order(-999).handler(HealthEndpoint.liveness(context));
        router.get(HEALTH + "/ready").blockingHandler(HealthEndpoint.readiness(context));
        router.get(HEALTH).blockingHandler(HealthEndpoint.all(context));
        // failures in the routes' router, and in the server's root one (a path it cannot decode fails there)
        handleFailures(router);
        if (router.getServer().getServer().requestHandler() instanceof Router root) {
            handleFailures(root);
        }
        return true;
    }

    private void handleFailures(Router router) {
        router.errorHandler(400, ctx -> answerFailure(ctx, 400));
        router.errorHandler(401, ctx -> answerFailure(ctx, 401)); // WWW-Authenticate is already set
        router.errorHandler(404, ctx -> answerFailure(ctx, 404));
        router.errorHandler(405, ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, ALLOW);
            answerFailure(ctx, 405);
        });
        router.errorHandler(413, ctx -> answerFailure(ctx, 413));
        router.errorHandler(500, ctx -> answerFailure(ctx, isClientFault(ctx.failure()) ? 400 : 500));
    }

    private void beforeRoutes(RoutingContext ctx) {
        // whatever a route (a custom one too) leaves in its headers, only these leave the gateway
        ctx.addHeadersEndHandler(ended -> keepOnlySafeHeaders(ctx.response().headers()));
        HttpMethod method = ctx.request().method();
        if (HttpMethod.OPTIONS.equals(method)) {
            ctx.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, ALLOW).end();
        } else if (carriesBody(ctx)) {
            // nothing here reads a body: refused before anything buffers it (a 10 MB GET would)
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
                refuse(ctx, 400, "a GET carries no body");
            } else {
                ctx.response().putHeader(HttpHeaders.ALLOW, ALLOW);
                refuse(ctx, 405, "only GET, HEAD and OPTIONS are served");
            }
        } else if (HttpMethod.HEAD.equals(method)) {
            // the response knows the request was a HEAD and sends the headers only
            ctx.reroute(HttpMethod.GET, ctx.request().uri());
        } else {
            ctx.next();
        }
    }

    private static boolean carriesBody(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        return ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || length != null && !length.trim().equals("0");
    }

    /** Response headers that may leave: none carries anything of the request. */
    public static final Set<String> SAFE_HEADERS = Set.of("content-type", "content-length", "transfer-encoding", "allow",
            "www-authenticate", "date", "connection", "keep-alive", "cache-control", "content-encoding", "vary",
            "x-content-type-options");

    private static void keepOnlySafeHeaders(MultiMap headers) {
        headers.names().stream().filter(name -> !SAFE_HEADERS.contains(name.toLowerCase(Locale.ROOT))).toList()
                .forEach(headers::remove);
        // an error text may quote the meter or label asked for: a browser takes it for what its type says
        headers.set("X-Content-Type-Options", "nosniff");
    }

    /** A failure Vert.x met before any route (a path it cannot decode, a body it cannot parse). */
    private void answerFailure(RoutingContext ctx, int status) {
        if (status >= 500) {
            LOG.error("HTTP {} for {} {}", status, ctx.request().method(),
                    ClientErrorLog.printable(ctx.request().path()), ctx.failure());
        }
        refuse(ctx, status, switch (status) {
            case 400 -> "malformed request";
            case 401 -> "authentication required";
            case 404 -> "no such resource";
            case 405 -> "only GET, HEAD and OPTIONS are served";
            case 413 -> "request too large";
            default -> "internal error";
        });
    }

    private void refuse(RoutingContext ctx, int status, String reason) {
        if (status < 500) {
            clientErrors.record(remoteAddress(ctx), status, ctx.request().method().name(), ctx.request().uri(), reason);
        }
        if (!ctx.response().ended() && !ctx.response().closed()) {
            // also answered before the routes' header filter runs (a path Vert.x cannot decode): the same header
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader("X-Content-Type-Options", "nosniff").end("{\"error\":\"" + reason + "\",\"status\":" + status + "}");
        }
    }

    private static String remoteAddress(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }

    /** Vert.x's parse failures: a malformed escape, a body it cannot decode for this method. */
    static boolean isClientFault(Throwable failure) {
        return failure instanceof IllegalArgumentException || failure instanceof IllegalStateException
                || failure instanceof DecoderException;
    }
}
