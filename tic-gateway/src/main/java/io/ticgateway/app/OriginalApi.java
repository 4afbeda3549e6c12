package io.ticgateway.app;

import io.ticgateway.meter.LabelDictionary;
import io.ticgateway.meter.LabelInfo;
import io.ticgateway.meter.PmePmiSnapshot;
import io.ticgateway.protocol.TicMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answers of the program TIC Gateway replaces, kept for the Zabbix setups that call them: values as
 * {@code [value, unit]} pairs filed by tariff period ({@code INDEP_TARIF} for the others), bare values
 * as text, and Zabbix low-level discovery.
 */
final class OriginalApi {

    private static final String USAGE = "usage: /get_donnee?tarif=<période tarifaire ou INDEP_TARIF>&etiquette=<étiquette>";

    private final StateStore store;

    OriginalApi(StateStore store) {
        this.store = store;
    }

    /** The named meter, else the first PME-PMI meter, else the first meter; null when none. */
    MeterState meter(String name) {
        if (name != null && !name.isBlank()) {
            return store.meter(name);
        }
        List<MeterState> all = new ArrayList<>(store.meters());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all.stream().filter(m -> "pmepmi".equals(m.family())).findFirst()
                .orElse(all.isEmpty() ? null : all.get(0));
    }

    /** {@code {"HPE": {"EAP_s": ["147907", "kWh"]}, "INDEP_TARIF": {...}}}. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, List<String>>> interpretation(MeterState m) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        Map<String, Object> latest = m.latest();
        if (latest.get("periods") instanceof Map<?, ?> periods) {
            periods.forEach((period, values) -> {
                Map<String, List<String>> entries = new LinkedHashMap<>();
                ((Map<String, Map<String, Object>>) values).forEach((label, q) -> entries.put(label, pair(q)));
                out.put((String) period, entries);
            });
        }
        Map<String, List<String>> independent = new LinkedHashMap<>();
        independent.put("ID_COMPTEUR", Arrays.asList(m.meterId(), null));
        Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) latest.getOrDefault("groups", Map.of());
        if (groups.containsKey("MESURES1")) {
            independent.put("CONTRAT", Arrays.asList(String.valueOf(groups.get("MESURES1").get("value")), null));
        }
        TicMode mode = TicMode.valueOf(m.family().toUpperCase(Locale.ROOT));
        groups.forEach((label, group) -> {
            LabelInfo info = LabelDictionary.of(mode).info(label);
            if (!info.periodDependent()) {
                independent.put(label, pair(group));
            }
        });
        if (latest.get("derived") instanceof Map<?, ?> derived) {
            ((Map<String, Map<String, Object>>) derived).forEach((label, q) -> independent.put(label, pair(q)));
        }
        out.put(PmePmiSnapshot.INDEPENDENT, independent);
        return out;
    }

    private static List<String> pair(Map<String, Object> valueAndUnit) {
        Object value = valueAndUnit.get("value");
        String text;
        if (value == null) {
            Object raw = valueAndUnit.get("raw");
            text = raw == null ? null : raw.toString().trim();
        } else if (value instanceof BigDecimal decimal) {
            text = decimal.toPlainString();
        } else if (value instanceof Map || value instanceof List) {
            text = String.valueOf(valueAndUnit.get("raw"));
        } else {
            text = value.toString();
        }
        return Arrays.asList(text, (String) valueAndUnit.get("unit"));
    }

    /** The bare value of a label in a period (or INDEP_TARIF); empty when unknown; a hint when a parameter is missing. */
    String donnee(String meterName, String tarif, String etiquette) {
        if (tarif == null || tarif.isBlank() || etiquette == null || etiquette.isBlank()) {
            return USAGE;
        }
        MeterState m = meter(meterName);
        if (m == null) {
            return "";
        }
        Map<String, List<String>> period = interpretation(m).get(tarif);
        if (period == null || period.get(etiquette) == null || period.get(etiquette).get(0) == null) {
            return "";
        }
        return period.get(etiquette).get(0);
    }

    /** {@code {"data": [{"{#ETIQUETTE}": ..., "{#PTARIF}": ..., "{#UNITE}": ..., "{#DESCRIPTION}": ..., "{#PERIODE}": ...}]}}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> zabbixDiscovery(String meterName, String type) {
        List<Map<String, String>> data = new ArrayList<>();
        MeterState m = meter(meterName);
        if (m != null) {
            TicMode mode = TicMode.valueOf(m.family().toUpperCase(Locale.ROOT));
            Map<String, Object> groups = (Map<String, Object>) m.latest().getOrDefault("groups", Map.of());
            interpretation(m).forEach((period, values) -> values.forEach((label, pair) -> {
                LabelInfo info = LabelDictionary.of(mode).info(label);
                Object group = groups.get(label);
                Object value = group instanceof Map<?, ?> g ? g.get("value") : null;
                String zabbixType = zabbixType(value, pair.get(0));
                if (type != null && !type.isBlank() && !type.equalsIgnoreCase(zabbixType)) {
                    return;
                }
                Map<String, String> item = new LinkedHashMap<>();
                item.put("{#ETIQUETTE}", label);
                item.put("{#PTARIF}", period);
                item.put("{#UNITE}", pair.get(1) == null ? "" : pair.get(1));
                item.put("{#DESCRIPTION}", info.known() ? info.description() : label);
                item.put("{#PERIODE}", String.valueOf(pollingSeconds(info, period)));
                item.put("{#TYPE}", zabbixType);
                data.add(item);
            }));
        }
        return Map.of("data", data);
    }

    private static String zabbixType(Object value, String text) {
        if (value instanceof Long || value instanceof Integer) {
            return "int";
        }
        if (value instanceof BigDecimal || value instanceof Double) {
            return "float";
        }
        if (text != null && text.matches("-?\\d+")) {
            return "int";
        }
        return text != null && text.length() > 64 ? "text" : "char";
    }

    private static int pollingSeconds(LabelInfo info, String period) {
        if (info.index() || info.periodDependent() || !PmePmiSnapshot.INDEPENDENT.equals(period)) {
            return 3600;
        }
        return info.known() ? 60 : 600;
    }
}
