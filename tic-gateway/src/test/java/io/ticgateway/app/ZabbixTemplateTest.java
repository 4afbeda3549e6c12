package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.jayway.jsonpath.JsonPath;
import io.ticgateway.meter.ReadingJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Zabbix templates of {@code docs/zabbix/} against a running gateway with a simulated PME-PMI, historic
 * and standard meter: every element has its uuid; for each family template, as a host with {@code {$TIC.URL}}
 * and {@code {$TIC.METER}} set, every HTTP agent URL answers, every dependent item's JSONPath finds a value
 * of its type, every discovery rule finds rows carrying every LLD macro its prototypes use, every discovered
 * item answers a value of its type at a period Zabbix accepts, and every trigger names items that exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZabbixTemplateTest {

    private static final Path TEMPLATES = Path.of("../docs/zabbix");
    /** Family template → the simulated meter it is tried on. */
    private static final Map<String, String> FAMILIES = Map.of(
            "TIC Gateway PME-PMI by HTTP", "pme",
            "TIC Gateway historic by HTTP", "hist",
            "TIC Gateway standard by HTTP", "std");
    /** The elements that carry a uuid in a Zabbix 6.0 export. */
    private static final Set<String> WITH_UUID = Set.of("items", "triggers", "discovery_rules", "item_prototypes",
            "trigger_prototypes", "graphs", "graph_prototypes", "valuemaps", "dashboards", "httptests");
    private static final Set<String> PREPROCESSING = Set.of("JSONPATH", "DISCARD_UNCHANGED", "CHANGE_PER_SECOND", "MULTIPLIER");
    private static final Pattern USER_MACRO = Pattern.compile("\\{\\$[A-Z0-9_.]+}");
    private static final Pattern LLD_MACRO = Pattern.compile("\\{#[A-Z0-9_.]+}");
    /** {@code function(/Template/key...}: an item reference in a trigger expression. */
    private static final Pattern ITEM_REFERENCE = Pattern.compile("\\(/([^/]+)/([^,)]+)");

    @TempDir
    static Path dir;

    private SimulatedSite site;
    private final List<JsonNode> exports = new ArrayList<>();
    private final Map<String, JsonNode> templates = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode export = new YAMLMapper().readTree(file.toFile()).get("zabbix_export");
                assertThat(export.get("version").asText()).as(file.toString()).isEqualTo("6.0");
                exports.add(export);
                export.get("templates").forEach(t -> templates.put(t.get("template").asText(), t));
            }
        }
        assertThat(templates).containsKeys(FAMILIES.keySet().toArray(String[]::new));
        site = SimulatedSite.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void everyElementHasItsOwnUuid() {
        List<String> uuids = new ArrayList<>();
        for (JsonNode export : exports) {
            for (String top : List.of("groups", "templates", "triggers")) {
                export.path(top).forEach(element -> collectUuids(element, uuids));
            }
        }
        assertThat(uuids).hasSizeGreaterThan(25).allMatch(u -> u.matches("[0-9a-f]{32}")).doesNotHaveDuplicates();
    }

    private static void collectUuids(JsonNode element, List<String> uuids) {
        assertThat(element.path("uuid").asText()).as(element.toString()).isNotEmpty();
        uuids.add(element.get("uuid").asText());
        element.fields().forEachRemaining(field -> {
            if (WITH_UUID.contains(field.getKey())) {
                field.getValue().forEach(child -> collectUuids(child, uuids));
            }
        });
    }

    @Test
    void everyUrlJsonPathAndMacroAnswersOnTheRunningGateway() throws Exception {
        Map<String, Integer> rowsByRule = new HashMap<>();
        for (Map.Entry<String, String> family : FAMILIES.entrySet()) {
            new Host(family.getKey(), family.getValue()).check(rowsByRule);
        }
        // a rule may find nothing on one meter (no decimal on a Linky), never on all of them
        assertThat(rowsByRule).isNotEmpty().allSatisfy((rule, rows) -> assertThat(rows).as(rule).isPositive());
    }

    /** One family template linked to a host that reads one simulated meter. */
    private final class Host {

        private final String template;
        private final List<JsonNode> linked = new ArrayList<>();
        private final Map<String, String> macros = new LinkedHashMap<>();
        private final Map<String, JsonNode> items = new LinkedHashMap<>();
        private final Map<String, String> itemTemplate = new HashMap<>();
        private final Map<String, String> bodies = new HashMap<>();

        Host(String template, String meter) {
            this.template = template;
            link(templates.get(template));
            for (JsonNode t : linked) {
                t.path("macros").forEach(m -> macros.putIfAbsent(m.get("macro").asText(), m.path("value").asText()));
                t.path("items").forEach(item -> {
                    assertThat(items.put(item.get("key").asText(), item)).as("duplicate key " + item.get("key")).isNull();
                    itemTemplate.put(item.get("key").asText(), t.get("template").asText());
                });
            }
            macros.put("{$TIC.URL}", site.url());
            macros.put("{$TIC.METER}", meter);
        }

        private void link(JsonNode t) {
            assertThat(t).as("a linked template missing from docs/zabbix").isNotNull();
            linked.add(t);
            t.path("templates").forEach(l -> link(templates.get(l.get("name").asText())));
        }

        void check(Map<String, Integer> rowsByRule) throws Exception {
            for (JsonNode t : linked) {
                for (String macro : matches(USER_MACRO, t.toString())) {
                    assertThat(macros).as(template + " uses " + macro).containsKey(macro);
                }
            }
            for (JsonNode item : items.values()) {
                if ("HTTP_AGENT".equals(item.get("type").asText())) {
                    bodies.put(item.get("key").asText(), fetch(item, Map.of()));
                }
            }
            for (JsonNode item : items.values()) {
                if ("DEPENDENT".equals(item.get("type").asText())) {
                    checkDependent(item);
                }
            }
            Set<String> discoveredKeys = new HashSet<>();
            for (JsonNode t : linked) {
                for (JsonNode rule : t.path("discovery_rules")) {
                    rowsByRule.merge(rule.get("key").asText(), checkDiscovery(rule, discoveredKeys), Integer::sum);
                }
                t.path("items").forEach(item -> item.path("triggers").forEach(this::checkTrigger));
            }
            assertThat(discoveredKeys).as(template + ": discovered items").hasSizeGreaterThan(8);
            for (JsonNode export : exports) {
                export.path("triggers").forEach(trigger -> {
                    if (trigger.get("expression").asText().contains("/" + template + "/")) {
                        checkTrigger(trigger);
                    }
                });
            }
        }

        /** GETs an HTTP agent item (macros and LLD macros expanded), checks the status, returns the body. */
        private String fetch(JsonNode item, Map<String, String> lld) throws Exception {
            StringBuilder url = new StringBuilder(expand(item.get("url").asText(), lld));
            char separator = '?';
            for (JsonNode field : item.path("query_fields")) {
                url.append(separator).append(field.get("name").asText()).append('=')
                        .append(URLEncoder.encode(expand(field.get("value").asText(), lld), StandardCharsets.UTF_8));
                separator = '&';
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10));
            String user = expand(item.path("username").asText(), lld);
            if ("BASIC".equals(item.path("authtype").asText()) && !user.isEmpty()) {
                String credentials = user + ":" + expand(item.path("password").asText(), lld);
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(String.valueOf(response.statusCode())).as(template + " " + url + " answered " + response.body())
                    .isEqualTo(item.path("status_codes").asText("200"));
            return response.body();
        }

        private void checkDependent(JsonNode item) {
            String key = item.get("key").asText();
            String body = bodies.get(item.get("master_item").get("key").asText());
            assertThat(body).as(template + " " + key + ": its master item").isNotNull();
            Object value = body;
            for (JsonNode step : item.path("preprocessing")) {
                String type = step.get("type").asText();
                assertThat(PREPROCESSING).as(template + " " + key).contains(type);
                if ("JSONPATH".equals(type)) {
                    value = jsonPath(value.toString(), expand(step.get("parameters").get(0).asText(), Map.of()));
                    assertThat(value).as(template + " " + key + " " + step).isNotNull();
                } else if ("MULTIPLIER".equals(type)) {
                    assertThat(step.get("parameters").get(0).asText()).matches("\\d+");
                }
            }
            assertValueOfType(item, String.valueOf(value), key);
        }

        /**
         * Zabbix's JSONPath, run by Jayway: Zabbix's {@code first()} takes the first match of the path before
         * it, where Jayway would apply it to each match; the test takes that first match itself.
         */
        private Object jsonPath(String json, String path) {
            if (path.endsWith(".first()")) {
                List<?> matches = JsonPath.read(json, path.substring(0, path.length() - ".first()".length()));
                return matches.isEmpty() ? null : matches.get(0);
            }
            return JsonPath.read(json, path);
        }

        /** Checks a discovery rule and every item it discovers; returns the rows found. */
        private int checkDiscovery(JsonNode rule, Set<String> discoveredKeys) throws Exception {
            String ruleKey = rule.get("key").asText();
            JsonNode data = ReadingJson.mapper().readTree(fetch(rule, Map.of())).get("data");
            assertThat(data).as(template + " " + ruleKey).isNotNull();
            for (JsonNode prototype : rule.get("item_prototypes")) {
                Set<String> used = matches(LLD_MACRO, prototype.toString());
                for (JsonNode row : data) {
                    Map<String, String> lld = new HashMap<>();
                    row.fields().forEachRemaining(f -> lld.put(f.getKey(), f.getValue().asText()));
                    assertThat(lld).as(template + " " + ruleKey + " row " + row).containsKeys(used.toArray(String[]::new));
                    String key = expand(prototype.get("key").asText(), lld);
                    assertThat(discoveredKeys.add(key)).as(template + ": key discovered twice " + key).isTrue();
                    assertThat(expand(prototype.get("delay").asText(), lld)).as(key).matches("[1-9]\\d*[smhdw]?");
                    assertValueOfType(prototype, fetch(prototype, lld), key);
                }
            }
            return data.size();
        }

        private void checkTrigger(JsonNode trigger) {
            Matcher m = ITEM_REFERENCE.matcher(trigger.get("expression").asText());
            int references = 0;
            while (m.find()) {
                references++;
                assertThat(itemTemplate.get(m.group(2))).as(template + ": trigger " + trigger.get("name") + " names " + m.group())
                        .isEqualTo(m.group(1));
            }
            assertThat(references).as(trigger.get("expression").asText()).isPositive();
        }

        private void assertValueOfType(JsonNode item, String value, String what) {
            switch (item.path("value_type").asText("UNSIGNED")) {
                case "UNSIGNED" -> assertThat(value).as(template + " " + what).matches("\\d+");
                case "FLOAT" -> assertThat(value).as(template + " " + what).matches("-?\\d+(\\.\\d+)?");
                default -> assertThat(value).as(template + " " + what).isNotNull();
            }
        }

        private String expand(String text, Map<String, String> lld) {
            String out = text;
            for (Map.Entry<String, String> macro : macros.entrySet()) {
                out = out.replace(macro.getKey(), macro.getValue());
            }
            for (Map.Entry<String, String> macro : lld.entrySet()) {
                out = out.replace(macro.getKey(), macro.getValue());
            }
            assertThat(out).as(template + ": a macro left in " + text).doesNotContain("{$").doesNotContain("{#");
            return out;
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new HashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
