package io.ticgateway.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticgateway.LogLines;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure is counted; the log has one line per outage, a flapping sink's included. */
class SinkCountersTest {

    private LogLines log;
    private List<String> lines;

    @BeforeEach
    void listen() {
        log = new LogLines(SinkCounters.class);
        lines = log.lines();
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void aSinkThatFailsAndDeliversInTurnIsOneOutageAMinute() {
        AtomicLong now = new AtomicLong(1_000_000);
        SinkCounters counters = new SinkCounters(now::get);
        for (int second = 0; second < 30; second++) { // a full disk: every write fails, the next one passes
            counters.failed("files", "No space left on device");
            counters.delivered("files", 1);
            now.addAndGet(1000);
        }
        assertThat(lines).filteredOn(l -> l.startsWith("WARN")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("INFO")).hasSize(1);
        for (int second = 30; second < 70; second++) { // still flapping a minute after the first line: logged again
            counters.failed("files", "No space left on device");
            counters.delivered("files", 1);
            now.addAndGet(1000);
        }
        assertThat(lines).filteredOn(l -> l.startsWith("WARN")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.startsWith("INFO")).hasSize(2)
                .last().asString().contains("61 s after it began failing"); // since the first failure, flaps included
        now.addAndGet(61_000); // a quiet minute: a new outage is logged, and timed from its own start
        counters.failed("files", "No space left on device");
        now.addAndGet(5000);
        counters.delivered("files", 1);
        assertThat(lines).filteredOn(l -> l.startsWith("WARN")).hasSize(3);
        assertThat(lines).filteredOn(l -> l.startsWith("INFO")).last().asString().contains("5 s after it began failing")
                .contains("(1 failed attempts since then;"); // this outage's attempts, not all of them
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) counters.snapshot().get("files");
        assertThat(files).containsEntry("failures", 71L).containsEntry("delivered", 71L).containsEntry("failing", false);
    }

    @Test
    void anOutageThatBeginsWithinTheMinuteAndLastsIsLoggedOnceTheMinuteIsOver() {
        AtomicLong now = new AtomicLong(1_000_000);
        SinkCounters counters = new SinkCounters(now::get);
        counters.failed("mqtt", "Connection refused");
        now.addAndGet(1000);
        counters.delivered("mqtt", 1);
        now.addAndGet(1000);
        for (int second = 2; second <= 60; second += 2) { // down again, within the minute of the first line
            counters.failed("mqtt", "Connection refused");
            now.addAndGet(2000);
        }
        assertThat(lines).hasSize(2).last().asString().startsWith("INFO Sink mqtt delivers again");
        counters.failed("mqtt", "Connection refused"); // 62 s after the first line: the log says it fails again
        assertThat(lines).hasSize(3).last().asString().startsWith("WARN Sink mqtt failing: Connection refused");
        now.addAndGet(2000);
        counters.failed("mqtt", "Connection refused");
        now.addAndGet(2000);
        counters.delivered("mqtt", 1);
        assertThat(lines).hasSize(4).last().asString().startsWith("INFO Sink mqtt delivers again");
    }

    @Test
    void anAttemptTheStopCutShortIsCountedButNoOutage() {
        SinkCounters counters = new SinkCounters(System::currentTimeMillis);
        counters.stopping();
        counters.failed("mqtt", "InterruptedException");
        assertThat(lines).containsExactly("INFO Sink mqtt failed during the stop: InterruptedException (counted in tic_sink_failures_total)");
        @SuppressWarnings("unchecked")
        Map<String, Object> mqtt = (Map<String, Object>) counters.snapshot().get("mqtt");
        assertThat(mqtt).containsEntry("failures", 1L);
    }
}
