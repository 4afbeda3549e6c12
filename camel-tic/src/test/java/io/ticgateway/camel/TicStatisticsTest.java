package io.ticgateway.camel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The readiness rule of a source's statistics. */
class TicStatisticsTest {

    @Test
    void openingsWithNoFrameBetweenThemDoNotRestartTheWaitForOne() {
        // a bridge that takes each connection and closes it: connected a few seconds at a time, never a frame
        TicStatistics stats = new TicStatistics();
        stats.noDataTimeout(30_000);
        long t0 = 1_000_000;
        for (long t = t0; t < t0 + 40_000; t += 4_000) {
            stats.connected(t, 0);
            stats.disconnected("closed after 300 bytes and no frame");
        }
        stats.connected(t0 + 40_000, 0);
        assertThat(stats.notReadyReason(t0 + 41_000)).startsWith("no valid frame in the last 41 s");

        // a frame, then a reconnection: the wait starts again at the new opening
        stats.interpreted("123456789012", t0 + 42_000);
        stats.disconnected("lost");
        stats.connected(t0 + 80_000, 0);
        assertThat(stats.notReadyReason(t0 + 100_000)).isNull();
        assertThat(stats.notReadyReason(t0 + 111_000)).startsWith("no valid frame in the last 31 s");
    }
}
