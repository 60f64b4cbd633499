package org.warden.policy.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.NetworkStatistics;
import org.warden.policy.testkit.TestStats;

/** Reputation, probation, health and selection against hand-computed values. */
class ReputationTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final double EPS = 1e-12;
    private final StrictPolicy policy = new StrictPolicy(StrictPolicySettings.DEFAULTS);

    @Test
    void aNewcomerIsNeutralAndJustEligible() {
        ScoreBreakdown r = policy.reputation(TestStats.newcomer(T0).build(), NetworkStatistics.EMPTY, T0);
        assertThat(r.score()).isEqualTo(0.5);
        assertThat(r.score()).isGreaterThanOrEqualTo(policy.eligibilityThreshold());
    }

    @Test
    void laplaceOverTheLastDay() {
        // (8 + 1) / (8 + 2 + 2) = 0.75; lifetime counts are ignored
        ScoreBreakdown r = policy.reputation(TestStats.newcomer(T0).jobs(500, 0, T0).day(8, 2).build(), T0);
        assertThat(r.score()).isCloseTo(0.75, within(EPS));
        assertThat(r.component("successRate")).isCloseTo(0.75, within(EPS));
        assertThat(r.component("streak")).isEqualTo(1.0);
    }

    @Test
    void aFailureStreakCostsUpToHalfAtTheEjectionThreshold() {
        // streak factor 1 − 0.5 × 2/5 = 0.8: 0.75 × 0.8 = 0.6
        TestStats two = TestStats.newcomer(T0).jobs(8, 2, T0).day(8, 2).consecutiveFailures(2).build();
        assertThat(policy.reputation(two, T0).score()).isCloseTo(0.6, within(EPS));
        // 5 and 7 failures both count as 5: factor 0.5
        TestStats five = TestStats.newcomer(T0).jobs(8, 5, T0).day(8, 5).consecutiveFailures(5).build();
        TestStats seven = TestStats.newcomer(T0).jobs(8, 7, T0).day(8, 5).consecutiveFailures(7).build();
        assertThat(policy.reputation(five, T0).component("streak")).isCloseTo(0.5, within(EPS));
        assertThat(policy.reputation(seven, T0).component("streak")).isCloseTo(0.5, within(EPS));
        // (8 + 1) / (13 + 2) × 0.5 = 0.3
        assertThat(policy.reputation(five, T0).score()).isCloseTo(0.3, within(EPS));
    }

    @Test
    void theStreakCostFadesWithIdleTime() {
        // 30 min idle = one base ejection time: factor 1 − 0.5 × e^−1 = 0.816060279...; rate 19/20
        TestStats w = TestStats.newcomer(T0).jobs(18, 5, T0).day(18, 0).consecutiveFailures(5).build();
        double factor = 1 - 0.5 * Math.exp(-1);
        ScoreBreakdown r = policy.reputation(w, T0.plusSeconds(1800));
        assertThat(r.component("streak")).isCloseTo(0.8160602794142788, within(EPS));
        assertThat(r.score()).isCloseTo(0.95 * factor, within(EPS));
    }

    @Test
    void probationCapsAOnceBannedWorkerUntilTenSuccessesInARow() {
        // rate (18 + 1) / (18 + 2) = 0.95
        TestStats.Builder w = TestStats.newcomer(T0).jobs(18, 0, T0).day(18, 0).banCount(1);
        assertThat(policy.reputation(w.consecutiveSuccesses(3).build(), T0).score()).isEqualTo(0.5);
        assertThat(policy.reputation(w.consecutiveSuccesses(3).build(), T0).component("probation")).isEqualTo(0.5);
        assertThat(policy.reputation(w.consecutiveSuccesses(9).build(), T0).score()).isEqualTo(0.5);
        assertThat(policy.reputation(w.consecutiveSuccesses(10).build(), T0).score()).isCloseTo(0.95, within(EPS));
        // never banned: no cap
        TestStats clean = TestStats.newcomer(T0).jobs(18, 0, T0).day(18, 0).consecutiveSuccesses(3).build();
        assertThat(policy.reputation(clean, T0).score()).isCloseTo(0.95, within(EPS));
        // probation disabled
        StrictPolicy none = Configs.policy(Map.of("probationJobs", 0));
        assertThat(none.reputation(w.consecutiveSuccesses(3).build(), T0).score()).isCloseTo(0.95, within(EPS));
        // a lower raw reputation stays as it is: 0.5 × ... below the cap
        TestStats poor = TestStats.newcomer(T0).jobs(2, 6, T0).day(2, 6).banCount(2).build();
        assertThat(policy.reputation(poor, T0).score()).isCloseTo(0.3, within(EPS)); // 3 / 10
    }

    @Test
    void probationDoesNotApplyDuringTheBanItself() {
        Ban ban = new Ban("worker-1", "ejected", true, T0, T0.plusSeconds(1800), null, null);
        TestStats w = TestStats.newcomer(T0).jobs(18, 0, T0).day(18, 0).currentBan(ban).build();
        assertThat(policy.reputation(w, T0).score()).isCloseTo(0.95, within(EPS));
    }

    @Test
    void aWorkerEjectedForItsStreakComesBackOnProbationAndEligible() {
        // ejected at 5 failures, 30 min later: 0.95 × 0.816 = 0.775, capped at 0.5 ≥ minReputation 0.5
        TestStats back = TestStats.newcomer(T0).jobs(18, 5, T0).day(18, 0).consecutiveFailures(5).banCount(1).build();
        double r = policy.reputation(back, T0.plusSeconds(1800)).score();
        assertThat(r).isEqualTo(0.5).isGreaterThanOrEqualTo(policy.eligibilityThreshold());
    }

    @Test
    void healthIsTheMeanHeadroomAndErrorTerm() {
        // (0.6 + 0.4 + 0.8 + 1/2) / 4 = 0.575
        HealthMetrics m = new HealthMetrics(100, 40, 60, 20, 10, null, null, null, 1);
        assertThat(policy.healthScore(m).score()).isCloseTo(0.575, within(EPS));
        assertThat(policy.healthScore(HealthMetrics.of(0, 0, 0, 0, 0)).score()).isEqualTo(1.0);
        assertThat(policy.healthyThreshold()).isEqualTo(0.5);
    }

    @Test
    void selectionWeighsReputationHealthBidAndTimeAgainstTheMedians() {
        AuctionContext auction = new AuctionContext(3, BigInteger.valueOf(50), BigInteger.valueOf(100), 500, 1000);
        // bid at the median: 1/2; twice the median time: 1/3
        ScoreBreakdown s = policy.selectionScore(Bid.of("w", 100, 2000), 0.8, 0.6, auction);
        assertThat(s.component("bid")).isCloseTo(0.5, within(EPS));
        assertThat(s.component("time")).isCloseTo(1.0 / 3, within(EPS));
        assertThat(s.score()).isCloseTo(0.5 * 0.8 + 0.2 * 0.6 + 0.2 * 0.5 + 0.1 / 3, within(EPS));
        // medians of 0 are taken as 1: an amount of 0 and an estimate of 0 score 1
        AuctionContext zeros = new AuctionContext(1, BigInteger.ZERO, BigInteger.ZERO, 0, 0);
        assertThat(policy.selectionScore(Bid.of("w", 0, 0), 1, 1, zeros).score()).isCloseTo(1.0, within(EPS));
    }
}
