package io.ticgateway.meter;

import io.ticgateway.protocol.Horodate;
import io.ticgateway.protocol.RejectReason;
import io.ticgateway.protocol.Rejection;
import io.ticgateway.protocol.TicFrame;
import io.ticgateway.protocol.TicMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives meaning to the frames of one meter stream: typed values from the family's dictionary, the
 * meter's identity and time, and the PME-PMI per-period view with its deltas and counters.
 *
 * <p>Stateful (deltas, counters, last identity): one instance per stream, fed by one thread.
 */
public final class FrameInterpreter {

    private static final String UNKNOWN_METER = "unknown";

    private final String meterIdOverride;
    private final PmePmiTracker pmePmi = new PmePmiTracker();
    private final IndexSanity sanity = new IndexSanity();
    private final ActivePower activePower = new ActivePower();
    private final SeasonResolver seasons = new SeasonResolver();
    private final Set<String> unknownLabels = ConcurrentHashMap.newKeySet();
    private final GroupCache lastGroups = new GroupCache(unknownLabels);
    private String lastMeterId;

    /** An interpreter that takes the meter id from the frames. */
    public FrameInterpreter() {
        this(null);
    }

    /** @param meterIdOverride the id to use whatever the frames say, or null */
    public FrameInterpreter(String meterIdOverride) {
        this.meterIdOverride = meterIdOverride == null || meterIdOverride.isBlank() ? null : meterIdOverride;
    }

    /** Labels seen that the family's dictionary does not know (kept as text in the readings). */
    public Set<String> unknownLabels() {
        return Collections.unmodifiableSet(unknownLabels);
    }

    /** Counts a decoder rejection (PME-PMI counters of interruptions and invalid frames). */
    public void onRejection(Rejection rejection) {
        if (!rejection.wholeFrame()) {
            return;
        }
        if (rejection.reason() == RejectReason.INTERRUPTED) {
            pmePmi.countInterruption();
        } else {
            pmePmi.countInvalidFrame();
        }
    }

    /** Interprets one decoded frame. */
    public MeterReading interpret(TicFrame frame) {
        TicMode mode = frame.mode();
        LabelDictionary dictionary = LabelDictionary.of(mode);
        Map<String, Reading> groups = new LinkedHashMap<>(frame.size() * 2);
        for (int g = 0; g < frame.size(); g++) {
            Reading reading = lastGroups.reading(frame, g, dictionary);
            groups.putIfAbsent(reading.label(), reading);
        }
        String previousId = lastMeterId;
        String meterId = meterId(mode, groups);
        if (previousId != null && !previousId.equals(lastMeterId)) { // another meter on the line
            sanity.reset();
            activePower.reset();
            seasons.reset();
        }
        if (mode == TicMode.PMEPMI) {
            resolveSeason(groups, frame.receivedAtMillis());
        }
        Reading date = groups.get("DATE");
        // the meter's time: a DATE group of the family's dictionary (historic meters have none: a DATE label
        // there is unknown text, and the receive time counts)
        String time = date != null && isDate(date) && date.value() instanceof String iso ? iso : null;
        boolean degraded = date != null && date.clockDegraded();
        long meterTime = time != null ? Horodate.epochMillis(time)
                : frame.receivedAtMillis();
        Map<String, String> held = sanity.check(groups, meterTime);
        // PME-PMI has neither EAST nor the historic indexes: no active power to derive
        Quantity power = mode == TicMode.PMEPMI ? null : activePower.update(groups, held, meterTime);
        Map<String, Quantity> derived = power == null ? Map.of() : Map.of(ActivePower.NAME, power);
        PmePmiSnapshot snapshot = null;
        if (mode == TicMode.PMEPMI) {
            snapshot = pmePmi.update(groups, meterTime);
        }
        return new MeterReading(meterId, mode, time, degraded, frame.receivedAtMillis(), frame.sequence(),
                frame.rejectedGroups(), Collections.unmodifiableMap(groups), snapshot,
                derived, Collections.unmodifiableMap(held), sanity.counts(), false);
    }

    private static boolean isDate(Reading r) {
        return r.info().type() == ValueType.HORODATE || r.info().type() == ValueType.DATE;
    }

    /** A PME-PMI {@code DATE} (local time, no season) in the hour repeated at the end of summer time. */
    private void resolveSeason(Map<String, Reading> groups, long receivedAtMillis) {
        Reading date = groups.get("DATE");
        if (date == null || !(date.value() instanceof String)) {
            return;
        }
        String iso = new Horodate(seasons.resolve(Horodate.pmePmiLocal(date.raw()), receivedAtMillis), false).iso();
        if (!iso.equals(date.value())) {
            groups.put("DATE", new Reading(date.info(), date.raw(), iso, date.unit(), date.time(), date.clockDegraded(),
                    date.truncated()));
        }
    }

    private String meterId(TicMode mode, Map<String, Reading> groups) {
        if (meterIdOverride != null) {
            return meterIdOverride;
        }
        String label = switch (mode) {
            case STANDARD -> "ADSC";
            case HISTORIC -> "ADCO";
            case PMEPMI -> "ADS";
        };
        Reading id = groups.get(label);
        if (id != null && !id.raw().isBlank()) {
            lastMeterId = id.raw().trim();
        }
        return lastMeterId != null ? lastMeterId : UNKNOWN_METER;
    }
}
