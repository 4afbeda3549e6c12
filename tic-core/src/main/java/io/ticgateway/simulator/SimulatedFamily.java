package io.ticgateway.simulator;

import io.ticgateway.protocol.TicMode;
import java.util.Arrays;
import java.util.Locale;

/** The meters the simulator can play. */
public enum SimulatedFamily {
    /** Linky single-phase, standard mode, Base option. */
    LINKY_STANDARD(TicMode.STANDARD, false, false),
    /** Linky three-phase, standard mode, Tempo. */
    LINKY_STANDARD_TRI(TicMode.STANDARD, true, false),
    /** Linky single-phase producer (injection index, SINSTI, SMAXIN). */
    LINKY_PRODUCER(TicMode.STANDARD, false, true),
    /** Linky single-phase in historic mode, HC option. */
    LINKY_HISTORIC(TicMode.HISTORIC, false, false),
    /** Three-phase historic meter, Base option, with short ADIR frames while over-current. */
    HISTORIC_TRI(TicMode.HISTORIC, true, false),
    /** PME-PMI meter, BT 4 SUP36, consumption, four tariff periods. */
    PMEPMI(TicMode.PMEPMI, false, false);

    private final TicMode mode;
    private final boolean threePhase;
    private final boolean producer;

    SimulatedFamily(TicMode mode, boolean threePhase, boolean producer) {
        this.mode = mode;
        this.threePhase = threePhase;
        this.producer = producer;
    }

    public TicMode mode() {
        return mode;
    }

    public boolean threePhase() {
        return threePhase;
    }

    public boolean producer() {
        return producer;
    }

    /** The name used in URIs: {@code linky-standard}, {@code historic-tri} ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The family of an id.
     *
     * @throws IllegalArgumentException naming the accepted ids
     */
    public static SimulatedFamily of(String id) {
        if ("historic".equalsIgnoreCase(id)) { // its name before 0.2, kept for existing configurations
            return LINKY_HISTORIC;
        }
        for (SimulatedFamily f : values()) {
            if (f.id().equalsIgnoreCase(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown simulated meter '" + id + "', expected one of "
                + Arrays.stream(values()).map(SimulatedFamily::id).toList());
    }
}
