package io.ticgateway.app.delivery;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes each frame's point timestamp unique per meter: the frame's time in milliseconds plus a sequence
 * number, in nanoseconds, counting the frames of one meter that share the same millisecond (a meter's own
 * clock has whole seconds: two frames in one second would otherwise overwrite each other in InfluxDB).
 * The last tick of each meter is stored in the spool with the frame, so a restart carries on from it.
 */
public final class PointClock {

    /** A meter's last point time: milliseconds and the sequence number within them. */
    public record Tick(long timeMillis, int seq) {

        /** The point's timestamp in nanoseconds. */
        public long nanos() {
            return timeMillis * 1_000_000L + seq;
        }
    }

    /** The tick of an entry that carries no point (a frame with no numeric field). */
    public static final Tick NONE = new Tick(0, -1);

    private final Map<String, Tick> last = new HashMap<>();

    public PointClock(Map<String, Tick> restored) {
        last.putAll(restored);
    }

    /** The tick of a meter's next frame whose time is {@code timeMillis}. */
    public synchronized Tick next(String meter, long timeMillis) {
        Tick previous = last.get(meter);
        Tick tick = previous != null && previous.timeMillis() == timeMillis && previous.seq() < 999_999
                ? new Tick(timeMillis, previous.seq() + 1) : new Tick(timeMillis, 0);
        last.put(meter, tick);
        return tick;
    }
}
