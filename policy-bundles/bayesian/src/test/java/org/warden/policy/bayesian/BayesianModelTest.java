package org.warden.policy.bayesian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.BanDecision;
import org.warden.policy.testkit.TestStats;

/** The model against hand-computed values, with the default settings unless said otherwise. */
class BayesianModelTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final BayesianPolicy policy = new BayesianPolicy(BayesianPolicySettings.DEFAULTS);

    private static TestStats worker(long completed, long failed) {
        return TestStats.newcomer(T0).jobs(completed, failed, T0).build();
    }

    @Test
    void posteriorOfTwoSuccesses() {
        // prior Beta(1, 1) + 2 successes: α = 3, β = 1
        // mean = 3/4 = 0.75; Beta(3, 1) has CDF x³, so the bound is (1 − Φ(1.645))^(1/3) = 0.0499849^(1/3) = 0.368366
        // (the normal approximation said 0.431447: too optimistic for a skewed posterior)
        BayesianPolicy.Posterior p = policy.posterior(2, 0);
        assertThat(p.alpha()).isEqualTo(3);
        assertThat(p.beta()).isEqualTo(1);
        assertThat(p.mean()).isEqualTo(0.75);
        assertThat(p.lowerBound()).isCloseTo(0.368366, within(1e-6));
    }

    @Test
    void posteriorOfAThousandSuccesses() {
        // α = 1001, β = 1: mean = 1001/1002 = 0.999002; bound = 0.0499849^(1/1001) = 0.997011
        BayesianPolicy.Posterior p = policy.posterior(1000, 0);
        assertThat(p.mean()).isCloseTo(0.999002, within(1e-6));
        assertThat(p.lowerBound()).isCloseTo(0.997011, within(1e-6));
    }

    @Test
    void thePriorAloneHasALowBoundAndTheBoundIsClamped() {
        // Beta(1, 1) is uniform: the bound is the tail itself, 0.049985
        assertThat(policy.posterior(0, 0).lowerBound()).isCloseTo(0.049985, within(1e-6));
        // Beta(1, 11): CDF 1 − (1 − x)^11, bound 1 − 0.9500151^(1/11) = 0.004651, above 0 without clamping
        // (the normal approximation went below 0 and had to be clamped)
        assertThat(policy.posterior(0, 10).lowerBound()).isCloseTo(0.004651, within(1e-6));
        // z = 0: the bound is the median, for Beta(3, 1) 0.5^(1/3) = 0.793701
        BayesianPolicy median = Configs.policy(Map.of("confidenceZ", 0.0));
        assertThat(median.posterior(2, 0).lowerBound()).isCloseTo(0.793701, within(1e-6));
    }

    @Test
    void thePriorIsConfigurable() {
        // Beta(2, 3) prior + 2 successes, 1 failure: α = 4, β = 4: mean 0.5, 5 % quantile 0.225301
        BayesianPolicy p = Configs.policy(Map.of("priorAlpha", 2.0, "priorBeta", 3.0));
        assertThat(p.posterior(2, 1).mean()).isEqualTo(0.5);
        assertThat(p.posterior(2, 1).lowerBound()).isCloseTo(0.225301, within(1e-6));
    }

    @Test
    void aNewcomerWithTwoLuckyJobsRanksBelowAVeteranWithAThousandGoodOnes() {
        ScoreBreakdown newcomer = policy.reputation(worker(2, 0), T0);
        ScoreBreakdown veteran = policy.reputation(worker(1000, 0), T0);
        // the newcomer's bound 0.431 is lifted to the suspension threshold 0.6 so it stays eligible
        assertThat(newcomer.score()).isEqualTo(0.6);
        assertThat(newcomer.component("lowerBound")).isCloseTo(0.368366, within(1e-6));
        assertThat(newcomer.component("posteriorMean")).isEqualTo(0.75);
        assertThat(newcomer.component("vetted")).isZero();
        assertThat(veteran.score()).isCloseTo(0.997011, within(1e-6));
        assertThat(veteran.component("alpha")).isEqualTo(1001);
        assertThat(veteran.component("beta")).isEqualTo(1);
        assertThat(veteran.component("vetted")).isEqualTo(1);
        assertThat(newcomer.score()).isLessThan(veteran.score());
        // without the floor as well: the bound, not the mean (0.75 vs 0.999), is what keeps them apart
        assertThat(newcomer.component("lowerBound")).isLessThan(veteran.component("lowerBound"));
    }

    @Test
    void aNewcomerWithAPerfectRecordButFewJobsStillRanksBelowTheVeteran() {
        // 19 successes: α = 20, β = 1, mean 0.952, bound 0.0499849^(1/20) = 0.860879, below the veteran's 0.997011
        assertThat(policy.reputation(worker(19, 0), T0).score()).isCloseTo(0.860879, within(1e-6))
                .isLessThan(policy.reputation(worker(1000, 0), T0).score());
    }

    @Test
    void vettingBoundary() {
        // 19 judged jobs: new; 20: vetted
        assertThat(policy.isNew(worker(15, 4))).isTrue();
        assertThat(policy.isNew(worker(16, 4))).isFalse();
        // 10 successes, 9 failures: α = 11, β = 10: mean 0.5238, bound well below 0.6, lifted while new
        assertThat(policy.reputation(worker(10, 9), T0).score()).isEqualTo(0.6);
        // one more failure: vetted, its own bound (α = 11, β = 11: 5 % quantile 0.328094)
        assertThat(policy.reputation(worker(10, 10), T0).score()).isCloseTo(0.328094, within(1e-6))
                .isLessThan(policy.eligibilityThreshold());
    }

    @Test
    void aVettedWorkerWhoseEvidenceFadedIsVettedAgain() {
        // 500 jobs in its lifetime, but only 5 left in the decayed counts (3 successes, 2 failures: α = 4, β = 3,
        // bound 0.5714 − 1.645·0.1750 = 0.2835): re-vetting, lifted to 0.6 instead of suspended for good
        TestStats idle = TestStats.newcomer(T0).jobs(480, 20, T0).decayed(3, 2).build();
        assertThat(policy.isNew(idle)).isTrue();
        assertThat(policy.reputation(idle, T0).score()).isEqualTo(0.6);
        // 25 jobs of evidence left: vetted, judged by its bound
        TestStats active = TestStats.newcomer(T0).jobs(480, 20, T0).decayed(24, 1).build();
        assertThat(policy.isNew(active)).isFalse();
    }

    @Test
    void vettingJobsZeroMeansEveryoneIsVetted() {
        BayesianPolicy noVetting = Configs.policy(Map.of("vettingJobs", 0));
        assertThat(noVetting.isNew(worker(0, 0))).isFalse();
        assertThat(noVetting.reputation(worker(0, 0), T0).score()).isCloseTo(0.049985, within(1e-6));
    }

    @Test
    void suspensionIsTheEligibilityThresholdForVettedWorkers() {
        assertThat(policy.eligibilityThreshold()).isEqualTo(0.6);
        // 30 successes, 10 failures: α = 31, β = 11, mean 0.738095, 5 % quantile 0.621483: eligible
        assertThat(policy.reputation(worker(30, 10), T0).score()).isCloseTo(0.621483, within(1e-6))
                .isGreaterThanOrEqualTo(0.6);
        // 25 successes, 15 failures: α = 26, β = 16, mean 0.619048 but bound 0.493864 < 0.6: suspended
        assertThat(policy.reputation(worker(25, 15), T0).score()).isLessThan(0.6);
        // ... but not banned: its mean is far above the ban threshold, and it has fewer than 50 jobs anyway
        assertThat(policy.autoBan(worker(25, 15), T0)).isEmpty();
    }

    @Test
    void banNeedsALowMeanAndEnoughJobs() {
        // 49 jobs, 9 successes: α = 10, β = 41, mean 0.196 < 0.3, but fewer than 50 judged jobs: no ban
        assertThat(policy.autoBan(worker(9, 40), T0)).isEmpty();
        // 50 jobs, 10 successes: α = 11, β = 41, mean 11/52 = 0.211538 < 0.3: banned without end
        assertThat(policy.autoBan(worker(10, 40), T0)).hasValueSatisfying(d -> {
            assertThat(d.duration()).isNull();
            assertThat(d.reason()).contains("0.2115").contains("50 judged jobs");
        });
        // 50 jobs, 15 successes: α = 16, β = 36, mean 0.307692 >= 0.3: suspended (bound 0.20) but not banned
        assertThat(policy.autoBan(worker(15, 35), T0)).isEmpty();
        assertThat(policy.reputation(worker(15, 35), T0).score()).isLessThan(policy.eligibilityThreshold());
    }

    @Test
    void banOnMaliciousReportsAndItsDuration() {
        TestStats reported = TestStats.newcomer(T0).jobs(100, 0, T0).maliciousReports(1).build();
        assertThat(policy.autoBan(reported, T0)).map(BanDecision::reason).hasValueSatisfying(
                r -> assertThat(r).contains("malicious"));
        BayesianPolicy timed = Configs.policy(Map.of("banMaliciousReports", 2, "banDurationHours", 24L));
        assertThat(timed.autoBan(reported, T0)).isEmpty();
        TestStats twice = TestStats.newcomer(T0).jobs(100, 0, T0).maliciousReports(2).build();
        assertThat(timed.autoBan(twice, T0)).map(BanDecision::duration).contains(Duration.ofHours(24));
        BayesianPolicy never = Configs.policy(Map.of("banMaliciousReports", 0));
        assertThat(never.autoBan(twice, T0)).isEmpty();
    }

    @Test
    void noBanWhileBanned() {
        TestStats banned = TestStats.newcomer(T0).jobs(10, 40, T0).maliciousReports(3)
                .currentBan(new Ban("worker-1", "manual", false, T0, null, null, null)).build();
        assertThat(policy.autoBan(banned, T0)).isEmpty();
    }

    @Test
    void defaultSeverities() {
        assertThat(policy.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(policy.defaultSeverity(PenaltyType.MALICIOUS_BEHAVIOR)).isEqualTo(1.0);
        assertThat(policy.defaultSeverity(PenaltyType.BAN)).isEqualTo(1.0);
        assertThat(policy.defaultSeverity(PenaltyType.JOB_FAILURE)).isEqualTo(0.5);
        assertThat(policy.defaultSeverity(PenaltyType.SPAM)).isEqualTo(0.5);
    }

    @Test
    void healthScore() {
        // cpu 65 % → 0.35, memory 70 % → 0.30, disk 40 % → 0.60, 3 errors → 0.25: mean 0.375
        ScoreBreakdown s = policy.healthScore(new HealthMetrics(150, 65, 70, 40, 50, null, null, null, 3));
        assertThat(s.score()).isCloseTo(0.375, within(1e-12));
        assertThat(s.component("errors")).isEqualTo(0.25);
        assertThat(policy.healthyThreshold()).isEqualTo(0.5);
    }

    @Test
    void theFailureTestSuspendsFailingWorkersVettedOrNot() {
        // H0 0.85, H1 0.35: a success weighs ln(0.35/0.85) = -0.887303, a failure ln(0.65/0.15) = 1.466337;
        // bound ln(1000) = 6.907755: 5 failures (7.331685) suspend a newcomer, 4 (5.865348) do not
        FailureEvidence t = policy.failureTest();
        assertThat(t.perSuccess()).isCloseTo(-0.887303, within(1e-6));
        assertThat(t.perFailure()).isCloseTo(1.466337, within(1e-6));
        assertThat(t.failuresInARowToReject()).isEqualTo(5);
        assertThat(policy.reputation(worker(0, 4), T0).score()).isEqualTo(0.6);
        ScoreBreakdown five = policy.reputation(worker(0, 5), T0);
        assertThat(five.score()).isZero();
        assertThat(five.component("failing")).isEqualTo(1);
        // suspension, not a ban
        assertThat(policy.autoBan(worker(0, 5), T0)).isEmpty();
        // a newcomer 2.6 times slower than its estimates over 3 jobs, with 1 success and 2 failures
        // (-0.887303 + 2 x 1.466337 = 2.045371 > 0): suspended at once; with 2 successes and 1 failure
        // (-0.308269 < 0), not
        org.warden.api.policy.Moments slow = new org.warden.api.policy.Moments(3, 2.6, 0.2);
        assertThat(policy.reputation(TestStats.newcomer(T0).jobs(1, 2, T0).timeToEstimateRatio(slow).build(), T0)
                .score()).isZero();
        assertThat(policy.reputation(TestStats.newcomer(T0).jobs(2, 1, T0).timeToEstimateRatio(slow).build(), T0)
                .score()).isEqualTo(0.6);
        // a flaky but honest worker (70 % over 100 jobs): 70 x -0.887303 + 30 x 1.466337 = -18.12, not suspended
        assertThat(policy.failing(worker(70, 30))).isFalse();
    }
}
