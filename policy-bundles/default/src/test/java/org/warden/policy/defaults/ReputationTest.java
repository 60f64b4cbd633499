package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.Moments;
import org.warden.policy.testkit.TestStats;

class ReputationTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final DefaultPolicy policy = new DefaultPolicy(DefaultPolicySettings.SEED);

    /** 10 successes, none failed, the last two in a row, last job at T0; no time or quality samples. */
    private static TestStats.Builder good() {
        return TestStats.newcomer(T0.minus(Duration.ofDays(3))).jobs(10, 0, T0).consecutiveSuccesses(2);
    }

    /** The undecayed reputation of {@link #good()}, computed by hand: one success bonus (the streak cap is 1). */
    private static final double GOOD_RAW =
            (0.40 * 11.0 / 12 + 0.25 * 11.0 / 12 + 0.20 * 0.5 + 0.15 * 0.5) * 1.05;

    private double score(TestStats.Builder stats, Instant now) {
        return policy.reputation(stats.build(), now).score();
    }

    @Test
    void aNewcomerIsNeutral() {
        ScoreBreakdown s = policy.reputation(TestStats.newcomer(T0).build(), T0);
        assertThat(s.score()).isEqualTo(0.5);
        assertThat(s.components()).containsExactly(
                new ScoreComponent("successRate", 0.5, 0.40),
                new ScoreComponent("reliability", 0.5, 0.25),
                new ScoreComponent("efficiency", 0.5, 0.20),
                new ScoreComponent("consistency", 0.5, 0.15),
                new ScoreComponent("streak", 1.0, 0),
                new ScoreComponent("penalties", 1.0, 0),
                new ScoreComponent("decay", 1.0, 0),
                new ScoreComponent("probation", 0.0, 0));
        // and stays neutral while idle
        assertThat(score(TestStats.newcomer(T0), T0.plus(DAY.multipliedBy(30)))).isEqualTo(0.5);
    }

    @Test
    void readAtTheLastJobTheReputationIsUndecayed() {
        assertThat(GOOD_RAW).isBetween(0.8, 0.85);
        ScoreBreakdown s = policy.reputation(good().build(), T0);
        assertThat(s.score()).isCloseTo(GOOD_RAW, within(1e-12));
        assertThat(s.component("decay")).isEqualTo(1.0);
        assertThat(s.component("streak")).isCloseTo(1.05, within(1e-15));
    }

    @Test
    void thirtyIdleDaysDecayTowardsNeutral() {
        ScoreBreakdown s = policy.reputation(good().build(), T0.plus(DAY.multipliedBy(30)));
        double factor = Math.pow(0.99, 30);
        assertThat(s.score()).isCloseTo(0.5 + (GOOD_RAW - 0.5) * factor, within(1e-12));
        assertThat(s.component("decay")).isCloseTo(factor, within(1e-15));
    }

    @Test
    void idleTimeCountsInFractionsOfADay() {
        assertThat(score(good(), T0.plus(Duration.ofHours(12))))
                .isCloseTo(0.5 + (GOOD_RAW - 0.5) * Math.sqrt(0.99), within(1e-12));
    }

    @Test
    void aReadBeforeTheLastJobIsNotDecayedNorInflated() {
        assertThat(score(good(), T0.minus(DAY))).isCloseTo(GOOD_RAW, within(1e-12));
    }

    @Test
    void withoutAJobIdleTimeCountsFromFirstSight() {
        TestStats.Builder punished = TestStats.newcomer(T0).decayedSeverity(PenaltyType.MALICIOUS_BEHAVIOR, 1.0);
        // no job yet: the penalty counts over the prior's 5 jobs, weight 100 per unit of severity
        double raw = 0.5 * Math.exp(-100.0 / 5);
        assertThat(score(punished, T0)).isCloseTo(raw, within(1e-12));
        assertThat(score(punished, T0.plus(DAY.multipliedBy(10))))
                .isCloseTo(0.5 + (raw - 0.5) * Math.pow(0.99, 10), within(1e-12));
    }

    @Test
    void aBadWorkerRecoversTowardsNeutral() {
        TestStats.Builder bad = TestStats.newcomer(T0.minus(DAY)).jobs(0, 10, T0).consecutiveFailures(10);
        double raw = (0.40 * 1.0 / 12 + 0.25 * 11.0 / 12 + 0.20 * 0.5 + 0.15 * 0.5) * Math.pow(0.9, 10);
        assertThat(score(bad, T0)).isCloseTo(raw, within(1e-12)).isLessThan(0.3);
        // after 30 idle days the failure streak has faded (an hour's time constant): only the record is left,
        // and it decays towards neutral as the seed says
        double record = 0.40 * 1.0 / 12 + 0.25 * 11.0 / 12 + 0.20 * 0.5 + 0.15 * 0.5;
        double after30 = score(bad, T0.plus(DAY.multipliedBy(30)));
        assertThat(after30).isCloseTo(0.5 + (record - 0.5) * Math.pow(0.99, 30), within(1e-12))
                .isGreaterThan(raw).isLessThan(0.5);
        assertThat(score(bad, T0.plus(DAY.multipliedBy(3650)))).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void decayRateComesFromTheSettings() {
        DefaultPolicy noDecay = Configs.policy(Map.of("reputationDecayRatePerDay", 0.0));
        DefaultPolicy fast = Configs.policy(Map.of("reputationDecayRatePerDay", 0.5));
        Instant later = T0.plus(DAY.multipliedBy(2));
        assertThat(noDecay.reputation(good().build(), later).score()).isCloseTo(GOOD_RAW, within(1e-12));
        assertThat(fast.reputation(good().build(), later).score())
                .isCloseTo(0.5 + (GOOD_RAW - 0.5) * 0.25, within(1e-12));
    }

    @Test
    void successRateIsLaplaceSmoothed() {
        assertThat(policy.reputation(TestStats.newcomer(T0).jobs(3, 1, T0).build(), T0).component("successRate"))
                .isCloseTo(4.0 / 6, within(1e-15));
    }

    @Test
    void reliabilityCountsTimeoutsAndInvalidResults() {
        // one timeout (severity 0.8), two invalid results (0.5 each), a malicious report (0.5); spam is not a bad job
        TestStats.Builder stats = TestStats.newcomer(T0).jobs(8, 2, T0)
                .decayedSeverity(PenaltyType.JOB_TIMEOUT, 0.8)
                .decayedSeverity(PenaltyType.INVALID_RESULT, 1.0)
                .decayedSeverity(PenaltyType.MALICIOUS_BEHAVIOR, 0.5)
                .decayedSeverity(PenaltyType.SPAM, 2.0);
        assertThat(policy.reputation(stats.build(), T0).component("reliability"))
                .isCloseTo((10 - 2.3 + 1) / 12, within(1e-15));
    }

    @Test
    void reliabilityNeverCountsMoreBadJobsThanJobs() {
        TestStats.Builder stats = TestStats.newcomer(T0).jobs(1, 1, T0).decayedSeverity(PenaltyType.JOB_TIMEOUT, 4.0);
        assertThat(policy.reputation(stats.build(), T0).component("reliability")).isEqualTo(0.25);
    }

    @Test
    void efficiencyAveragesKeptEstimatesAndQuality() {
        TestStats.Builder slowGood = TestStats.newcomer(T0)
                .timeToEstimateRatio(new Moments(5, 2.0, 0.1)).resultQuality(new Moments(5, 0.9, 0.01));
        assertThat(policy.reputation(slowGood.build(), T0).component("efficiency")).isCloseTo(0.7, within(1e-15));

        TestStats.Builder early = TestStats.newcomer(T0).timeToEstimateRatio(new Moments(5, 0.5, 0.1));
        assertThat(policy.reputation(early.build(), T0).component("efficiency")).isEqualTo(0.75);

        TestStats.Builder instant = TestStats.newcomer(T0).timeToEstimateRatio(new Moments(3, 0, 0))
                .resultQuality(new Moments(3, 0.0, 0));
        assertThat(policy.reputation(instant.build(), T0).component("efficiency")).isEqualTo(0.5);
    }

    @Test
    void consistencyIsOneOverOnePlusTheCoefficientOfVariation() {
        TestStats.Builder steady = TestStats.newcomer(T0).executionTimeMs(new Moments(5, 1000, 250_000));
        assertThat(policy.reputation(steady.build(), T0).component("consistency")).isCloseTo(1 / 1.5, within(1e-15));

        TestStats.Builder oneSample = TestStats.newcomer(T0).executionTimeMs(new Moments(1, 1000, 0));
        assertThat(policy.reputation(oneSample.build(), T0).component("consistency")).isEqualTo(0.5);

        TestStats.Builder zeroMean = TestStats.newcomer(T0).executionTimeMs(new Moments(3, 0, 0));
        assertThat(policy.reputation(zeroMean.build(), T0).component("consistency")).isEqualTo(1.0);
    }

    @Test
    void failureStreakMultipliesUpToItsCap() {
        TestStats.Builder base = TestStats.newcomer(T0).jobs(10, 5, T0);
        double b = score(base, T0);
        assertThat(score(TestStats.newcomer(T0).jobs(10, 5, T0).consecutiveFailures(3), T0))
                .isCloseTo(b * Math.pow(0.9, 3), within(1e-12));
        assertThat(score(TestStats.newcomer(T0).jobs(10, 5, T0).consecutiveFailures(25), T0))
                .isCloseTo(b * Math.pow(0.9, 20), within(1e-12));
        DefaultPolicy shortCap = Configs.policy(Map.of("failureMaxStreak", 2));
        assertThat(shortCap.reputation(TestStats.newcomer(T0).jobs(10, 5, T0).consecutiveFailures(5).build(), T0)
                .score()).isCloseTo(b * 0.81, within(1e-12));
    }

    @Test
    void aFailureStreakFadesWithIdleTimeSoAWorkerKeptOutGetsAnotherChance() {
        TestStats.Builder failing = TestStats.newcomer(T0).jobs(10, 5, T0).consecutiveFailures(10);
        assertThat(streak(failing, T0)).isCloseTo(Math.pow(0.9, 10), within(1e-12));
        assertThat(streak(failing, T0.plus(Duration.ofHours(1)))).isCloseTo(Math.pow(0.9, 10 * Math.exp(-1)), within(1e-12));
        assertThat(streak(failing, T0.plus(Duration.ofHours(24)))).isCloseTo(Math.pow(0.9, 10 * Math.exp(-24)), within(1e-12));
    }

    private double streak(TestStats.Builder stats, Instant now) {
        return policy.reputation(stats.build(), now).component("streak");
    }

    @Test
    void aSteadyWorkerKeepsItsReputationAtAnyVolume() {
        // 5 % failures, the seed's failure penalty on each, at 100 and at 1,000,000 recent jobs
        double small = score(TestStats.newcomer(T0).jobs(95, 5, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 2.5), T0);
        double large = score(TestStats.newcomer(T0).jobs(950_000, 50_000, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 25_000), T0);
        assertThat(small).isCloseTo(large, within(0.02));
        assertThat(large).isGreaterThan(0.5);
    }

    @Test
    void theSuccessBonusIsOneStepByDefault() {
        // cap 1: the latest job's success earns the seed's 1.05 once, whatever the run (see README, "Streak")
        double b = score(TestStats.newcomer(T0).jobs(3, 5, T0), T0);
        assertThat(score(TestStats.newcomer(T0).jobs(3, 5, T0).consecutiveSuccesses(1), T0))
                .isCloseTo(b * 1.05, within(1e-12));
        assertThat(score(TestStats.newcomer(T0).jobs(3, 5, T0).consecutiveSuccesses(8), T0))
                .isCloseTo(b * 1.05, within(1e-12));
    }

    @Test
    void successBonusMultipliesUpToAConfiguredCap() {
        DefaultPolicy capFive = Configs.policy(Map.of("successBonusMaxStreak", 5));
        double b = capFive.reputation(TestStats.newcomer(T0).jobs(3, 5, T0).build(), T0).score();
        assertThat(capFive.reputation(TestStats.newcomer(T0).jobs(3, 5, T0).consecutiveSuccesses(3).build(), T0)
                .score()).isCloseTo(b * Math.pow(1.05, 3), within(1e-12));
        assertThat(capFive.reputation(TestStats.newcomer(T0).jobs(3, 5, T0).consecutiveSuccesses(8).build(), T0)
                .score()).isCloseTo(b * Math.pow(1.05, 5), within(1e-12));
    }

    /** A worker whose weighted components are all near 1, so the bonus would take it above 1. */
    private static TestStats.Builder excellent() {
        return TestStats.newcomer(T0).jobs(100, 0, T0).consecutiveSuccesses(5)
                .timeToEstimateRatio(new Moments(100, 0.8, 0.01))
                .resultQuality(new Moments(100, 1.0, 0))
                .executionTimeMs(new Moments(100, 1000, 0));
    }

    @Test
    void reputationIsCappedAtTheMaximum() {
        double weighted = 0.40 * 101.0 / 102 + 0.25 * 101.0 / 102 + 0.20 + 0.15;
        assertThat(weighted * Math.pow(1.05, 5)).isGreaterThan(1.0);
        assertThat(score(excellent(), T0)).isEqualTo(1.0);

        DefaultPolicy capped = Configs.policy(Map.of("maxReputationScore", 0.9));
        assertThat(capped.reputation(excellent().build(), T0).score()).isEqualTo(0.9);
        // the cap applies before decay
        assertThat(score(excellent(), T0.plus(DAY.multipliedBy(30))))
                .isCloseTo(0.5 + 0.5 * Math.pow(0.99, 30), within(1e-12));
    }

    @Test
    void absurdCountsStayInRange() {
        TestStats.Builder huge = TestStats.newcomer(T0).jobs(Long.MAX_VALUE, Long.MAX_VALUE, T0)
                .penaltyCount(PenaltyType.JOB_TIMEOUT, Integer.MAX_VALUE)
                .penaltyCount(PenaltyType.INVALID_RESULT, Integer.MAX_VALUE)
                .consecutiveFailures(Integer.MAX_VALUE);
        assertThat(score(huge, Instant.MAX)).isBetween(0.0, 1.0);
        assertThat(score(huge, T0)).isBetween(0.0, 1.0);
    }
}
