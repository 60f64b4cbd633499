package org.warden.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ScenarioParserTest {
    private static final String GOOD = """
            {"name": "t", "seed": 7, "jobs": 100,
             "groups": [{"name": "h", "count": 3, "behaviour": "honest"},
                        {"name": "o", "count": 2, "behaviour": "On-Off", "goodJobs": 4, "badJobs": 2}],
             "events": [{"type": "outage", "atJob": 10, "durationJobs": 5, "share": 0.5, "group": "h"}]}
            """;

    @Test
    void readsAndFillsInDefaults() {
        Scenario s = ScenarioParser.parse(GOOD);
        assertThat(s.name()).isEqualTo("t");
        assertThat(s.biddersPerJob()).isEqualTo(10);
        assertThat(s.verificationRate()).isEqualTo(0.2);
        assertThat(s.jobIntervalMs()).isEqualTo(1000);
        assertThat(s.groups().get(0).successProbability()).isEqualTo(0.95);
        assertThat(s.groups().get(1).behaviour()).isEqualTo(Behaviour.ON_OFF);
        assertThat(s.groups().get(1).goodJobs()).isEqualTo(4);
        assertThat(s.events().get(0).group()).isEqualTo("h");
        assertThat(s.workerCount()).isEqualTo(5);
    }

    @Test
    void everyShippedScenarioParses() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("scenarios"), "*.json")) {
            for (Path f : files) {
                Scenario s = ScenarioParser.parse(f);
                assertThat(f.getFileName().toString()).isEqualTo(s.name() + ".json");
                n++;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(11);
    }

    @Test
    void readsRangesDriftAndGroupFailure() {
        Scenario s = ScenarioParser.parse(GOOD.replace("\"behaviour\": \"honest\"}",
                "\"behaviour\": \"honest\", \"successProbability\": [0.8, 0.99]}")
                .replace("\"group\": \"h\"}]", "\"group\": \"h\"},"
                        + "{\"type\": \"drift\", \"atJob\": 20, \"group\": \"o\", \"successProbability\": 0.5},"
                        + "{\"type\": \"drift\", \"atJob\": 30, \"durationJobs\": 9, \"share\": 0.2, \"successProbability\": 1},"
                        + "{\"type\": \"group-failure\", \"atJob\": 40, \"group\": \"h\"}]"));
        Scenario.Group h = s.groups().get(0);
        assertThat(h.successProbability()).isEqualTo(0.8);
        assertThat(h.successProbabilityHigh()).isEqualTo(0.99);
        assertThat(h.successRange()).isTrue();
        assertThat(s.groups().get(1).successRange()).isFalse();
        Scenario.Event drift = s.events().get(1);
        assertThat(drift.type()).isEqualTo("drift");
        assertThat(drift.successProbability()).isEqualTo(0.5);
        assertThat(drift.share()).isEqualTo(1.0);
        assertThat(drift.ends()).isFalse();
        assertThat(drift.endJob()).isEqualTo(Integer.MAX_VALUE);
        assertThat(s.events().get(2).endJob()).isEqualTo(39);
        assertThat(s.events().get(2).share()).isEqualTo(0.2);
        assertThat(s.events().get(3).group()).isEqualTo("h");
        assertThat(s.events().get(3).label()).isEqualTo("group-failure(h)@40");
        assertThat(s.events().get(0).label()).isEqualTo("outage(h)@10+5");
    }

    private static String withEvent(String event) {
        return GOOD.replace("{\"type\": \"outage\", \"atJob\": 10, \"durationJobs\": 5, \"share\": 0.5, \"group\": \"h\"}",
                event);
    }

    private static String withProbability(String p) {
        return GOOD.replace("\"behaviour\": \"honest\"}", "\"behaviour\": \"honest\", \"successProbability\": " + p + "}");
    }

    @Test
    void refusesBadRangesNamingTheField() {
        refused(withProbability("[0.9, 0.8]"), "groups[0].successProbability range must have 0 <= lo <= hi <= 1, was [0.9,0.8]");
        refused(withProbability("[0.5, 1.2]"), "groups[0].successProbability range must have 0 <= lo <= hi <= 1");
        refused(withProbability("[-0.1, 0.5]"), "groups[0].successProbability range must have 0 <= lo <= hi <= 1");
        refused(withProbability("[0.5]"), "groups[0].successProbability must be a number or a range [lo, hi] of two numbers, was [0.5]");
        refused(withProbability("[0.5, \"high\"]"), "groups[0].successProbability must be a number or a range");
        refused(withProbability("\"high\""), "groups[0].successProbability must be a number, was \"high\"");
    }

    @Test
    void refusesBadEventsNamingTheField() {
        refused(withEvent("{\"type\": \"drift\", \"atJob\": 5, \"group\": \"h\"}"),
                "events[0].successProbability is required");
        refused(withEvent("{\"type\": \"drift\", \"atJob\": 5, \"successProbability\": [0.1, 0.2]}"),
                "events[0].successProbability must be a number");
        refused(withEvent("{\"type\": \"drift\", \"atJob\": 5, \"successProbability\": 1.5}"),
                "events[0].successProbability must be in [0.0, 1.0], was 1.5");
        refused(withEvent("{\"type\": \"drift\", \"atJob\": 5, \"durationJobs\": 0, \"successProbability\": 0.5}"),
                "events[0].durationJobs must be in [1, 100000000], was 0");
        refused(withEvent("{\"type\": \"drift\", \"atJob\": 5, \"share\": 0, \"successProbability\": 0.5}"),
                "events[0].share must be in (0, 1], was 0");
        refused(withEvent("{\"type\": \"group-failure\", \"atJob\": 5}"),
                "events[0].group is required for a group-failure");
        refused(withEvent("{\"type\": \"group-failure\", \"atJob\": 5, \"group\": \"h\", \"share\": 0.5}"),
                "events[0].share is not a field of an event of type group-failure");
        refused(withEvent("{\"type\": \"group-failure\", \"atJob\": 5, \"group\": \"nobody\"}"),
                "events[0].group 'nobody' names no group");
        refused(withEvent("{\"type\": \"outage\", \"atJob\": 5, \"share\": 0.5}"),
                "events[0].durationJobs is required");
        refused(withEvent("{\"type\": \"outage\", \"atJob\": 5, \"durationJobs\": 5, \"share\": 0.5, \"successProbability\": 0.5}"),
                "events[0].successProbability is not a field of an event of type outage");
        refused(withEvent("{\"type\": \"quake\", \"atJob\": 5}"),
                "events[0].type 'quake' is not one of: outage, drift, group-failure");
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> ScenarioParser.parse(json)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesBadFilesNamingTheField() {
        refused("{", "not valid JSON");
        refused("[]", "must be a JSON object");
        refused(GOOD.replace("\"seed\": 7,", ""), "seed is required");
        refused(GOOD.replace("\"jobs\": 100", "\"jobs\": \"many\""), "jobs must be an integer, was \"many\"");
        refused(GOOD.replace("\"count\": 3", "\"count\": -1"), "groups[0].count must be in [1, 1000000], was -1");
        refused(GOOD.replace("On-Off", "sneaky"), "groups[1].behaviour 'sneaky' is not one of: honest, flaky");
        refused(GOOD.replace("\"goodJobs\"", "\"goodjobs\""), "groups[1].goodjobs is not a known field");
        refused(GOOD.replace("\"share\": 0.5", "\"share\": 1.5"), "events[0].share must be in [0.0, 1.0], was 1.5");
        refused(GOOD.replace("\"group\": \"h\"", "\"group\": \"zz\""), "events[0].group 'zz' names no group");
        refused(GOOD.replace("\"name\": \"o\"", "\"name\": \"h\""), "groups[1].name 'h' is already used by groups[0]");
        refused(GOOD.replace("\"type\": \"outage\"", "\"type\": \"flood\""), "events[0].type 'flood'");
        refused("{\"name\":\"x\",\"seed\":1,\"jobs\":5,\"groups\":[]}", "groups is required");
    }

    @Test
    void namesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, GOOD.replace("\"verificationRate\"", "x").replace("\"jobs\": 100", "\"jobs\": 0"));
        assertThatThrownBy(() -> ScenarioParser.parse(f)).hasMessageStartingWith(f + ": jobs must be in [1, ");
    }
}
