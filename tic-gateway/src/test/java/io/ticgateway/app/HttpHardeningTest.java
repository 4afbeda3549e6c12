package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP face under hostile requests: random query parameters (control characters, long values, header
 * names such as Set-Cookie) and request headers on every REST and compatibility URL. Never a 5xx, nothing
 * of the request reflected into the response headers, valid requests still answered, the server still up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpHardeningTest {

    private static final List<String> URLS = List.of("/api/meters", "/api/meters/linky", "/api/meters/linky/values/EAST",
            "/api/meters/nosuch", "/api/openapi.json", "/get_interpretation", "/get_donnee", "/zabbix_autoconf", "/",
            "/api/meters/linky/power", "/status/status.js",
            "/observe/health", "/observe/health/live");
    /** Response headers the server may send: none of them carries anything from the request. */
    private static final Set<String> ALLOWED = Set.of("content-type", "content-length", "transfer-encoding", "date",
            ":status", "connection", "keep-alive", "allow", "x-content-type-options");

    @TempDir
    static Path dir;

    private GatewayMain gateway;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        port = ExternalProcess.freePort();
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "tic.meters = linky, gone",
                "tic.meter.linky.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.meter.linky.family = standard",
                // a serial adapter that is not there: its health check is DOWN with the device path
                "tic.meter.gone.source = tic:serial:" + dir.resolve("ttyGONE0"),
                "tic.meter.gone.family = historic",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.files.enabled = false",
                "camel.server.port = " + port, ""));
        gateway = new GatewayMain(config, name -> null);
        gateway.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/meters/linky/values/EAST").statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String randomValue(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> String.valueOf((char) random.nextInt(0x20)); // a control character
            case 1 -> "x".repeat(1 + random.nextInt(4000));
            case 2 -> "http://evil.example/" + random.nextInt(100);
            case 3 -> "INDEP_TARIF";
            default -> "EAST\r\nSet-Cookie: injected";
        };
    }

    @Test
    void hostileRequestsGetNoServerErrorAndNothingReflected() throws Exception {
        Random random = new Random(20261129);
        List<String> names = List.of("Set-Cookie", "Location", "meter", "tarif", "etiquette", "type", "X-Anything", "id");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String url = URLS.get(random.nextInt(URLS.size()));
            StringBuilder query = new StringBuilder();
            for (int p = 0, n = 1 + random.nextInt(3); p < n; p++) {
                query.append(p == 0 ? '?' : '&').append(names.get(random.nextInt(names.size()))).append('=')
                        .append(URLEncoder.encode(randomValue(random), StandardCharsets.UTF_8));
            }
            HttpResponse<String> response = get(url + query, "X-Anything", "evil-" + i, "X-Forwarded-Host", "evil.example");
            boolean healthDown = url.startsWith("/observe/health") && response.statusCode() == 503; // "gone" is down
            if (response.statusCode() >= 500 && !healthDown) {
                failures.add(response.statusCode() + " " + url + query);
            }
            response.headers().map().keySet().stream().filter(h -> !ALLOWED.contains(h.toLowerCase()))
                    .forEach(h -> failures.add("reflected header " + h + " on " + url + query));
            if (!response.headers().firstValue("X-Content-Type-Options").orElse("").equals("nosniff")) {
                failures.add("no nosniff on " + url + query); // error texts may quote the meter or label asked for
            }
            if (url.startsWith("/api") && response.statusCode() >= 400) {
                assertThat(response.body()).as(url + query).contains("\"error\"");
            }
        }
        assertThat(failures).isEmpty();
        // still up, and valid requests answer as before
        assertThat(get("/api/meters/linky/values/EAST").body()).contains("\"label\":\"EAST\"").contains("\"unit\":\"Wh\"");
        assertThat(get("/api/meters/nosuch").statusCode()).isEqualTo(404);
        assertThat(get("/api/meters/linky/values/%0aX").statusCode()).isEqualTo(400);
        assertThat(get("/get_donnee?tarif=INDEP_TARIF&etiquette=ADSC").body()).isEqualTo("041876543210");
    }

    /** What Vert.x meets before the routes: a form on a GET, a path it cannot decode, HEAD and OPTIONS. */
    @Test
    void requestsVertxRefusesAnswer400InJsonAndOtherMethodsAnswerProperly() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/meters"))
                .method("GET", HttpRequest.BodyPublishers.ofString("a=%zz&b"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(form.body()).isEqualTo("{\"error\":\"a GET carries no body\",\"status\":400}");
        assertThat(raw("GET /api/meters/% HTTP/1.0")).startsWith("HTTP/1.").contains(" 400 ").endsWith("{\"error\":\"malformed request\",\"status\":400}")
                .containsIgnoringCase("x-content-type-options: nosniff"); // answered before the routes: the same header
        assertThat(raw("GET * HTTP/1.0")).containsIgnoringCase("x-content-type-options: nosniff");
        assertThat(raw("GET /get_donnee?%zz=1 HTTP/1.0")).startsWith("HTTP/1.").contains(" 400 ");
        // HTTP/1.1: over an h2c upgrade Vert.x 4.5 sends the body of a rerouted HEAD (noted in docs/gateway.md)
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/meters"))
                .version(HttpClient.Version.HTTP_1_1).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-type")).hasValue("application/json");
        HttpResponse<String> options = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/meters"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
        // a body is refused before it is read (a 10 MB GET would be buffered whole), other methods are 405
        HttpResponse<String> body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/meters"))
                .version(HttpClient.Version.HTTP_1_1).method("GET", HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20]))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(body.statusCode()).isEqualTo(400);
        assertThat(body.body()).contains("a GET carries no body");
        assertThat(raw("DELETE /api/meters HTTP/1.0")).startsWith("HTTP/1.").contains(" 405 ")
                .endsWith("{\"error\":\"only GET, HEAD and OPTIONS are served\",\"status\":405}");
        // a request target Vert.x does not route, an unknown path: a JSON 404
        assertThat(raw("GET nothing HTTP/1.0")).contains(" 404 ").endsWith("{\"error\":\"no such resource\",\"status\":404}");
        assertThat(raw("GET /api/nothing HTTP/1.0")).contains(" 404 ").endsWith("{\"error\":\"no such resource\",\"status\":404}");
        // a path parameter repeated in the query is refused, not merged into a list
        HttpResponse<String> twice = get("/api/meters/linky?id=other");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("'id' is a path parameter");
        assertThat(get("/api/meters/linky/values/EAST?label=X").statusCode()).isEqualTo(400);
    }

    /** Health answers in plain JSON: a device path reads as it is, not escaped twice as Camel 4.17's own does. */
    @Test
    void healthNamesTheMissingDeviceAsItIs() throws Exception {
        String device = dir.resolve("ttyGONE0").toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/observe/health").body().contains(device));
        HttpResponse<String> health = get("/observe/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"name\":\"consumer:meter-gone\",\"status\":\"DOWN\"").doesNotContain("\\/");
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(503);
        // configured, never heard from: not the same answer as a misspelt name
        assertThat(get("/api/meters/gone").body()).contains("meter 'gone' has sent no frame yet");
        assertThat(get("/get_donnee?meter=gone&tarif=INDEP_TARIF&etiquette=ADCO").body())
                .isEqualTo("meter 'gone' has sent no frame yet");
        HttpResponse<String> live = get("/observe/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).startsWith("{\"status\":\"UP\"");
    }

    /** One request written as it is (java.net.http refuses a malformed URI); the status line and the body. */
    private String raw(String requestLine) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer; // status line, headers, body
        }
    }
}
