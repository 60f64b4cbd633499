package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.warden.api.Ban;
import org.warden.api.PenaltyType;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.Horizon;
import org.warden.policy.testkit.TestStats;

/** What each penalty type costs, the severities the engine applies by itself, and the auto-ban rule. */
class PenaltyTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final DefaultPolicy policy = new DefaultPolicy(DefaultPolicySettings.SEED);

    /** 8 jobs this week, 2 of them failed, none in the last hour (that rate is tested on its own below). */
    private static TestStats.Builder worker() {
        return TestStats.newcomer(T0.minus(Duration.ofDays(7))).jobs(6, 2, T0).at(Horizon.HOUR, 0, 0);
    }

    private double score(TestStats.Builder stats) {
        return policy.reputation(stats.build(), T0).score();
    }

    /** The worker above has 8 recent jobs: a penalty counts as a rate over 8 + 5 (the prior) jobs. */
    private static final double JOBS = 8 + ReputationFormula.PENALTY_PRIOR_JOBS;

    @ParameterizedTest(name = "{0} weighs {1}")
    @CsvSource({
        "JOB_TIMEOUT, 20",
        "JOB_FAILURE, 16",
        "MALICIOUS_BEHAVIOR, 100",
        "POOR_PERFORMANCE, 4",
        "NETWORK_ISSUES, 2",
        "RESOURCE_ABUSE, 12",
        "INVALID_RESULT, 80",
        "SPAM, 8",
        "BAN, 0"})
    void eachPenaltyTypeCostsItsWeightPerRecentJob(PenaltyType type, double weight) {
        double base = score(worker());
        double penalised = score(worker().decayedSeverity(type, 0.5));
        assertThat(policy.reputation(worker().decayedSeverity(type, 0.5).build(), T0).component("penalties"))
                .isCloseTo(Math.exp(-weight * 0.5 / JOBS), within(1e-15));
        switch (type) {
            case BAN -> assertThat(penalised).isEqualTo(base);
            // these also count against reliability (a bad job): the score falls by more than the factor
            case JOB_TIMEOUT, INVALID_RESULT, MALICIOUS_BEHAVIOR ->
                    assertThat(penalised).isLessThan(base * Math.exp(-weight * 0.5 / JOBS));
            default -> assertThat(penalised).isCloseTo(base * Math.exp(-weight * 0.5 / JOBS), within(1e-12));
        }
    }

    @Test
    void penaltiesMultiply() {
        double base = score(worker());
        double both = score(worker().decayedSeverity(PenaltyType.NETWORK_ISSUES, 0.4)
                .decayedSeverity(PenaltyType.SPAM, 0.2));
        assertThat(both).isCloseTo(base * Math.exp(-2 * 0.4 / JOBS) * Math.exp(-8 * 0.2 / JOBS), within(1e-12));
    }

    @Test
    void aPenaltyIsARateSoTheSameShareOfBadJobsCostsTheSameAtAnyVolume() {
        // 5 % of jobs failed with the seed's failure severity 0.5, at 100 and at 1,000,000 recent jobs
        double small = policy.reputation(TestStats.newcomer(T0).jobs(95, 5, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 5 * 0.5).build(), T0).component("penalties");
        double large = policy.reputation(TestStats.newcomer(T0).jobs(950_000, 50_000, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 50_000 * 0.5).build(), T0).component("penalties");
        assertThat(small).isCloseTo(Math.exp(-16 * 2.5 / 105), within(1e-12));
        assertThat(large).isCloseTo(Math.exp(-0.4), within(1e-5));
        assertThat(small).isCloseTo(large, within(0.02));
    }

    @Test
    void failuresAndTimeoutsAloneCostAtMostTheFloor() {
        // 15 % of 1,000 recent jobs failed, 5 % timed out: exp(-(16 * 75 + 20 * 40) / 1,005) = exp(-1.99) = 0.14
        TestStats.Builder failing = TestStats.newcomer(T0).jobs(850, 150, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 150 * 0.5).decayedSeverity(PenaltyType.JOB_TIMEOUT, 50 * 0.8);
        assertThat(policy.reputation(failing.build(), T0).component("penalties"))
                .isEqualTo(ReputationFormula.FAILURE_FACTOR_FLOOR);
        // 2 % failing stays above the floor, priced as a rate
        assertThat(policy.reputation(TestStats.newcomer(T0).jobs(980, 20, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 20 * 0.5).build(), T0).component("penalties"))
                .isCloseTo(Math.exp(-16 * 10.0 / 1005), within(1e-12));
    }

    @Test
    void theFloorDoesNotShieldMaliceOrInvalidResults() {
        TestStats.Builder failing = TestStats.newcomer(T0).jobs(850, 150, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 150 * 0.5);
        TestStats.Builder forging = TestStats.newcomer(T0).jobs(850, 150, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 150 * 0.5)
                .decayedSeverity(PenaltyType.MALICIOUS_BEHAVIOR, 10 * 0.5)
                .decayedSeverity(PenaltyType.INVALID_RESULT, 10 * 0.5);
        assertThat(policy.reputation(forging.build(), T0).component("penalties"))
                .isCloseTo(0.4 * Math.exp(-(100 * 5.0 + 80 * 5.0) / 1005), within(1e-12));
        assertThat(score(forging)).isLessThan(score(failing));
    }

    @Test
    void defaultSeverities() {
        assertThat(policy.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(policy.defaultSeverity(PenaltyType.MALICIOUS_BEHAVIOR)).isEqualTo(0.5);
        assertThat(policy.defaultSeverity(PenaltyType.BAN)).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(value = PenaltyType.class, names = {"JOB_TIMEOUT", "MALICIOUS_BEHAVIOR", "BAN"},
            mode = EnumSource.Mode.EXCLUDE)
    void otherTypesHaveTheMiddleSeverity(PenaltyType type) {
        assertThat(policy.defaultSeverity(type)).isEqualTo(0.5);
    }

    /** 1,000 jobs this month, 20 failed (severity 0.5 each): a month's failure cost of 16 × 10 / 1,005 per job. */
    private static TestStats.Builder goodRecord() {
        return TestStats.newcomer(T0.minus(Duration.ofDays(20))).jobs(980, 20, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 10);
    }

    @Test
    void aBadLastHourCountsWhenWorseThanTheMonth() {
        // a failed job cost 16 × 10 / 20 = 8 over the month; 2 of the last hour's 20 jobs failed: 8 × 2 / (20 + 5)
        // = 0.64 per job, worse than the month's 0.159
        double penalties = policy.reputation(goodRecord().at(Horizon.HOUR, 18, 2).build(), T0).component("penalties");
        assertThat(penalties).isCloseTo(Math.exp(-0.64), within(1e-12));
        assertThat(ReputationFormula.lastHourFailureCost(goodRecord().at(Horizon.HOUR, 18, 2).build(), 16 * 10))
                .isCloseTo(0.64, within(1e-12));
        // priced at most as a job failure of severity 0.5 (8), however much more the month's penalties cost
        assertThat(ReputationFormula.lastHourFailureCost(goodRecord().at(Horizon.HOUR, 18, 2).build(), 1e6))
                .isCloseTo(0.64, within(1e-12));
    }

    @Test
    void aGoodLastHourDoesNotWipeOutTheMonth() {
        double penalties = policy.reputation(goodRecord().at(Horizon.HOUR, 20, 0).build(), T0).component("penalties");
        assertThat(penalties).isCloseTo(Math.exp(-16 * 10 / 1005.0), within(1e-12));
    }

    @Test
    void aLastHourCostsOnlyWhatTheDistributorMadeAFailureCost() {
        // failed jobs recorded without a failure penalty (a distributor that does not penalise them): nothing
        TestStats.Builder unpenalised = TestStats.newcomer(T0.minus(Duration.ofDays(1))).jobs(2, 1, T0);
        assertThat(policy.reputation(unpenalised.build(), T0).component("penalties")).isEqualTo(1.0);
        // failures penalised lightly (a tenth of the seed's severity: 0.8 each): the last hour is priced so
        TestStats.Builder light = goodRecord().decayedSeverity(PenaltyType.JOB_FAILURE, 20 * 0.05)
                .at(Horizon.HOUR, 18, 2);
        // 0.8 × 2 / 25 = 0.064 per job, worse than the month's 16 / 1,005 = 0.0159
        assertThat(policy.reputation(light.build(), T0).component("penalties"))
                .isCloseTo(Math.exp(-0.8 * 2 / 25), within(1e-12));
    }

    @Test
    void aBadLastHourIsFlooredLikeEveryOtherFailureCost() {
        // 8 of 10 failed: 16 × 0.5 × 8 / 15 = 4.27 per job, exp(-4.27) = 0.014, floored at 0.4
        double penalties = policy.reputation(goodRecord().at(Horizon.HOUR, 2, 8).build(), T0).component("penalties");
        assertThat(penalties).isEqualTo(ReputationFormula.FAILURE_FACTOR_FLOOR);
    }

    @Test
    void severitiesComeFromTheSettings() {
        DefaultPolicy p = Configs.policy(Map.of("timeoutPenaltySeverity", 0.3, "maliciousPenaltySeverity", 0.9));
        assertThat(p.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.3);
        assertThat(p.defaultSeverity(PenaltyType.MALICIOUS_BEHAVIOR)).isEqualTo(0.9);
    }

    @Test
    void autoBanOnTheThirdMaliciousReportNotTheSecond() {
        assertThat(policy.autoBan(worker().maliciousReports(0).build(), T0)).isEmpty();
        assertThat(policy.autoBan(worker().maliciousReports(2).build(), T0)).isEmpty();
        assertThat(policy.autoBan(worker().maliciousReports(3).build(), T0))
                .contains(new BanDecision("repeated malicious behaviour: 3 reports", null));
        assertThat(policy.autoBan(worker().maliciousReports(4).build(), T0))
                .contains(new BanDecision("repeated malicious behaviour: 4 reports", null));
    }

    @Test
    void noAutoBanWhenAlreadyBanned() {
        Ban ban = new Ban("worker-1", "operator said so", false, T0.minusSeconds(60), null, null, null);
        assertThat(policy.autoBan(worker().maliciousReports(5).currentBan(ban).build(), T0)).isEmpty();
    }

    @Test
    void noAutoBanWhenDisabled() {
        DefaultPolicy p = Configs.policy(Map.of("enableAutoBan", false));
        assertThat(p.autoBan(worker().maliciousReports(10).build(), T0)).isEmpty();
    }

    @Test
    void autoBanSettingsAreHonoured() {
        DefaultPolicy p = Configs.policy(Map.of("autoBanMaliciousReports", 5, "autoBanDurationHours", 24L));
        assertThat(p.autoBan(worker().maliciousReports(4).build(), T0)).isEmpty();
        Optional<BanDecision> ban = p.autoBan(worker().maliciousReports(5).build(), T0);
        assertThat(ban).map(BanDecision::duration).contains(Duration.ofHours(24));
        assertThat(ban).map(BanDecision::reason).contains("repeated malicious behaviour: 5 reports");
    }
}
