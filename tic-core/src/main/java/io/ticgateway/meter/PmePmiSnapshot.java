package io.ticgateway.meter;

import java.util.Map;

/**
 * The PME-PMI interpretation after a frame, as the program TIC Gateway replaces computed it.
 *
 * @param period  the current tariff period ({@code PTCOUR1}, with {@code -ETATDYN1} appended while the
 *                dynamic tariff is active)
 * @param periods period-dependent values filed under the period that was current when they were sent;
 *                over time every period of the contract fills in
 * @param derived computed values: {@code <label>_delta}, {@code CONSO_TOTALE_s}/{@code _i},
 *                {@code CPT_PREAVIS}, {@code CPT_INTERRUPTIONS}, {@code CPT_TRAMES_INVALIDES}
 */
public record PmePmiSnapshot(String period, Map<String, Map<String, Quantity>> periods,
                             Map<String, Quantity> derived) {

    /** Key under which the original program filed period-independent values. */
    public static final String INDEPENDENT = "INDEP_TARIF";
}
