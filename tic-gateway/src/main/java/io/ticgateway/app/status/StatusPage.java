package io.ticgateway.app.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The status page's files, plain HTML, JavaScript and CSS in the jar under {@code /status/}: only the names
 * listed here are served, nothing else of the class path.
 */
public final class StatusPage {

    /** The page itself, served at {@code /}. */
    public static final String PAGE = "index.html";

    private static final Map<String, String> FILES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8",
            "status.css", "text/css; charset=utf-8");

    private StatusPage() {
    }

    /** Puts the named file and its content type in the exchange; false for a name that is not one of the page's. */
    public static boolean serve(Exchange exchange, String name) {
        String type = name == null ? null : FILES.get(name);
        if (type == null) {
            return false;
        }
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/" + name)) {
            exchange.getMessage().setBody(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
        return true;
    }
}
