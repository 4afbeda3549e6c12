package io.ticgateway.app;

import io.ticgateway.meter.LabelDictionary;
import io.ticgateway.meter.LabelInfo;
import io.ticgateway.meter.PmePmiSnapshot;
import io.ticgateway.meter.ValueType;
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
 * as text, and Zabbix low-level discovery ({@link ZabbixContract}).
 */
final class OriginalApi {

    private final StateStore store;

    OriginalApi(StateStore store) {
        this.store = store;
    }

    /** The named meter (name or meter id), else the first PME-PMI meter, else the first meter; null when none. */
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
        LabelDictionary dictionary = LabelDictionary.of(mode(m));
        if (latest.get("periods") instanceof Map<?, ?> periods) {
            periods.forEach((period, values) -> {
                Map<String, List<String>> entries = new LinkedHashMap<>();
                ((Map<String, Map<String, Object>>) values).forEach((label, q) -> entries.put(label, pair(dictionary.info(label), q)));
                out.put((String) period, entries);
            });
        }
        Map<String, List<String>> independent = new LinkedHashMap<>();
        independent.put("ID_COMPTEUR", Arrays.asList(m.meterId(), null));
        Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) latest.getOrDefault("groups", Map.of());
        if (groups.containsKey("MESURES1")) {
            independent.put("CONTRAT", pair(dictionary.info("MESURES1"), groups.get("MESURES1")));
        }
        groups.forEach((label, group) -> {
            LabelInfo info = dictionary.info(label);
            if (!info.periodDependent()) {
                independent.put(label, pair(info, group));
            }
        });
        if (latest.get("derived") instanceof Map<?, ?> derived) {
            ((Map<String, Map<String, Object>>) derived).forEach((label, q) -> independent.put(label, pair(dictionary.info(label), q)));
        }
        out.put(PmePmiSnapshot.INDEPENDENT, independent);
        return out;
    }

    /**
     * {@code [text, unit]}: numbers in plain decimal notation, a standard {@code DATE} as its ISO-8601
     * horodate, everything else (texts, ids with their leading zeros, PME-PMI dates as sent, {@code STGE}
     * in hexadecimal, day profiles) as the meter sent it, trimmed, never shortened to its first word.
     */
    private static List<String> pair(LabelInfo info, Map<String, Object> entry) {
        Object value = entry.get("value");
        Object raw = entry.get("raw");
        String text;
        if (value instanceof Number number) {
            text = plain(number);
        } else if (info.type() == ValueType.HORODATE && value != null) {
            text = value.toString();
        } else if (raw != null) {
            text = raw.toString().trim();
        } else {
            text = value == null ? null : value.toString();
        }
        return Arrays.asList(text, (String) entry.get("unit"));
    }

    private static String plain(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (number instanceof Double || number instanceof Float) {
            return BigDecimal.valueOf(number.doubleValue()).toPlainString();
        }
        return number.toString();
    }

    /** The bare value of a label in a period ({@code INDEP_TARIF} for the others), or null when the meter has none. */
    static String donnee(MeterState m, String tarif, String etiquette) {
        Map<String, List<String>> period = interpretation(m).get(tarif);
        List<String> pair = period == null ? null : period.get(etiquette);
        return pair == null ? null : pair.get(0);
    }

    /**
     * {@code {"data": [{"{#ETIQUETTE}": ..., "{#PTARIF}": ..., "{#UNITE}": ..., "{#DESCRIPTION}": ...,
     * "{#PERIODE}": ..., "{#TYPE}": ...}]}}, the rows of one Zabbix value type when {@code type} is given.
     */
    static Map<String, Object> zabbixDiscovery(MeterState m, String type) {
        List<Map<String, String>> data = new ArrayList<>();
        TicMode mode = mode(m);
        interpretation(m).forEach((period, values) -> values.forEach((label, pair) -> {
            if (pair.get(0) == null) {
                return;
            }
            ZabbixContract.Entry entry = ZabbixContract.of(mode, label);
            if (type != null && !type.equalsIgnoreCase(entry.type())) {
                return;
            }
            Map<String, String> item = new LinkedHashMap<>();
            item.put("{#ETIQUETTE}", label);
            item.put("{#PTARIF}", period);
            item.put("{#UNITE}", pair.get(1) == null ? "" : pair.get(1));
            item.put("{#DESCRIPTION}", entry.description());
            item.put("{#PERIODE}", String.valueOf(entry.periodSeconds()));
            item.put("{#TYPE}", entry.type());
            data.add(item);
        }));
        return Map.of("data", data);
    }

    private static TicMode mode(MeterState m) {
        return TicMode.valueOf(m.family().toUpperCase(Locale.ROOT));
    }
}
