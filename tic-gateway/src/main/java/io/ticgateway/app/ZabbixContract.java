package io.ticgateway.app;

import io.ticgateway.meter.LabelDictionary;
import io.ticgateway.meter.LabelInfo;
import io.ticgateway.meter.TsvResource;
import io.ticgateway.meter.ValueType;
import io.ticgateway.protocol.TicMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /zabbix_autoconf} says of a label: its polling period ({@code {#PERIODE}}), its Zabbix value
 * type (the {@code type} filter) and its description. PME-PMI labels follow the table of the program TIC
 * Gateway replaces ({@code zabbix-pmepmi.tsv}); every other label follows the rules of {@link #byRule}.
 */
final class ZabbixContract {

    /** The values the {@code type} filter accepts, as the program replaced named Zabbix's value types. */
    static final List<String> TYPES = List.of("int", "float", "char", "text", "log");

    private static final String DELTA = "_delta";
    /** The meter id every family's {@code INDEP_TARIF} starts with. */
    private static final String METER_ID = "ID_COMPTEUR";
    private static final Map<String, Entry> PMEPMI = load("zabbix-pmepmi.tsv");

    /**
     * One label's discovery row.
     *
     * @param periodSeconds the polling period
     * @param type          {@code int}, {@code float} or {@code text}
     * @param description   a sentence in the words of the Enedis specification
     */
    record Entry(int periodSeconds, String type, String description) {
    }

    /** The active power the gateway derives from the energy index (not a label of the meters). */
    private static final String ACTIVE_POWER = "PUISSANCE_ACTIVE";
    /** Units of energy indexes (the PME-PMI per-period labels are indexes but not flagged so). */
    private static final java.util.Set<String> ENERGY_UNITS = java.util.Set.of("kWh", "kVAh", "kvarh");

    private ZabbixContract() {
    }

    /** The discovery row of a label of a meter family (a {@code <label>_delta} included). */
    static Entry of(TicMode mode, String label) {
        LabelDictionary dictionary = LabelDictionary.of(mode);
        if (label.endsWith(DELTA)) {
            String base = label.substring(0, label.length() - DELTA.length());
            if (dictionary.info(base).delta()) {
                Entry of = of(mode, base);
                return new Entry(of.periodSeconds(), of.type(), of.description() + " : écart avec la trame précédente");
            }
        }
        if (ACTIVE_POWER.equals(label)) {
            return new Entry(30, "int", "Puissance active (W), moyenne sur 60 s déduite de l'index d'énergie active");
        }
        Entry listed = mode == TicMode.PMEPMI || METER_ID.equals(label) ? PMEPMI.get(label) : null;
        LabelInfo info = dictionary.info(label);
        String description = info.known() ? info.description() : "Etiquette absente de la spécification Enedis";
        if (listed == null) {
            return byRule(info, description);
        }
        return listed.description().isEmpty() ? new Entry(listed.periodSeconds(), listed.type(), description) : listed;
    }

    /**
     * Labels outside the table: decimals are {@code float}, other numbers {@code int}, the rest {@code text};
     * dates every 30 s (as the table's {@code DATE}), indexes (flagged so, or in kWh, kVAh, kvarh) every 60 s
     * (as {@code EAP_s}), other numbers
     * every 30 s (as {@code EA_s}), texts every hour (as {@code PTCOUR1}).
     */
    private static Entry byRule(LabelInfo info, String description) {
        if (info.type() == ValueType.DATE || info.type() == ValueType.HORODATE) {
            return new Entry(30, "text", description);
        }
        if (!info.numeric()) {
            return new Entry(3600, "text", description);
        }
        boolean index = info.index() || ENERGY_UNITS.contains(String.valueOf(info.unit()));
        return new Entry(index ? 60 : 30, info.type() == ValueType.DECIMAL ? "float" : "int", description);
    }

    private static Map<String, Entry> load(String resource) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String[] cols : TsvResource.rows(ZabbixContract.class, resource, 4)) {
            if (!TYPES.contains(cols[2])) {
                throw new IllegalStateException(resource + ": unknown Zabbix type '" + cols[2] + "' for " + cols[0]);
            }
            entries.put(cols[0], new Entry(Integer.parseInt(cols[1]), cols[2], cols[3]));
        }
        return entries;
    }
}
