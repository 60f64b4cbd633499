package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warden.api.whatif.WhatIfReport;
import org.warden.simulator.model.Scenario;

class WhatIfTest {
    @TempDir
    Path dir;

    private static Scenario shortened(String file) {
        return SimulationTest.scenario(file, 3000).withSeed(1);
    }

    /**
     * A simulated run replayed under the policy and settings it ran with is the run again: the baseline matches the
     * live engine for every worker, the candidate (the same policy) moves no reputation, bans and judges as it did,
     * and ranks every recorded auction's top choice as recorded.
     */
    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = { "DEFAULT", "STRICT", "BAYESIAN" })
    void replayUnderTheSamePolicyReproducesTheLiveRun(Strategy policy) {
        Simulation.Recording run = Simulation.record(shortened("malicious-10pct.json"), policy);
        WhatIfReport r = WhatIf.replay(run, policy, policy);

        assertThat(r.historyComplete()).isTrue();
        assertThat(r.entriesReplayed()).isEqualTo(run.history().size());
        assertThat(r.baselineMismatches()).isZero();
        assertThat(r.workers()).isEqualTo(run.engine().book().workerIds().size());
        assertThat(r.reputationShift().count()).isEqualTo(r.workers());
        assertThat(r.reputationShift().min()).isZero();
        assertThat(r.reputationShift().max()).isZero();
        for (WhatIfReport.ReputationMove m : r.largestMovers()) {
            assertThat(m.live()).as(m.workerId())
                    .isEqualTo(run.engine().reputation(m.workerId()).orElseThrow().score());
            assertThat(m.candidate()).as(m.workerId()).isEqualTo(m.live());
        }
        assertThat(r.bansAdded()).isEmpty();
        assertThat(r.bansRemoved()).isEmpty();
        assertThat(r.eligibilityChanges()).isEmpty();
        // one auction per job, each ranked again to the same top choice
        assertThat(r.auctions().recorded()).isEqualTo(3000);
        assertThat(r.auctions().topChoiceDiffers()).isZero();
        assertThat(r.auctions().noEligibleBidder()).isEqualTo(r.auctions().noEligibleRecorded());
    }

    @Test
    void strictReplayedOverTheDefaultRunBansAdversariesOnly() throws Exception {
        List<WhatIf.Row> rows = WhatIf.seed(shortened("malicious-10pct.json"), Strategy.DEFAULT,
                List.of(Strategy.STRICT));
        assertThat(rows).hasSize(1);
        WhatIf.Row strict = rows.get(0);
        assertThat(strict.candidate()).isEqualTo("strict");
        // seed 1, 3000 jobs: strict bans 16 of the 20 malicious workers that default has not banned (yet), no honest one
        assertThat(strict.bansAdded()).isEqualTo(16);
        assertThat(strict.addedAdversaries()).isEqualTo(16);
        assertThat(strict.addedHonest()).isZero();
        assertThat(strict.baselineMismatches()).isZero();
        assertThat(strict.topChoiceDiffersShare()).isGreaterThan(0);
    }

    @Test
    void adversariesAreKnownUnderEveryIdentityTheyTake() {
        Simulation.Recording run = Simulation.record(SimulationTest.scenario("whitewashers.json", 5000).withSeed(1),
                Strategy.STRICT);
        List<String> ids = run.engine().book().workerIds();
        // whitewashers (group "ww") came back under new ids after their bans
        assertThat(ids).anyMatch(id -> id.startsWith("ww-") && id.contains("-r"));
        for (String id : ids) {
            assertThat(run.adversarial(id)).as(id).isEqualTo(id.startsWith("ww-"));
        }
    }

    @Test
    void mainPrintsTheWhatIfTableAndWritesItUnderTheJsonsWhatifKey() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] { "scenarios/malicious-10pct.json", "--policies", "default,strict",
            "--jobs", "3000", "--seeds", "1", "--whatif", "--out", dir.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("what-if on malicious-10pct (3,000 jobs): recorded under default",
                "| 1 | strict | ", " | 16 (0 / 16) | 0 (0 / 0) | ");
        JsonNode w = new ObjectMapper().readTree(dir.resolve("malicious-10pct.json").toFile()).get("whatif");
        assertThat(w.get("recorded").asText()).isEqualTo("default");
        assertThat(w.get("rows")).hasSize(1);
        JsonNode row = w.get("rows").get(0);
        assertThat(row.get("candidate").asText()).isEqualTo("strict");
        assertThat(row.get("addedAdversaries").asInt()).isEqualTo(16);
        assertThat(row.get("baselineMismatches").asLong()).isZero();
        assertThat(row.get("auctions").asLong()).isEqualTo(3000);
    }

    @Test
    void whatIfRefusesBaselinesAndASinglePolicy() {
        assertThatThrownBy(() -> WhatIf.check(List.of(Strategy.DEFAULT, Strategy.RANDOM)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("random is a baseline");
        assertThatThrownBy(() -> WhatIf.check(List.of(Strategy.STRICT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two policies or more");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] { "scenarios/malicious-10pct.json", "--policies", "oracle,default",
            "--whatif" }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("oracle is a baseline");
    }
}
