package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheTableTheJsonAndTheSvg() throws Exception {
        int status = run("scenarios/mass-outage.json", "--policies", "default,random,oracle", "--jobs", "2500",
                "--out", dir.toString());
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("### mass-outage (2,500 jobs", "| default |", "| random |", "| oracle |");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("mass-outage.json").toFile());
        assertThat(json.get("scenario").asText()).isEqualTo("mass-outage");
        assertThat(json.get("summaries")).hasSize(3);
        assertThat(json.get("summaries").get(0).get("policy").asText()).isEqualTo("default");
        assertThat(json.get("runs").get(0).get("results").get(0).get("successPerThousand")).hasSize(3);
        assertThat(json.get("seeds")).hasSize(1);
        String svg = Files.readString(dir.resolve("mass-outage.svg"));
        assertThat(svg).startsWith("<svg").contains("<polyline", ">default</text>", ">oracle</text>").endsWith("</svg>\n");
    }

    @Test
    void runsEachScenarioOnEachSeedAndReportsMeanAndRange() throws Exception {
        int status = run("scenarios/operator-failure.json", "--policies", "bayesian,lowest-bid", "--jobs", "3000",
                "--seeds", "1,2,3", "--threads", "2", "--out", dir.toString());
        assertThat(status).as(err.toString()).isZero();
        String table = out.toString();
        assertThat(table).contains("### operator-failure (3,000 jobs, 210 workers, seeds 1, 2, 3)",
                "Cells: mean over the seeds (min–max)", "| gap closed |", "in group-failure(operator-b)@15000+3000",
                "| bayesian |", "| lowest-bid |", "Yardstick: random ");
        assertThat(table).doesNotContain("| oracle |"); // run for the yardstick, not asked for
        JsonNode json = new ObjectMapper().readTree(dir.resolve("operator-failure.json").toFile());
        assertThat(json.get("seeds")).hasSize(3);
        assertThat(json.get("runs")).hasSize(3);
        assertThat(json.get("runs").get(2).get("seed").asLong()).isEqualTo(3);
        JsonNode perSeed = json.get("runs").get(0).get("results");
        assertThat(perSeed).extracting(n -> n.get("policy").asText())
                .containsExactly("bayesian", "lowest-bid", "random", "oracle");
        assertThat(perSeed.get(3).get("gapClosed").asDouble()).isEqualTo(1.0);
        // the event starts after the shortened run: its window is undefined, written as null
        assertThat(perSeed.get(0).get("successInEvents").get(0).isNull()).isTrue();
        JsonNode summary = json.get("summaries").get(0);
        assertThat(summary.get("policy").asText()).isEqualTo("bayesian");
        double mean = 0;
        for (JsonNode seed : json.get("runs")) {
            mean += seed.get("results").get(0).get("gapClosed").asDouble() / 3;
        }
        assertThat(summary.get("gapClosed").get("mean").asDouble()).isCloseTo(mean, within(1e-9));
        assertThat(summary.get("gapClosed").get("min").asDouble())
                .isLessThanOrEqualTo(summary.get("gapClosed").get("max").asDouble());
    }

    @Test
    void refusesBadSeeds() {
        assertThat(run("scenarios/mass-outage.json", "--seeds", "1,x")).isEqualTo(2);
        assertThat(err.toString()).contains("--seeds must be integers separated by commas, was '1,x'");
        assertThat(run("scenarios/mass-outage.json", "--seeds", "4,4")).isEqualTo(2);
        assertThat(err.toString()).contains("--seeds names seed 4 twice");
    }

    @Test
    void refusesUnknownPoliciesAndBadScenarios() throws Exception {
        assertThat(run("scenarios/mass-outage.json", "--policies", "default,best")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown policy 'best'");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\":\"x\",\"seed\":1,\"jobs\":10,\"groups\":[{\"name\":\"a\",\"count\":0,"
                + "\"behaviour\":\"honest\"}]}");
        assertThat(run(bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.json: groups[0].count must be in [1, 1000000], was 0");
        assertThat(run()).isEqualTo(2);
    }
}
