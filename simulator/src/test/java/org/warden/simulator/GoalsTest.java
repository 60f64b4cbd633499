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
 * raise a floor when the policy gets better. Measured (mean over the seeds) with the failure weights 16/20, the
 * success cap 1, the failure floor 0.4, the last hour's failure rate counted when worse than the month's and
 * probation (java -jar simulator.jar X.json --seeds 1,2,3 --jobs N --policies default): baseline-honest 0.890, cheap
 * bidders 0.976, drift 0.814, heterogeneous-honest 0.674, instant whitewashers 0.829, malicious 0.921, mass outage
 * 0.966, on-off 0.548 (seeds 0.49 to 0.66: on-off attackers are recognised only after some attack rounds, which a
 * 10,000-job run barely holds; 91.6 % and 0.34 % lost over 50,000 jobs), operator failure 0.819, whitewashers
 * 0.944; none unassigned with an honest bidder on any.
 */
class GoalsTest {

    private static final List<Long> SEEDS = List.of(1L, 2L, 3L);

    @ParameterizedTest(name = "{0}: {1} jobs, gap closed >= {2}, lost <= {3}, none unassigned with an honest bidder")
    @CsvSource({
            "baseline-honest.json,            10000, 0.85, 0.01",
            "cheap-bidders-and-spoofers.json, 10000, 0.95, 0.01",
            "drift.json,                      20000, 0.79, 0.01",
            "heterogeneous-honest.json,       10000, 0.64, 0.01",
            "instant-whitewashers.json,       10000, 0.78, 0.01",
            "malicious-10pct.json,            10000, 0.90, 0.01",
            "mass-outage.json,                15000, 0.92, 0.01",
            "on-off-attackers.json,           10000, 0.51, 0.03",
            "operator-failure.json,           20000, 0.78, 0.01",
            "whitewashers.json,               10000, 0.92, 0.01"})
    void theDefaultPolicyHoldsItsGround(String file, int jobs, double floor, double lostCeiling) {
        ExperimentResult x = Experiment.run(SimulationTest.scenario(file, jobs), List.of(Strategy.DEFAULT), SEEDS,
                null, 2);
        PolicySummary d = x.summary(Strategy.DEFAULT);
        assertThat(d.honestBannedShare().max()).as("honest workers banned, worst seed").isLessThanOrEqualTo(0.01);
        assertThat(d.lostShare().mean()).as("share of jobs lost to adversaries").isLessThanOrEqualTo(lostCeiling);
        assertThat(d.gapClosed().mean()).as("gap closed").isGreaterThanOrEqualTo(floor);
        // The goal is none: a worker that failures alone keep out is let back on probation (ranked under every other
        // bidder) once its failures have faded, so a job whose honest bidders all failed lately still finds one.
        assertThat(d.unassignedWithHonestBidder().mean()).as("unassigned with an honest bidder").isZero();
    }
}
