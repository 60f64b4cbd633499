package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(json.get("results")).hasSize(3);
        assertThat(json.get("results").get(0).get("policy").asText()).isEqualTo("default");
        assertThat(json.get("results").get(0).get("successPerThousand")).hasSize(3);
        String svg = Files.readString(dir.resolve("mass-outage.svg"));
        assertThat(svg).startsWith("<svg").contains("<polyline", ">default</text>", ">oracle</text>").endsWith("</svg>\n");
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
