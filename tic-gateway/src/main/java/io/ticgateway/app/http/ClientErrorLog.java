package io.ticgateway.app.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client errors (4xx answers) logged at most once per source address and minute, so that a scan of the LAN
 * cannot fill an SD card; what the client sent is logged printable and cut short.
 */
public final class ClientErrorLog {

    private static final Logger LOG = LoggerFactory.getLogger(ClientErrorLog.class);
    static final long QUIET_MILLIS = 60_000;
    /** Sources remembered at most; past that the oldest entries are forgotten (a scan from many addresses). */
    private static final int MAX_SOURCES = 1024;
    private static final int MAX_TEXT = 160;

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public ClientErrorLog() {
        this(System::currentTimeMillis);
    }

    ClientErrorLog(LongSupplier clock) {
        this.clock = clock;
    }

    /** Logs this client error unless its source was logged less than a minute ago; true when logged. */
    public boolean record(String source, int status, String method, String path, String reason) {
        long now = clock.getAsLong();
        String key = source == null ? "unknown" : source;
        Long last = lastLogged.get(key);
        if (last != null && now - last < QUIET_MILLIS) {
            return false;
        }
        if (lastLogged.size() >= MAX_SOURCES) {
            lastLogged.values().removeIf(t -> now - t >= QUIET_MILLIS);
            if (lastLogged.size() >= MAX_SOURCES) {
                return false;
            }
        }
        lastLogged.put(key, now);
        LOG.warn("HTTP {} to {} for {} {}: {} (further client errors from {} are not logged for a minute)",
                status, key, printable(method), printable(path), printable(reason), key);
        return true;
    }

    /** What a client sent, safe for a log line: control characters as '?', at most 160 characters. */
    static String printable(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT + 1));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > MAX_TEXT ? out + "…" : out.toString();
    }
}
