package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11's goals pinned on shortened runs of every shipped scenario (seeds 1, 2, 3; long enough to include each
 * scenario's first event), so that a change that worsens the default policy's judgement fails the build. The floors
 * of the gap closed are the figures measured on these runs less a margin of a few points, not the goals
 * where the default misses them (see simulator/README.md, "The default policy on every 50,000-job scenario"):
 * raise a floor when the policy gets better. Measured (mean over the seeds): baseline-honest 0.895, cheap bidders
 * 0.975, drift 0.757, heterogeneous-honest 0.603, instant whitewashers 0.795, malicious 0.927, mass outage 0.953,
 * on-off 0.247 (2.1 % of jobs lost: on-off attackers are recognised only after some attack rounds, which a
 * 10,000-job run barely holds; 84 % and 0.5 % over 50,000 jobs), operator failure 0.763, whitewashers 0.949.
 */
class GoalsTest {

    private static final List<Long> SEEDS = List.of(1L, 2L, 3L);

    @ParameterizedTest(name = "{0}: {1} jobs, gap closed >= {2}, lost <= {3}")
    @CsvSource({
            "baseline-honest.json,            10000, 0.85, 0.01",
            "cheap-bidders-and-spoofers.json, 10000, 0.95, 0.01",
            "drift.json,                      20000, 0.70, 0.01",
            "heterogeneous-honest.json,       10000, 0.55, 0.01",
            "instant-whitewashers.json,       10000, 0.74, 0.01",
            "malicious-10pct.json,            10000, 0.88, 0.01",
            "mass-outage.json,                15000, 0.90, 0.01",
            "on-off-attackers.json,           10000, 0.15, 0.03",
            "operator-failure.json,           20000, 0.71, 0.01",
            "whitewashers.json,               10000, 0.90, 0.01"})
    void theDefaultPolicyHoldsItsGround(String file, int jobs, double floor, double lostCeiling) {
        ExperimentResult x = Experiment.run(SimulationTest.scenario(file, jobs), List.of(Strategy.DEFAULT), SEEDS,
                null, 2);
        PolicySummary d = x.summary(Strategy.DEFAULT);
        assertThat(d.honestBannedShare().max()).as("honest workers banned, worst seed").isLessThanOrEqualTo(0.01);
        assertThat(d.lostShare().mean()).as("share of jobs lost to adversaries").isLessThanOrEqualTo(lostCeiling);
        assertThat(d.gapClosed().mean()).as("gap closed").isGreaterThanOrEqualTo(floor);
        // the goal is none; mass-outage leaves 2 of 45,000 jobs (seeds 1-3) without a bidder although an honest one bid
        assertThat(d.unassignedWithHonestBidder().mean()).as("unassigned with an honest bidder").isLessThanOrEqualTo(1);
    }
}
