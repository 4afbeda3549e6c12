package io.ticgateway.app.delivery;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a repeated task (a save, a sync) is failing, so that an outage is logged once when it begins and
 * once when it ends, not at every attempt.
 */
public final class FailureEpisode {

    private final AtomicBoolean failing = new AtomicBoolean();

    /** An attempt failed: true when it is the first of an outage. */
    public boolean failed() {
        return failing.compareAndSet(false, true);
    }

    /** An attempt succeeded: true when it ends an outage. */
    public boolean succeeded() {
        return failing.compareAndSet(true, false);
    }
}
