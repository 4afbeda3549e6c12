package io.ticgateway.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ticgateway.app.delivery.DurableDelivery;
import io.ticgateway.app.delivery.SinkCounters;
import io.ticgateway.camel.TicStatistics;
import io.ticgateway.meter.ReadingJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The HTTP API's answers (routes in {@code routes/sinks/rest.yaml} call these methods): the meters, a
 * meter's latest state, one value, the OpenAPI document, and the URLs of the program TIC Gateway
 * replaces ({@link OriginalApi}).
 */
public class RestApi {

    private final StateStore store;
    private final OriginalApi original;
    private final SinkCounters sinks;
    private final DurableDelivery delivery;

    public RestApi(StateStore store, SinkCounters sinks, DurableDelivery delivery) {
        this.store = store;
        this.original = new OriginalApi(store);
        this.sinks = sinks;
        this.delivery = delivery;
    }

    /**
     * {@code GET /api/meters}: every meter with its health and counters, every sink's counters (delivered,
     * failures, dropped by reason) and the spool (depth, oldest age, drain rate per sink, free disk).
     */
    public void meters(Exchange exchange) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MeterState m : store.meters()) {
            list.add(summary(m));
        }
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
        String label = exchange.getMessage().getHeader("label", String.class);
        if (hasControlCharacter(label)) {
            error(exchange, 400, "the label holds a control character");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meter", m.name());
        body.put("label", label);
        Map<String, Object> latest = m.latest();
        Object group = ((Map<String, Object>) latest.getOrDefault("groups", Map.of())).get(label);
        Object derived = ((Map<String, Object>) latest.getOrDefault("derived", Map.of())).get(label);
        Object period = null;
        int dot = label == null ? -1 : label.indexOf('.');
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

    /** {@code GET /api/openapi.json}. */
    public void openApi(Exchange exchange) {
        try (InputStream in = RestApi.class.getResourceAsStream("/openapi.json")) {
            exchange.getMessage().setBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /get_interpretation[?meter=]}: the original program's interpreted state. */
    public void getInterpretation(Exchange exchange) {
        MeterState m = original.meter(exchange.getMessage().getHeader("meter", String.class));
        json(exchange, 200, m == null ? Map.of() : OriginalApi.interpretation(m));
    }

    /** {@code GET /get_donnee?tarif=&etiquette=[&meter=]}: one bare value as text, as before. */
    public void getDonnee(Exchange exchange) {
        Message in = exchange.getMessage();
        String text = original.donnee(in.getHeader("meter", String.class), in.getHeader("tarif", String.class),
                in.getHeader("etiquette", String.class));
        in.setBody(text);
        in.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
    }

    /** {@code GET /zabbix_autoconf[?type=int|float|char|text|log][&meter=]}: Zabbix low-level discovery. */
    public void zabbixAutoconf(Exchange exchange) {
        Message in = exchange.getMessage();
        json(exchange, 200, original.zabbixDiscovery(in.getHeader("meter", String.class), in.getHeader("type", String.class)));
    }

    /** Any other URL: a small page linking the API. */
    public void index(Exchange exchange) {
        exchange.getMessage().setBody("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>TIC Gateway</title></head><body>
                <h1>TIC Gateway</h1><ul>
                <li><a href="/api/meters">/api/meters</a></li>
                <li><a href="/api/openapi.json">/api/openapi.json</a></li>
                <li><a href="/get_interpretation">/get_interpretation</a></li>
                <li><a href="/get_donnee?tarif=INDEP_TARIF&amp;etiquette=DATE">/get_donnee?tarif=…&amp;etiquette=…</a></li>
                <li><a href="/zabbix_autoconf">/zabbix_autoconf</a></li>
                <li><a href="/observe/health">/observe/health</a>, <a href="/observe/metrics">/observe/metrics</a></li>
                </ul></body></html>
                """);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
    }

    /** Any failure while answering (routeConfiguration {@code http-responses}): 400 and a JSON error, never a 5xx. */
    public void badRequest(Exchange exchange) {
        exchange.getMessage().setBody(null);
        error(exchange, 400, "bad request");
    }

    /** True when a parameter holds a control character (%00, %0a ...): refused with 400. */
    private static boolean hasControlCharacter(String value) {
        return value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private MeterState find(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (hasControlCharacter(id)) {
            error(exchange, 400, "the meter id holds a control character");
            return null;
        }
        MeterState m = id == null ? null : store.meter(id);
        if (m == null) {
            error(exchange, 404, "unknown meter '" + id + "'");
        }
        return m;
    }

    static Map<String, Object> summary(MeterState m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", m.name());
        s.put("meterId", m.meterId());
        s.put("family", m.family());
        s.put("updatedAt", Instant.ofEpochMilli(m.updatedAt()).toString());
        s.put("frames", m.frames());
        s.put("indexHeldBack", m.reading() == null ? Map.of() : m.reading().heldBackCounts());
        TicStatistics stats = m.statistics();
        Map<String, Object> health = new LinkedHashMap<>();
        if (stats == null) {
            health.put("status", "RESTORED");
        } else {
            health.put("status", stats.isConnected() || stats.isFinished() ? "UP" : "DOWN");
            health.put("connected", stats.isConnected());
            health.put("lastError", stats.getLastError());
            health.put("framesDelivered", stats.getFramesDelivered());
            health.put("framesRejected", stats.getFrameRejections());
            health.put("framesTolerated", stats.getTolerations());
            health.put("reconnects", stats.getReconnects());
            health.put("routingFailures", stats.getRoutingFailures());
            health.put("readerFailures", stats.getReaderFailures());
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

    static void error(Exchange exchange, int status, String message) {
        json(exchange, status, Map.of("error", message, "status", status));
    }
}
