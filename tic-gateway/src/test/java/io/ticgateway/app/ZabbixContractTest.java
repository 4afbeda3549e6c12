package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.meter.ReadingJson;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Zabbix contract of the program TIC Gateway replaces ({@code /zabbix_autoconf}, {@code /get_donnee},
 * {@code /get_interpretation}) on simulated PME-PMI, historic and standard meters: its label table's periods
 * and value types, a description for every row, {@code CONSO_TOTALE_i}, and the answers for what does not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZabbixContractTest {

    @TempDir
    static Path dir;

    private SimulatedSite site;

    @BeforeAll
    void start() throws Exception {
        site = SimulatedSite.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = site.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return ReadingJson.mapper().readTree(response.body());
    }

    /** The discovery rows, by "PERIOD/LABEL". */
    private Map<String, JsonNode> discovery(String query) throws Exception {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (JsonNode row : json("/zabbix_autoconf" + query).get("data")) {
            rows.put(row.get("{#PTARIF}").asText() + "/" + row.get("{#ETIQUETTE}").asText(), row);
        }
        return rows;
    }

    private static List<String> labels(Map<String, JsonNode> rows) {
        List<String> labels = new ArrayList<>();
        rows.values().forEach(row -> labels.add(row.get("{#ETIQUETTE}").asText()));
        return labels;
    }

    @Test
    void pmePmiPollingPeriodsAreTheOriginalTables() throws Exception {
        Map<String, JsonNode> rows = discovery("?meter=pme");
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("INDEP_TARIF/EA_s_delta", 30);
        expected.put("INDEP_TARIF/ER+_s_delta", 10);
        expected.put("INDEP_TARIF/ER-_s_delta", 10);
        expected.put("INDEP_TARIF/DATE", 30);
        expected.put("INDEP_TARIF/PS", 3600);
        expected.put("INDEP_TARIF/PTCOUR1", 3600);
        expected.put("INDEP_TARIF/DebP", 3600);
        expected.put("INDEP_TARIF/TGPHI_s", 300);
        expected.put("INDEP_TARIF/PA1MN", 60);
        expected.put("INDEP_TARIF/CPT_INTERRUPTIONS", 60);
        expected.put("INDEP_TARIF/CPT_PREAVIS", 60);
        expected.put("INDEP_TARIF/CPT_TRAMES_INVALIDES", 60);
        expected.put("INDEP_TARIF/CONSO_TOTALE_s", 60);
        expected.put("INDEP_TARIF/CONSO_TOTALE_i", 60);
        String period = json("/api/meters/pme").get("tariffPeriod").asText();
        expected.put(period + "/EAP_s", 60);
        expected.put(period + "/EAP-1_s", 3600);
        expected.put(period + "/PMAX_s", 3600);
        expected.forEach((row, seconds) -> {
            assertThat(rows).as(row).containsKey(row);
            assertThat(rows.get(row).get("{#PERIODE}").asInt()).as(row).isEqualTo(seconds);
        });
    }

    @Test
    void theTypeFilterFollowsTheOriginalValueTypes() throws Exception {
        assertThat(labels(discovery("?meter=pme&type=text"))).contains("CONTRAT", "DATE", "DebP", "DebP-1", "FinP-1",
                "PTCOUR1", "TARIFDYN", "ETATDYN1", "ADS", "ID_COMPTEUR");
        Map<String, JsonNode> ints = discovery("?meter=pme&type=int");
        assertThat(labels(ints)).contains("EA_s", "EA_s_delta", "EAP_s", "PS", "CONSO_TOTALE_i", "CPT_TRAMES_INVALIDES")
                .doesNotContain("ADS", "ID_COMPTEUR", "ETATDYN1", "CONTRAT", "TGPHI_s");
        assertThat(labels(discovery("?meter=pme&type=float"))).containsOnly("TGPHI_s");
        assertThat(json("/zabbix_autoconf?meter=pme&type=log").get("data")).isEmpty();
        for (JsonNode row : ints.values()) {
            String value = site.get("/get_donnee?meter=pme&tarif=" + row.get("{#PTARIF}").asText() + "&etiquette="
                    + encode(row.get("{#ETIQUETTE}").asText())).body();
            assertThat(value).as(row.toString()).matches("\\d+");
        }
        // a 12-digit id keeps its leading zero
        assertThat(site.get("/get_donnee?meter=pme&tarif=INDEP_TARIF&etiquette=ID_COMPTEUR").body()).isEqualTo("041436028024");
        assertThat(site.get("/get_donnee?meter=pme&tarif=INDEP_TARIF&etiquette=ADS").body()).isEqualTo("041436028024");
        assertThat(site.get("/get_donnee?meter=std&tarif=INDEP_TARIF&etiquette=ADSC").body()).isEqualTo("041876543210");
    }

    private static String encode(String label) {
        return java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void everyRowOfEveryFamilyHasARealDescription() throws Exception {
        for (String meter : SimulatedSite.METERS.keySet()) {
            Map<String, JsonNode> rows = discovery("?meter=" + meter);
            assertThat(rows).as(meter).hasSizeGreaterThan(8);
            rows.forEach((row, r) -> assertThat(r.get("{#DESCRIPTION}").asText()).as(meter + " " + row)
                    .isNotBlank().isNotEqualTo(r.get("{#ETIQUETTE}").asText()).doesNotContain("absente"));
        }
        Map<String, JsonNode> pme = discovery("?meter=pme");
        assertThat(pme.get("INDEP_TARIF/CONTRAT").get("{#DESCRIPTION}").asText()).contains("calendrier tarifaire");
        assertThat(pme.get("INDEP_TARIF/EA_s_delta").get("{#DESCRIPTION}").asText())
                .startsWith("Energie active soutirée").endsWith("écart avec la trame précédente");
        assertThat(pme.get("INDEP_TARIF/CONSO_TOTALE_s").get("{#DESCRIPTION}").asText()).contains("EAP_s");
        assertThat(pme.get("INDEP_TARIF/CPT_TRAMES_INVALIDES").get("{#UNITE}").asText()).isEmpty();
    }

    @Test
    void totalsAndTextsAreWhole() throws Exception {
        assertThat(site.get("/get_donnee?tarif=INDEP_TARIF&etiquette=CONSO_TOTALE_i").body()).isEqualTo("0");
        JsonNode independent = json("/get_interpretation").get("INDEP_TARIF");
        assertThat(independent.get("CONSO_TOTALE_i").get(0).asText()).isEqualTo("0");
        assertThat(independent.get("CONTRAT").get(0).asText()).isEqualTo("BT 4 SUP36");
        assertThat(independent.get("DATE").get(0).asText()).matches("\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(independent.get("DebP").get(0).asText()).matches("\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void historicAndStandardMetersHaveTheirOwnLabels() throws Exception {
        Map<String, JsonNode> hist = discovery("?meter=hist");
        assertThat(hist.keySet()).allMatch(row -> row.startsWith("INDEP_TARIF/"));
        assertThat(hist.get("INDEP_TARIF/ADCO").get("{#TYPE}").asText()).isEqualTo("text");
        assertThat(hist.get("INDEP_TARIF/HCHC").get("{#TYPE}").asText()).isEqualTo("int");
        assertThat(hist.get("INDEP_TARIF/HCHC").get("{#PERIODE}").asText()).isEqualTo("60");
        assertThat(hist.get("INDEP_TARIF/PAPP").get("{#PERIODE}").asText()).isEqualTo("30");
        assertThat(hist.get("INDEP_TARIF/HCHC").get("{#UNITE}").asText()).isEqualTo("Wh");
        Map<String, JsonNode> std = discovery("?meter=std");
        assertThat(std.get("INDEP_TARIF/EAST").get("{#TYPE}").asText()).isEqualTo("int");
        assertThat(std.get("INDEP_TARIF/STGE").get("{#TYPE}").asText()).isEqualTo("text");
        assertThat(std.get("INDEP_TARIF/DATE").get("{#PERIODE}").asText()).isEqualTo("30");
        // STGE as the meter sent it, not a Java object
        JsonNode interpretation = json("/get_interpretation?meter=std").get("INDEP_TARIF");
        assertThat(interpretation.get("STGE").get(0).asText()).matches("[0-9A-F]{8}");
        assertThat(interpretation.get("DATE").get(0).asText()).startsWith("20").contains("T");
        assertThat(site.get("/get_donnee?meter=hist&tarif=INDEP_TARIF&etiquette=OPTARIF").body()).isEqualTo("HC..");
    }

    @Test
    void whatDoesNotExistIsSaidWithA4xx() throws Exception {
        for (String url : List.of("/get_interpretation?meter=nosuch", "/zabbix_autoconf?meter=nosuch")) {
            HttpResponse<String> response = site.get(url);
            assertThat(response.statusCode()).as(url).isEqualTo(404);
            assertThat(ReadingJson.mapper().readTree(response.body()).get("error").asText()).contains("nosuch");
        }
        HttpResponse<String> unknownMeter = site.get("/get_donnee?meter=nosuch&tarif=INDEP_TARIF&etiquette=PS");
        assertThat(unknownMeter.statusCode()).isEqualTo(404);
        assertThat(unknownMeter.body()).isEqualTo("unknown meter 'nosuch'");
        HttpResponse<String> unknownPeriod = site.get("/get_donnee?meter=pme&tarif=NOPE&etiquette=EAP_s");
        assertThat(unknownPeriod.statusCode()).isEqualTo(404);
        assertThat(unknownPeriod.body()).contains("NOPE", "EAP_s", "pme");
        assertThat(site.get("/get_donnee?meter=pme&tarif=INDEP_TARIF&etiquette=NOPE").statusCode()).isEqualTo(404);
        HttpResponse<String> missing = site.get("/get_donnee?tarif=INDEP_TARIF");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).startsWith("usage: /get_donnee?tarif=");
        HttpResponse<String> badType = site.get("/zabbix_autoconf?type=bogus");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.body()).contains("int, float, char, text, log");
        assertThat(site.get("/get_donnee?tarif=INDEP_TARIF&etiquette=PS%0a").statusCode()).isEqualTo(400);
        // by meter id too, as /api does
        assertThat(site.get("/get_donnee?meter=041436028024&tarif=INDEP_TARIF&etiquette=PS").body()).isEqualTo("42");
    }

    @Test
    void repeatedParametersAndAcceptHeadersAreAnsweredClearly() throws Exception {
        HttpResponse<String> twice = site.get("/get_donnee?meter=pme&tarif=HPH&etiquette=EAP_s&etiquette=PS");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).isEqualTo("the parameter etiquette is given more than once");
        assertThat(site.get("/zabbix_autoconf?type=int&type=text").body()).contains("the parameter type is given more than once");
        assertThat(site.get("/get_interpretation?meter=hist&meter=std").statusCode()).isEqualTo(400);
        // a Zabbix item with a custom Accept header still gets the value
        HttpResponse<String> json = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(site.url() + "/get_donnee?meter=pme&tarif=INDEP_TARIF&etiquette=PS"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.body()).isEqualTo("42");
    }

    @Test
    void derivedPowerAndSecondCalendarIndexesFollowTheRules() {
        ZabbixContract.Entry power = ZabbixContract.of(io.ticgateway.protocol.TicMode.STANDARD, "PUISSANCE_ACTIVE");
        assertThat(power.type()).isEqualTo("int");
        assertThat(power.periodSeconds()).isEqualTo(30);
        assertThat(power.description()).contains("Puissance active");
        assertThat(ZabbixContract.of(io.ticgateway.protocol.TicMode.PMEPMI, "EAP_s2").periodSeconds()).isEqualTo(60);
        assertThat(ZabbixContract.of(io.ticgateway.protocol.TicMode.PMEPMI, "EAP-1_s2").periodSeconds()).isEqualTo(60);
    }
}
