package io.ticgateway.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ticgateway.app.delivery.DurableDelivery;
import io.ticgateway.app.delivery.SinkCounters;
import io.ticgateway.app.status.MeterWatch;
import io.ticgateway.app.status.StatusPage;
import io.ticgateway.camel.TicEndpoint;
import io.ticgateway.camel.TicStatistics;
import io.ticgateway.meter.ReadingJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.ticgateway.app.http.ClientErrorLog;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * The HTTP API's answers (routes in {@code routes/sinks/rest.yaml} call these methods): the meters, a
 * meter's latest state, one value, the OpenAPI document, and the URLs of the program TIC Gateway
 * replaces ({@link OriginalApi}).
 */
public class RestApi {

    private static final String DONNEE_USAGE = "usage: /get_donnee?tarif=<période tarifaire ou INDEP_TARIF>&etiquette=<étiquette>[&meter=<compteur>]";

    private final StateStore store;
    private final OriginalApi original;
    private final SinkCounters sinks;
    private final DurableDelivery delivery;
    private final ClientErrorLog clientErrors;
    private final MeterWatch watch;

    public RestApi(StateStore store, SinkCounters sinks, DurableDelivery delivery, ClientErrorLog clientErrors,
                   MeterWatch watch) {
        this.store = store;
        this.clientErrors = clientErrors;
        this.original = new OriginalApi(store);
        this.sinks = sinks;
        this.delivery = delivery;
        this.watch = watch;
    }

    /**
     * {@code GET /api/meters}: every configured meter (those that never sent a frame too) with its health,
     * counters, frame rate and line diagnosis, every sink's counters (delivered, failures, dropped by
     * reason) and the spool (depth, oldest age, drain rate per sink, free disk).
     */
    public void meters(Exchange exchange) {
        Map<String, MeterState> seen = new LinkedHashMap<>();
        store.meters().forEach(m -> seen.put(m.name(), m));
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : watch.names()) {
            MeterState m = seen.remove(name);
            TicEndpoint source = MeterWatch.endpoint(exchange.getContext(), name);
            TicStatistics stats = m != null && m.statistics() != null ? m.statistics()
                    : source != null ? source.getStatistics() : null;
            list.add(summary(name, m != null ? m.family() : watch.family(name), m, stats, watch.line(name)));
        }
        seen.values().forEach(m -> list.add(summary(m.name(), m.family(), m, m.statistics(), null)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meters", list);
        body.put("sinks", sinks.snapshot());
        body.put("spool", delivery.status());
        json(exchange, 200, body);
    }

    /** {@code GET /api/meters/{id}}: the latest interpreted frame (PME-PMI: with its per-period view). */
    public void meter(Exchange exchange) {
        MeterState m = find(exchange);
        if (m != null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", m.name());
            body.putAll(m.latest());
            json(exchange, 200, body);
        }
    }

    /** {@code GET /api/meters/{id}/values/{label}}: one value ({@code PERIOD.LABEL} for PME-PMI periods). */
    @SuppressWarnings("unchecked")
    public void value(Exchange exchange) {
        MeterState m = find(exchange);
        if (m == null) {
            return;
        }
        String label = pathParameter(exchange, "label");
        if (label == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meter", m.name());
        body.put("label", label);
        Map<String, Object> latest = m.latest();
        Object group = ((Map<String, Object>) latest.getOrDefault("groups", Map.of())).get(label);
        Object derived = ((Map<String, Object>) latest.getOrDefault("derived", Map.of())).get(label);
        Object period = null;
        int dot = label.indexOf('.');
        if (dot > 0 && latest.get("periods") instanceof Map<?, ?> periods
                && periods.get(label.substring(0, dot)) instanceof Map<?, ?> values) {
            period = values.get(label.substring(dot + 1));
        }
        Object found = group != null ? group : derived != null ? derived : period;
        if (found == null) {
            error(exchange, 404, "meter " + m.name() + " has no label '" + label + "'");
            return;
        }
        body.putAll((Map<String, Object>) found);
        body.put("receivedAt", Instant.ofEpochMilli(m.updatedAt()).toString());
        json(exchange, 200, body);
    }

    /** {@code GET /api/meters/{id}/power}: the meter's power over the last minutes, for the status page's chart. */
    public void power(Exchange exchange) {
        String id = pathParameter(exchange, "id");
        if (id == null) {
            return;
        }
        MeterState m = store.meter(id);
        Map<String, Object> power = watch.power(m != null ? m.name() : id);
        if (power == null) {
            error(exchange, 404, "unknown meter '" + id + "'");
            return;
        }
        json(exchange, 200, power);
    }

    /** {@code GET /api/openapi.json}. */
    public void openApi(Exchange exchange) {
        try (InputStream in = RestApi.class.getResourceAsStream("/openapi.json")) {
            exchange.getMessage().setBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code GET /get_interpretation[?meter=]}: the original program's interpreted state; {@code {}} before
     * any frame; an unknown meter is 404 with a JSON error.
     */
    public void getInterpretation(Exchange exchange) {
        Compat compat = compat(exchange, false, "meter");
        if (compat != null) {
            json(exchange, 200, compat.meter == null ? Map.of() : OriginalApi.interpretation(compat.meter));
        }
    }

    /**
     * {@code GET /get_donnee?tarif=&etiquette=[&meter=]}: one bare value as text. A missing parameter is 400
     * with the usage line; an unknown meter, or a period or label the meter has no value for, is 404 with
     * one line saying which (the program replaced answered an empty body).
     */
    public void getDonnee(Exchange exchange) {
        Compat compat = compat(exchange, true, "meter", "tarif", "etiquette");
        if (compat == null) {
            return;
        }
        Message in = exchange.getMessage();
        String tarif = in.getHeader("tarif", String.class);
        String etiquette = in.getHeader("etiquette", String.class);
        if (tarif == null || tarif.isBlank() || etiquette == null || etiquette.isBlank()) {
            text(exchange, 400, DONNEE_USAGE);
            return;
        }
        String value = compat.meter == null ? null : OriginalApi.donnee(compat.meter, tarif, etiquette);
        if (value == null) {
            text(exchange, 404, compat.meter == null ? "no meter has sent a frame yet"
                    : "meter " + compat.meter.name() + " has no value for etiquette '" + etiquette + "' in tarif '" + tarif + "'");
            return;
        }
        text(exchange, 200, value);
    }

    /**
     * {@code GET /zabbix_autoconf[?type=int|float|char|text|log][&meter=]}: Zabbix low-level discovery;
     * {@code {"data": []}} before any frame; an unknown meter is 404, an unknown type 400, with a JSON error.
     */
    public void zabbixAutoconf(Exchange exchange) {
        Compat compat = compat(exchange, false, "meter", "type");
        if (compat == null) {
            return;
        }
        String type = exchange.getMessage().getHeader("type", String.class);
        if (type != null && !type.isBlank() && !ZabbixContract.TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            error(exchange, 400, "type must be one of " + String.join(", ", ZabbixContract.TYPES));
            return;
        }
        json(exchange, 200, compat.meter == null ? Map.of("data", List.of())
                : OriginalApi.zabbixDiscovery(compat.meter, type == null || type.isBlank() ? null : type));
    }

    /** The meter a compatibility URL asks for (null meter: none has sent a frame yet). */
    private record Compat(MeterState meter) {
    }

    /**
     * Checks a compatibility URL's parameters: a control character is 400, a named meter that does not
     * exist 404; the answer (one text line, else a JSON error) is then written and null returned.
     */
    private Compat compat(Exchange exchange, boolean textAnswer, String... parameters) {
        Message in = exchange.getMessage();
        String refusal = null;
        int status = 400;
        for (String parameter : parameters) {
            if (refusal == null && in.getHeader(parameter) instanceof Collection<?>) {
                refusal = "the parameter " + parameter + " is given more than once";
            } else if (refusal == null && hasControlCharacter(in.getHeader(parameter, String.class))) {
                refusal = "the parameter " + parameter + " holds a control character";
            }
        }
        String name = refusal == null ? in.getHeader("meter", String.class) : null;
        MeterState meter = refusal == null ? original.meter(name) : null;
        if (refusal == null && meter == null && name != null && !name.isBlank()) {
            refusal = watch.names().contains(name) ? "meter '" + name + "' has sent no frame yet"
                    : "unknown meter '" + name + "'";
            status = 404;
        }
        if (refusal == null) {
            return new Compat(meter);
        }
        if (textAnswer) {
            text(exchange, status, refusal);
        } else {
            error(exchange, status, refusal);
        }
        return null;
    }

    /** {@code GET /}: the status page. */
    public void index(Exchange exchange) {
        StatusPage.serve(exchange, StatusPage.PAGE);
    }

    /** {@code GET /status/{file}}: the status page's script and style sheet; any other name is a 404. */
    public void statusFile(Exchange exchange) {
        String file = pathParameter(exchange, "file");
        if (file != null && !StatusPage.serve(exchange, file)) {
            error(exchange, 404, "no such file");
        }
    }

    /** Any failure while answering (routeConfiguration {@code http-responses}): 400 and a JSON error, never a 5xx. */
    public void badRequest(Exchange exchange) {
        exchange.getMessage().setBody(null);
        error(exchange, 400, "bad request");
    }

    /**
     * After every answer (routeConfiguration {@code http-responses}): a client error is logged, at most once
     * per source address and minute.
     */
    public void logClientError(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status < 400 || status >= 500) {
            return;
        }
        Object remote = message.getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        String source = remote instanceof SocketAddress address ? address.hostAddress() : null;
        clientErrors.record(source, status, message.getHeader(Exchange.HTTP_METHOD, String.class),
                message.getHeader(Exchange.HTTP_URI, String.class), message.getBody(String.class));
    }

    /** True when a parameter holds a control character (%00, %0a ...): refused with 400. */
    private static boolean hasControlCharacter(String value) {
        return value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /**
     * A path parameter, or null with 400 answered when the query names it too (platform-http would merge
     * both into a list) or when it holds a control character.
     */
    private static String pathParameter(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        if (value instanceof Collection<?>) {
            error(exchange, 400, "'" + name + "' is a path parameter: not accepted in the query");
            return null;
        }
        if (value == null) {
            error(exchange, 400, "'" + name + "' is missing");
            return null;
        }
        String text = value.toString();
        if (hasControlCharacter(text)) {
            error(exchange, 400, "the " + name + " holds a control character");
            return null;
        }
        return text;
    }

    private MeterState find(Exchange exchange) {
        String id = pathParameter(exchange, "id");
        if (id == null) {
            return null;
        }
        MeterState m = store.meter(id);
        if (m == null) {
            error(exchange, 404, watch.names().contains(id) ? "meter '" + id + "' has sent no frame yet"
                    : "unknown meter '" + id + "'");
        }
        return m;
    }

    /**
     * One meter of {@code /api/meters}, {@code family} the last frame's or else the configured: {@code m} is null for a meter that sent no frame yet, {@code stats}
     * null for a state restored from disk whose source is not there, {@code line} null before the first sample.
     */
    static Map<String, Object> summary(String name, String family, MeterState m, TicStatistics stats,
                                       Map<String, Object> line) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("meterId", m == null ? null : m.meterId());
        s.put("family", family);
        s.put("updatedAt", m == null ? null : Instant.ofEpochMilli(m.updatedAt()).toString());
        s.put("frames", m == null ? 0 : m.frames());
        s.put("indexHeldBack", m == null || m.reading() == null ? Map.of() : m.reading().heldBackCounts());
        Map<String, Object> health = new LinkedHashMap<>();
        if (stats == null) {
            health.put("status", m == null ? "DOWN" : "RESTORED");
        } else {
            String notReady = stats.notReadyReason(System.currentTimeMillis()); // the readiness check's rule
            health.put("status", notReady == null ? "UP" : "DOWN");
            if (notReady != null) {
                health.put("message", notReady);
            }
            health.put("connected", stats.isConnected());
            health.put("lastError", stats.getLastError());
            health.put("framesDelivered", stats.getFramesDelivered());
            health.put("framesRejected", stats.getFrameRejections());
            health.put("framesNotInterpreted", stats.getFramesNotInterpreted());
            health.put("framesTolerated", stats.getTolerations());
            health.put("reconnects", stats.getReconnects());
            health.put("routingFailures", stats.getRoutingFailures());
            health.put("readerFailures", stats.getReaderFailures());
            health.put("bytesRead", stats.getBytesRead());
            health.put("baudRate", stats.getBaudRate());
            health.put("lastFrameAt", stats.getLastFrameTime() > 0 ? Instant.ofEpochMilli(stats.getLastFrameTime()).toString() : null);
        }
        if (line != null) {
            health.putAll(line);
        }
        s.put("health", health);
        return s;
    }

    static void json(Exchange exchange, int status, Object body) {
        try {
            exchange.getMessage().setBody(ReadingJson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private static void text(Exchange exchange, int status, String body) {
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
    }

    static void error(Exchange exchange, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>(); // in this order every time (Map.of's order changes between runs)
        body.put("error", message);
        body.put("status", status);
        json(exchange, status, body);
    }
}
