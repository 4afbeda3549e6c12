package io.ticgateway.meter;

/**
 * The Linky status register {@code STGE} decoded into named fields (Enedis-NOI-CPT_54E §6.2.3.14).
 *
 * @param raw                     the 32-bit register
 * @param contactSecOuvert        bit 0: dry contact open
 * @param organeCoupure           bits 1-3: 0 closed, 1 over-power, 2 over-voltage, 3 load shedding,
 *                                4 CPL/Euridis order, 5-6 over-heating
 * @param cacheBorneOuvert        bit 4: distributor terminal cover open
 * @param surtension              bit 6: over-voltage on a phase
 * @param depassementPuissance    bit 7: reference power exceeded
 * @param producteur              bit 8: meter in producer mode
 * @param injection               bit 9: active energy flowing out (negative)
 * @param indexFourniture         bits 10-13 + 1: supplier tariff index in force (1-10)
 * @param indexDistributeur       bits 14-15 + 1: distributor tariff index in force (1-4)
 * @param horlogeDegradee         bit 16: the meter lost its time
 * @param ticStandard             bit 17: TIC output in standard mode
 * @param euridis                 bits 19-20: Euridis output state
 * @param statutCpl               bits 21-22: CPL status
 * @param cplSynchronise          bit 23: CPL synchronised
 * @param couleurJour             bits 24-25: Tempo colour of today
 * @param couleurDemain           bits 26-27: Tempo colour of tomorrow
 * @param preavisPointeMobile     bits 28-29: mobile peak warning in progress (0 none, 1-3 = PM1-PM3)
 * @param pointeMobile            bits 30-31: mobile peak in progress (0 none, 1-3 = PM1-PM3)
 */
public record Stge(long raw, boolean contactSecOuvert, int organeCoupure, boolean cacheBorneOuvert,
                   boolean surtension, boolean depassementPuissance, boolean producteur, boolean injection,
                   int indexFourniture, int indexDistributeur, boolean horlogeDegradee, boolean ticStandard,
                   String euridis, String statutCpl, boolean cplSynchronise, TempoColour couleurJour,
                   TempoColour couleurDemain, int preavisPointeMobile, int pointeMobile) {

    private static final String[] EURIDIS = {"désactivée", "activée sans sécurité", "valeur non valide",
        "activée avec sécurité"};
    private static final String[] CPL = {"New/Unlock", "New/Lock", "Registered", "valeur non valide"};

    /**
     * Decodes the 8 hexadecimal characters of STGE.
     *
     * @throws IllegalArgumentException when the text is not 8 hex digits
     */
    public static Stge parse(String hex) {
        String text = hex.trim();
        if (text.length() != 8) {
            throw new IllegalArgumentException("STGE must be 8 hex digits: '" + hex + "'");
        }
        long v = Long.parseLong(text, 16);
        return new Stge(v, bit(v, 0), bits(v, 1, 3), bit(v, 4), bit(v, 6), bit(v, 7), bit(v, 8), bit(v, 9),
                bits(v, 10, 4) + 1, bits(v, 14, 2) + 1, bit(v, 16), bit(v, 17), EURIDIS[bits(v, 19, 2)],
                CPL[bits(v, 21, 2)], bit(v, 23), TempoColour.ofCode(bits(v, 24, 2)),
                TempoColour.ofCode(bits(v, 26, 2)), bits(v, 28, 2), bits(v, 30, 2));
    }

    /** Every component derives from {@link #raw()}: its hash is enough (the JSON of a register is cached by it). */
    @Override
    public int hashCode() {
        return Long.hashCode(raw);
    }

    private static boolean bit(long v, int n) {
        return ((v >>> n) & 1) == 1;
    }

    private static int bits(long v, int from, int count) {
        return (int) ((v >>> from) & ((1L << count) - 1));
    }
}
