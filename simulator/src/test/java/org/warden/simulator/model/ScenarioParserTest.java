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
        assertThat(n).isGreaterThanOrEqualTo(6);
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
