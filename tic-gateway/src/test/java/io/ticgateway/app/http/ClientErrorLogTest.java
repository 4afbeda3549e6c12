package io.ticgateway.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientErrorLogTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ClientErrorLog log = new ClientErrorLog(now::get);

    @Test
    void oneLinePerSourceAndMinute() {
        assertThat(log.record("192.168.1.50", 400, "GET", "/a", "bad")).isTrue();
        assertThat(log.record("192.168.1.50", 404, "GET", "/b", "unknown")).isFalse();
        assertThat(log.record("192.168.1.51", 404, "GET", "/b", "unknown")).as("another source").isTrue();
        now.addAndGet(ClientErrorLog.QUIET_MILLIS - 1);
        assertThat(log.record("192.168.1.50", 400, "GET", "/a", "bad")).isFalse();
        now.addAndGet(1);
        assertThat(log.record("192.168.1.50", 400, "GET", "/a", "bad")).as("a minute later").isTrue();
    }

    @Test
    void aScanFromThousandsOfAddressesStaysBounded() {
        int logged = 0;
        for (int i = 0; i < 5000; i++) {
            logged += log.record("10.0." + (i / 256) + "." + (i % 256), 404, "GET", "/x", "unknown") ? 1 : 0;
        }
        assertThat(logged).isEqualTo(1024);
    }

    @Test
    void whatTheClientSentIsLoggedPrintableAndShort() {
        assertThat(ClientErrorLog.printable("/a\r\nSet-Cookie: x\u0000")).isEqualTo("/a??Set-Cookie: x?");
        assertThat(ClientErrorLog.printable("x".repeat(500))).hasSize(161).endsWith("…");
        assertThat(ClientErrorLog.printable(null)).isEqualTo("-");
    }
}
