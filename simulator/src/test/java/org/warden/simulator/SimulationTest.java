package org.warden.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.engine.core.EngineSettings;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.ScenarioParser;

class SimulationTest {
    static Scenario scenario(String file, int jobs) {
        return ScenarioParser.parse(Path.of("scenarios", file)).withJobs(jobs);
    }

    /** The figures without the wall-clock time, which differs from run to run. */
    static PolicyResult timeless(PolicyResult r) {
        return new PolicyResult(r.policy(), r.seed(), r.jobs(), r.successRate(), r.gapClosed(), r.shareOfOracle(),
                r.successFirstHalf(), r.successLast10(), r.successInEvents(), r.unassigned(),
                r.unassignedWithHonestBidder(), r.lostToAdversaries(), r.lostShare(), r.badJobsBeforeBanMedian(),
                r.badJobsBeforeBanMax(), r.adversariesBanned(), r.adversaryIdentities(), r.adversariesExcluded(),
                r.identitiesBanned(), r.banPrecision(), r.honestBannedShare(), r.honestNewcomerShare(),
                r.successPerThousand(), 0);
    }

    private static List<PolicyResult> timeless(ExperimentResult x) {
        return x.runs().stream().flatMap(s -> s.results().stream()).map(SimulationTest::timeless).toList();
    }

    @Test
    void sameSeedGivesIdenticalResultsWhateverTheThreads() {
        Scenario s = scenario("whitewashers.json", 4000);
        List<PolicyResult> a = timeless(Experiment.run(s, Strategy.ALL, List.of(4L, 9L), null, 2));
        List<PolicyResult> b = timeless(Experiment.run(s, Strategy.ALL, List.of(4L, 9L), null, 1));
        assertThat(a).isEqualTo(b).hasSize(12);
        // and the two seeds differ
        assertThat(a.get(0).successRate()).isNotEqualTo(a.get(6).successRate());
    }

    @Test
    void theEngineRunsOnTheDefaultSettingsButForANetworkHealthMaxAgeOfOneHealthIntervalAndNoWallClockCallBudget() {
        EngineSettings d = EngineSettings.DEFAULTS;
        assertThat(Simulation.SETTINGS.networkHealthMaxAge()).isEqualTo(Duration.ofSeconds(60))
                .isEqualTo(d.healthCheckInterval());
        assertThat(Simulation.SETTINGS).isEqualTo(new EngineSettings(d.healthCheckInterval(),
                d.activityWindowIntervals(), Duration.ofSeconds(60), d.penaltyHistorySize(), d.banHistorySize(),
                d.faultLogInterval(), d.networkMinVolume(), Duration.ofMinutes(10), d.slowPolicyCooldown(),
                d.banBudgetShare(), d.banBudgetWindow(), d.eligibleBeforeRestore()));
    }

    @Test
    void anotherSeedGivesOtherResults() {
        Scenario s = scenario("malicious-10pct.json", 3000);
        assertThat(timeless(Simulation.run(s, Strategy.RANDOM)))
                .isNotEqualTo(timeless(Simulation.run(s.withSeed(s.seed() + 1), Strategy.RANDOM)));
    }

    @Test
    void maliciousWorkersAreBannedByBayesian() {
        Scenario s = scenario("malicious-10pct.json", 10000);
        ExperimentResult x = Experiment.run(s, List.of(Strategy.BAYESIAN, Strategy.RANDOM), null, null, 2);
        PolicyResult bayes = x.runs().get(0).results().get(0);
        PolicyResult random = x.runs().get(0).results().get(1);
        assertThat(bayes.policy()).isEqualTo("bayesian");
        // the bayesian policy now suspends a failing worker before its record bans it: 17 of 20 reach the ban on this seed
        assertThat(bayes.adversariesBanned()).isGreaterThanOrEqualTo(17);
        assertThat(bayes.badJobsBeforeBanMax()).isLessThan(40);
        assertThat(bayes.lostToAdversaries()).isLessThan(random.lostToAdversaries() / 5);
        assertThat(random.identitiesBanned()).isZero();
        assertThat(random.banPrecision()).isNaN();
    }

    @Test
    void theOracleBeatsEveryPolicyWhereItsKnowledgeIsDecisive() {
        Scenario s = scenario("cheap-bidders-and-spoofers.json", 6000);
        ExperimentResult x = Experiment.run(s, Strategy.ALL, null, null, 2);
        PolicySummary oracle = x.summary(Strategy.ORACLE);
        assertThat(oracle.shareOfOracle().mean()).isEqualTo(1.0);
        assertThat(oracle.gapClosed().mean()).isEqualTo(1.0);
        assertThat(x.summary(Strategy.RANDOM).gapClosed().mean()).isZero();
        assertThat(oracle.lostToAdversaries().mean()).isZero();
        for (PolicySummary p : x.summaries()) {
            assertThat(oracle.success().mean()).as(p.policy()).isGreaterThanOrEqualTo(p.success().mean());
        }
        // lowest bid falls for the cheap bidders every time one bids: below random, a negative gap closed
        assertThat(x.summary(Strategy.LOWEST_BID).gapClosed().mean()).isNegative();
    }

    @Test
    void randomAndOracleAreAlwaysRunButOnlyTheRequestedAreShown() {
        ExperimentResult x = Experiment.run(scenario("mass-outage.json", 2000), List.of(Strategy.BAYESIAN), null,
                null, 2);
        assertThat(x.summaries()).extracting(PolicySummary::policy).containsExactly("bayesian", "random", "oracle");
        assertThat(x.requestedSummaries()).extracting(PolicySummary::policy).containsExactly("bayesian");
        assertThat(x.seeds()).containsExactly(6L); // the file's seed
    }

    @Test
    void instantWhitewashersComeBackUnderNewIdsInARun() {
        Scenario s = scenario("instant-whitewashers.json", 6000);
        ExperimentResult x = Experiment.run(s, List.of(Strategy.BAYESIAN), null, null, 2);
        PolicySummary bayes = x.summary(Strategy.BAYESIAN);
        // 20 whitewashers at the start; each ban brings a new identity for the very next job
        assertThat(bayes.adversariesBanned().mean()).isGreaterThan(20);
        assertThat(bayes.adversaryIdentities().mean()).isGreaterThan(20);
        // the random baseline bans no one, so no whitewasher ever changes its id
        assertThat(x.summary(Strategy.RANDOM).adversaryIdentities().mean()).isEqualTo(20);
    }

    @Test
    void aGroupFailureIsOnlyOnHonestShouldersAndTheOracleSeesIt() {
        Scenario s = scenario("operator-failure.json", 20000);
        ExperimentResult x = Experiment.run(s, List.of(Strategy.RANDOM), null, null, 2);
        PolicySummary random = x.summary(Strategy.RANDOM);
        PolicySummary oracle = x.summary(Strategy.ORACLE);
        // operator-b is ~17 % of the bidders: random loses about that share of the window, the oracle nearly none
        double inWindowRandom = random.successInEvents().get(0).mean();
        assertThat(inWindowRandom).isLessThan(random.successFirstHalf().mean() - 0.10);
        assertThat(oracle.successInEvents().get(0).mean()).isGreaterThan(0.9);
        // the failing machines are honest: only the malicious group's jobs count as lost to adversaries
        assertThat(random.lostShare().mean()).isLessThan(0.06);
    }

    @Test
    void medianOfSortedCounts() {
        assertThat(Tally.median(new long[] {})).isZero();
        assertThat(Tally.median(new long[] {1, 2, 9})).isEqualTo(2);
        assertThat(Tally.median(new long[] {1, 2, 4, 9})).isEqualTo(3);
    }
}
