package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.ScenarioParser;
import org.warden.simulator.model.SimWorker;

/** The figures against values computed by hand on a tiny run whose every job is dictated. */
class YardstickTest {
    private static final JobResult GOOD = new JobResult(false, true, true, 100);
    private static final JobResult INVALID = new JobResult(false, true, false, 100);
    private static final JobResult FAILED = new JobResult(false, false, false, 100);

    @Test
    void figuresOfADictatedRun() {
        Scenario s = ScenarioParser.parse("""
                {"name": "tiny", "seed": 1, "jobs": 20,
                 "groups": [{"name": "h", "count": 2, "behaviour": "honest"},
                            {"name": "bad", "count": 1, "behaviour": "malicious"}],
                 "events": [{"type": "outage", "atJob": 10, "durationJobs": 4, "share": 1.0, "group": "h"},
                            {"type": "drift", "atJob": 16, "group": "h", "successProbability": 0.9},
                            {"type": "drift", "atJob": 500, "group": "h", "successProbability": 0.9}]}
                """);
        Population pop = new Population(s);
        SimWorker h0 = pop.all().get(0);
        SimWorker h1 = pop.all().get(1);
        SimWorker bad = pop.all().get(2);
        Tally t = new Tally(s);
        for (int job = 0; job < 20; job++) {
            pop.advanceTo(job);
            if (job < 8) {
                t.outcome(job, h0, t.identity(h0), GOOD);
            } else if (job < 10) {
                t.outcome(job, bad, t.identity(bad), INVALID); // two jobs lost to an adversary
            } else if (job < 14) {
                t.unassigned(List.of(h0, bad), job); // h0 is down (outage): no honest bidder that was up
            } else if (job == 14) {
                t.unassigned(List.of(bad, h1), job); // h1 is up: an honest bidder left without the job
            } else if (job == 18) {
                t.outcome(job, h1, t.identity(h1), FAILED); // an honest failure, not a loss to adversaries
            } else {
                t.outcome(job, h0, t.identity(h0), GOOD);
            }
        }
        t.identity(bad).banned = true;
        t.identity(h1).banned = true;
        PolicyResult r = t.result("p", pop, id -> id.equals("bad-2"), 0);
        // good jobs: 0-7, 15, 16, 17, 19
        assertThat(r.successRate()).isEqualTo(12 / 20.0);
        assertThat(r.successFirstHalf()).isEqualTo(8 / 10.0);
        assertThat(r.successLast10()).isEqualTo(1 / 2.0); // jobs 18 and 19
        assertThat(r.successInEvents()).hasSize(3);
        assertThat(r.successInEvents().get(0)).isEqualTo(0.0); // the outage, jobs 10-13
        assertThat(r.successInEvents().get(1)).isEqualTo(3 / 4.0); // the drift for good: jobs 16-19
        assertThat(r.successInEvents().get(2)).isNaN(); // after the end of the run
        assertThat(r.unassigned()).isEqualTo(5);
        assertThat(r.unassignedWithHonestBidder()).isEqualTo(1);
        assertThat(r.lostToAdversaries()).isEqualTo(2);
        assertThat(r.lostShare()).isEqualTo(0.1);
        assertThat(r.badJobsBeforeBanMedian()).isEqualTo(2);
        assertThat(r.identitiesBanned()).isEqualTo(2);
        assertThat(r.adversariesBanned()).isEqualTo(1);
        assertThat(r.banPrecision()).isEqualTo(0.5);
        assertThat(r.honestBannedShare()).isEqualTo(0.5);
        assertThat(r.adversariesExcluded()).isEqualTo(1);
        assertThat(r.successPerThousand()).containsExactly(0.6);
        assertThat(r.gapClosed()).isNaN();

        PolicyResult judged = r.withYardstick(0.5, 0.9);
        assertThat(judged.gapClosed()).isCloseTo(0.25, within(1e-12)); // (0.6 - 0.5) / (0.9 - 0.5)
        assertThat(judged.shareOfOracle()).isCloseTo(0.6 / 0.9, within(1e-12));
        assertThat(r.withYardstick(0.9, 0.9).gapClosed()).isNaN(); // no gap to close
    }

    @Test
    void noBanMeansNoPrecision() {
        Scenario s = ScenarioParser.parse("""
                {"name": "tiny", "seed": 1, "jobs": 10, "groups": [{"name": "h", "count": 2, "behaviour": "honest"}]}
                """);
        Population pop = new Population(s);
        Tally t = new Tally(s);
        t.outcome(0, pop.all().get(0), t.identity(pop.all().get(0)), GOOD);
        PolicyResult r = t.result("p", pop, id -> false, 0);
        assertThat(r.banPrecision()).isNaN();
        assertThat(r.honestBannedShare()).isZero();
        assertThat(r.successRate()).isEqualTo(0.1);
        assertThat(r.successLast10()).isZero(); // job 9 only
        assertThat(r.successFirstHalf()).isEqualTo(0.2);
    }

    @Test
    void spreadsLeaveUndefinedValuesOut() {
        Spread s = Spread.of(0.2, Double.NaN, 0.4);
        assertThat(s.mean()).isCloseTo(0.3, within(1e-12));
        assertThat(s.min()).isEqualTo(0.2);
        assertThat(s.max()).isEqualTo(0.4);
        assertThat(s.defined()).isEqualTo(2);
        assertThat(Spread.of(Double.NaN).mean()).isNaN();
        assertThat(MarkdownReport.pct(Spread.of(Double.NaN))).isEqualTo("n/a");
        assertThat(MarkdownReport.pct(s)).isEqualTo("30.0 % (20.0–40.0)");
        assertThat(MarkdownReport.pct(Spread.of(0.951))).isEqualTo("95.1 %");
    }

    @Test
    void gapClosedIsComputedPerSeedThenAveraged() {
        Scenario s = SimulationTest.scenario("malicious-10pct.json", 3000);
        ExperimentResult x = Experiment.run(s, List.of(Strategy.BAYESIAN), List.of(1L, 2L, 3L), null, 2);
        double sum = 0;
        for (ExperimentResult.SeedRuns seed : x.runs()) {
            PolicyResult bayes = seed.results().get(0);
            PolicyResult random = seed.results().get(1);
            PolicyResult oracle = seed.results().get(2);
            assertThat(bayes.seed()).isEqualTo(seed.seed());
            assertThat(random.policy()).isEqualTo("random");
            assertThat(oracle.policy()).isEqualTo("oracle");
            double gap = (bayes.successRate() - random.successRate()) / (oracle.successRate() - random.successRate());
            assertThat(bayes.gapClosed()).isCloseTo(gap, within(1e-12));
            sum += gap;
        }
        PolicySummary b = x.summary(Strategy.BAYESIAN);
        assertThat(b.gapClosed().mean()).isCloseTo(sum / 3, within(1e-12));
        assertThat(b.seeds()).isEqualTo(3);
        assertThat(b.success().min()).isLessThanOrEqualTo(b.success().mean());
        assertThat(b.success().max()).isGreaterThanOrEqualTo(b.success().mean());
        assertThat(x.runs()).extracting(ExperimentResult.SeedRuns::seed).containsExactly(1L, 2L, 3L);
    }
}
