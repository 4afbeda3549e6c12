package io.ticgateway.meter;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The instant of a meter's local time that carries no season (PME-PMI {@code DATE}). When summer time ends
 * (the last Sunday of October in France) 02:00-03:00 comes twice: a local time in that hour is the first
 * pass (+02:00) unless that would put it before the meter's previous frame, then the second (+01:00). With
 * no previous frame (the first after a start), the one nearer the receive time.
 *
 * <p>Stateful: one per meter stream, fed by one thread.
 */
public final class SeasonResolver {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private Instant last;

    /** The instant of {@code local} for a frame received at {@code receivedAtMillis}. */
    public OffsetDateTime resolve(LocalDateTime local, long receivedAtMillis) {
        ZonedDateTime first = local.atZone(PARIS).withEarlierOffsetAtOverlap();
        ZonedDateTime second = first.withLaterOffsetAtOverlap();
        ZonedDateTime chosen = first;
        if (!first.equals(second)) {
            boolean firstGoesBack = last != null && first.toInstant().isBefore(last);
            boolean secondIsNearer = last == null && Math.abs(second.toInstant().toEpochMilli() - receivedAtMillis)
                    < Math.abs(first.toInstant().toEpochMilli() - receivedAtMillis);
            if (firstGoesBack || secondIsNearer) {
                chosen = second;
            }
        }
        last = chosen.toInstant();
        return chosen.toOffsetDateTime();
    }

    /** Forgets the previous frame (another meter on the line). */
    public void reset() {
        last = null;
    }
}
