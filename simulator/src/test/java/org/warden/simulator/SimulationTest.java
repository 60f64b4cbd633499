package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.ScenarioParser;

class SimulationTest {
    static Scenario scenario(String file, int jobs) {
        return ScenarioParser.parse(Path.of("scenarios", file)).withJobs(jobs);
    }

    private static PolicyResult timeless(PolicyResult r) {
        return new PolicyResult(r.policy(), r.jobs(), r.successRate(), r.shareOfOracle(), r.unassigned(),
                r.lostToAdversaries(), r.badJobsBeforeBanMedian(), r.badJobsBeforeBanMax(), r.adversariesBanned(),
                r.adversaryIdentities(), r.adversariesExcluded(), r.honestBannedShare(), r.honestNewcomerShare(),
                r.successPerThousand(), 0);
    }

    @Test
    void sameSeedGivesIdenticalResults() {
        Scenario s = scenario("whitewashers.json", 4000);
        List<Strategy> all = Strategy.ALL;
        List<PolicyResult> a = Simulation.runAll(s, all, 2).stream().map(SimulationTest::timeless).toList();
        List<PolicyResult> b = Simulation.runAll(s, all, 1).stream().map(SimulationTest::timeless).toList();
        assertThat(a).isEqualTo(b);
        assertThat(a).hasSize(6);
    }

    @Test
    void anotherSeedGivesOtherResults() {
        Scenario s = scenario("malicious-10pct.json", 3000);
        Scenario t = new Scenario(s.name(), s.description(), s.seed() + 1, s.jobs(), s.biddersPerJob(),
                s.verificationRate(), s.jobIntervalMs(), s.groups(), s.events());
        assertThat(timeless(Simulation.run(s, Strategy.RANDOM))).isNotEqualTo(timeless(Simulation.run(t, Strategy.RANDOM)));
    }

    @Test
    void maliciousWorkersAreBannedByBayesianAndStarvedByTheDefaultPolicy() {
        Scenario s = scenario("malicious-10pct.json", 10000);
        List<PolicyResult> r = Simulation.runAll(s, List.of(Strategy.DEFAULT, Strategy.BAYESIAN, Strategy.RANDOM), 2);
        PolicyResult def = r.get(0);
        PolicyResult bayes = r.get(1);
        PolicyResult random = r.get(2);
        // the Bayesian policy bans them; the default policy (seed settings) keeps them from jobs by reputation instead:
        // two malicious reports take a young worker below its 0.3 eligibility threshold, so the third report that
        // would ban it rarely comes (see README.md)
        assertThat(bayes.adversariesBanned()).isGreaterThanOrEqualTo(18);
        assertThat(bayes.badJobsBeforeBanMax()).isLessThan(40);
        assertThat(def.honestBannedShare()).isZero();
        assertThat(def.lostToAdversaries()).isLessThan(random.lostToAdversaries() / 5);
        assertThat(def.badJobsBeforeBanMax()).isLessThan(40);
    }

    @Test
    void theOracleBeatsEveryPolicyWhereItsKnowledgeIsDecisive() {
        Scenario s = scenario("cheap-bidders-and-spoofers.json", 6000);
        List<PolicyResult> r = Simulation.runAll(s, Strategy.ALL, 2);
        PolicyResult oracle = r.stream().filter(x -> x.policy().equals("oracle")).findFirst().orElseThrow();
        assertThat(oracle.shareOfOracle()).isEqualTo(1.0);
        assertThat(oracle.lostToAdversaries()).isZero();
        for (PolicyResult x : r) {
            assertThat(oracle.successRate()).as(x.policy()).isGreaterThanOrEqualTo(x.successRate());
        }
        // lowest bid falls for the cheap bidders every time one bids
        PolicyResult lowest = r.stream().filter(x -> x.policy().equals("lowest-bid")).findFirst().orElseThrow();
        PolicyResult random = r.stream().filter(x -> x.policy().equals("random")).findFirst().orElseThrow();
        assertThat(lowest.successRate()).isLessThan(random.successRate());
    }

    @Test
    void medianOfSortedCounts() {
        assertThat(Simulation.median(new long[] {})).isZero();
        assertThat(Simulation.median(new long[] {1, 2, 9})).isEqualTo(2);
        assertThat(Simulation.median(new long[] {1, 2, 4, 9})).isEqualTo(3);
    }
}
