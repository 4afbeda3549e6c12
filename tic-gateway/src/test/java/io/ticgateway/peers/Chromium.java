package io.ticgateway.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven through the W3C WebDriver protocol: Debian's {@code chromedriver} started on a
 * free loopback port, one browser session with a fresh profile in the given folder, commands sent as JSON
 * over HTTP ({@code .ci/install-test-peers} installs {@code chromium} and {@code chromium-driver}).
 */
public final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private ExternalProcess driver;
    private String base;
    private String session;

    public Chromium(Path dir) {
        this.dir = dir;
    }

    /** Starts chromedriver and opens a headless browser of the given window size. */
    public Chromium start(int width, int height) throws IOException, InterruptedException {
        ExternalProcess.requireOnPath("chromedriver");
        int port = ExternalProcess.freePort();
        driver = ExternalProcess.start(List.of("chromedriver", "--port=" + port), dir.resolve("chromedriver.log"));
        base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready()) {
            if (System.nanoTime() > deadline || !driver.isAlive()) {
                throw new IOException("chromedriver did not start, see " + dir.resolve("chromedriver.log"));
            }
            Thread.sleep(50);
        }
        Map<String, Object> options = Map.of("args", List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--user-data-dir=" + dir.resolve("profile")));
        JsonNode created = call("POST", "/session", Map.of("capabilities",
                Map.of("alwaysMatch", Map.of("browserName", "chrome", "goog:chromeOptions", options))));
        session = created.get("sessionId").asText();
        return this;
    }

    private boolean ready() {
        try {
            return call("GET", "/status", null).path("ready").asBoolean();
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a URL (returns once the page loaded). */
    public void open(String url) throws IOException {
        call("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    /** Runs a script in the page ({@code return ...;}) and gives its result. */
    public JsonNode script(String script) throws IOException {
        return call("POST", "/session/" + session + "/execute/sync", Map.of("script", script, "args", List.of()));
    }

    /** A PNG of the window. */
    public byte[] screenshot() throws IOException {
        return Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null).asText());
    }

    private JsonNode call(String method, String path, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + path + ": HTTP " + response.statusCode() + " "
                    + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() throws InterruptedException {
        if (session != null) {
            try {
                call("DELETE", "/session/" + session, null);
            } catch (IOException e) {
                // the browser is gone with the driver below
            }
        }
        if (driver != null) {
            driver.close();
        }
    }
}
