package io.ticgateway.app;

import io.ticgateway.meter.MeterReading;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the system clock has been synchronised since boot, from the file systemd-timesyncd creates once
 * it has ({@code tic.clock.sync-file}): a Raspberry Pi has no hardware clock and starts with a wrong time.
 * Until then every frame is flagged ({@link MeterReading#withClockUnsynchronised()}). Not checked (never
 * flagged) when the path is empty or its folder does not exist (no timesyncd on this machine). Once
 * synchronised, for good: the file is looked at no more than once a second until then.
 */
public final class ClockSync implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ClockSync.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final Path marker;
    private volatile boolean synchronised;
    private volatile long nextCheck = System.nanoTime();

    public ClockSync(String markerPath) {
        this.marker = markerPath == null || markerPath.isBlank() ? null : Path.of(markerPath.trim());
        this.synchronised = marker == null || marker.getParent() == null || !Files.isDirectory(marker.getParent())
                || Files.exists(marker);
        if (!synchronised) {
            LOG.warn("System clock not synchronised yet (no {}): frames are flagged clockUnsynchronised until it is",
                    marker);
        }
    }

    /** True once the system clock is known to be synchronised (or cannot be checked here). */
    public boolean synchronised() {
        if (synchronised) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_EVERY_NANOS;
            if (Files.exists(marker)) {
                synchronised = true;
                LOG.info("System clock synchronised ({}): frames are no longer flagged", marker);
            }
        }
        return synchronised;
    }

    /** Route step: flags the exchange's frame when the clock is not synchronised yet. */
    @Override
    public void process(Exchange exchange) {
        if (!synchronised() && exchange.getMessage().getBody() instanceof MeterReading reading) {
            exchange.getMessage().setBody(reading.withClockUnsynchronised());
        }
    }
}
