package io.ticgateway.meter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticgateway.Corpus;
import org.junit.jupiter.api.Test;

class ReadingJsonTest {

    @Test
    void canonicalLayoutOfAStandardFrame() throws Exception {
        MeterReading reading = InterpreterCorpusTest.readings(Corpus.STANDARD_GOTELEINFO).get(0);
        JsonNode json = ReadingJson.mapper().readTree(ReadingJson.toJson(reading));
        assertThat(json.get("meter").asText()).isEqualTo("12345678900");
        assertThat(json.get("mode").asText()).isEqualTo("standard");
        assertThat(json.get("time").asText()).isEqualTo("2019-12-03T12:58:05+01:00");
        assertThat(json.get("receivedAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
        JsonNode east = json.get("groups").get("EAST");
        assertThat(east.get("raw").asText()).isEqualTo("017026175");
        assertThat(east.get("value").asLong()).isEqualTo(17026175L);
        assertThat(east.get("unit").asText()).isEqualTo("Wh");
        assertThat(json.get("groups").get("DATE").get("raw").asText()).isEmpty();
        assertThat(json.get("groups").get("SMAXSN-1").get("time").asText()).isEqualTo("2019-12-02T17:16:58+01:00");
        assertThat(json.get("groups").get("STGE").get("value").get("indexDistributeur").asInt()).isEqualTo(3);
        assertThat(json.get("groups").get("STGE").get("value").get("couleurJour").asText()).isEqualTo("NON_ANNONCE");
        assertThat(json.get("groups").get("LTARF").get("raw").asText()).isEqualTo(" HEURE  CREUSE  ");
        assertThat(json.has("periods")).isFalse();
    }

    @Test
    void pmePmiAddsThePeriodView() throws Exception {
        MeterReading reading = InterpreterCorpusTest.readings(Corpus.PMEPMI).get(1);
        JsonNode json = ReadingJson.mapper().readTree(ReadingJson.toJson(reading));
        assertThat(json.get("tariffPeriod").asText()).isEqualTo("HPE");
        assertThat(json.get("periods").get("HPE").get("EAP_s").get("value").asLong()).isEqualTo(9649L);
        assertThat(json.get("derived").get("EA_s_delta").get("value").asLong()).isEqualTo(18L);
        assertThat(json.get("groups").get("TGPHI_s").get("value").decimalValue()).isEqualByComparingTo("-0.39");
    }

    /** Compact: values only, by label, with the frame's meter, time and derived values. */
    @Test
    void compactLayoutKeepsTheValuesOnly() throws Exception {
        MeterReading reading = InterpreterCorpusTest.readings(Corpus.STANDARD_GOTELEINFO).get(0);
        String line = ReadingJson.toCompactJson(reading);
        JsonNode json = ReadingJson.mapper().readTree(line);
        assertThat(json.get("meter").asText()).isEqualTo("12345678900");
        assertThat(json.get("time").asText()).isEqualTo("2019-12-03T12:58:05+01:00");
        assertThat(json.get("sequence").asLong()).isEqualTo(reading.sequence());
        JsonNode values = json.get("values");
        assertThat(values.size()).isEqualTo(reading.groups().size());
        assertThat(values.get("EAST").asLong()).isEqualTo(17026175L);
        assertThat(values.get("LTARF").asText()).isEqualTo("HEURE  CREUSE");
        assertThat(values.get("STGE").get("indexDistributeur").asInt()).isEqualTo(3);
        assertThat(json.has("derived")).isFalse(); // the first frame: no power computed yet
        assertThat(line).doesNotContain("\"unit\"", "\"groups\"").hasSizeLessThan(ReadingJson.toJson(reading).length() / 2);
    }

    @Test
    void compactPmePmiKeepsItsDerivedValues() throws Exception {
        MeterReading reading = InterpreterCorpusTest.readings(Corpus.PMEPMI).get(1);
        JsonNode json = ReadingJson.mapper().readTree(ReadingJson.toCompactJson(reading));
        assertThat(json.get("values").get("TGPHI_s").decimalValue()).isEqualByComparingTo("-0.39");
        assertThat(json.get("derived").get("EA_s_delta").asLong()).isEqualTo(18L);
    }

    /** The streamed JSON is, byte for byte, the serialised canonical map, on every frame of every family. */
    @Test
    void streamedJsonIsTheCanonicalMapOnEveryFrame() throws Exception {
        int frames = 0;
        for (String capture : java.util.List.of(Corpus.STANDARD_GOTELEINFO, Corpus.STANDARD_LAINS, Corpus.HISTORIC_TEMPO,
                Corpus.HISTORIC_TRI_2023, Corpus.CBEMM_1, Corpus.PMEPMI)) {
            for (MeterReading reading : InterpreterCorpusTest.readings(capture)) {
                assertThat(ReadingJson.toJson(reading)).as(capture)
                        .isEqualTo(ReadingJson.mapper().writeValueAsString(ReadingJson.toMap(reading)));
                MeterReading flagged = reading.withClockUnsynchronised();
                assertThat(ReadingJson.toJson(flagged)).as(capture).contains("\"clockUnsynchronised\":true")
                        .isEqualTo(ReadingJson.mapper().writeValueAsString(ReadingJson.toMap(flagged)));
                frames++;
            }
        }
        assertThat(frames).isGreaterThan(50);
    }
}
