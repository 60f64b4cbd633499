package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.WorkerStatistics;
import org.warden.policy.testkit.TestStats;

/**
 * Probation: a worker that failures alone put under the threshold is let back at exactly the threshold once its
 * failures have faded with idle time, and ranked under every other bidder.
 */
class ProbationTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final double THRESHOLD = DefaultPolicySettings.SEED.minReputationThreshold();

    private final DefaultPolicy policy = new DefaultPolicy(DefaultPolicySettings.SEED);

    /** An honest newcomer whose only job timed out at T0, as the engine sees it then (the hour's failure counted). */
    private static TestStats.Builder timedOutOnce() {
        return TestStats.newcomer(T0.minusSeconds(60)).jobs(0, 1, T0).consecutiveFailures(1)
                .decayedSeverity(PenaltyType.JOB_TIMEOUT, 0.8);
    }

    private ScoreBreakdown at(TestStats.Builder stats, Duration later) {
        return policy.reputation(stats.build(), T0.plus(later));
    }

    @Test
    void oneTimeoutPutsANewcomerUnderTheThresholdUntilItHasFaded() {
        ScoreBreakdown now = at(timedOutOnce(), Duration.ZERO);
        assertThat(now.score()).isLessThan(THRESHOLD);
        assertThat(now.component("probation")).isEqualTo(0.0);
        // ten minutes idle: the failure has not faded enough yet
        assertThat(at(timedOutOnce(), Duration.ofMinutes(10)).score()).isLessThan(THRESHOLD);
    }

    @Test
    void afterTwoIdleHoursItIsBackAtExactlyTheThreshold() {
        // two hours later the engine's hour counter has emptied
        ScoreBreakdown later = at(timedOutOnce().at(Horizon.HOUR, 0, 0), Duration.ofHours(2));
        assertThat(later.score()).isEqualTo(THRESHOLD);
        assertThat(later.component("probation")).isEqualTo(1.0);
        assertThat(later.score()).isGreaterThanOrEqualTo(policy.eligibilityThreshold());
    }

    @Test
    void maliceDoesNotFade() {
        TestStats.Builder forged = timedOutOnce().at(Horizon.HOUR, 0, 0).maliciousReports(1)
                .decayedSeverity(PenaltyType.MALICIOUS_BEHAVIOR, 0.5);
        ScoreBreakdown later = at(forged, Duration.ofHours(2));
        assertThat(later.score()).isLessThan(THRESHOLD);
        assertThat(later.component("probation")).isEqualTo(0.0);
        assertThat(at(forged, Duration.ofDays(1)).score()).isLessThan(THRESHOLD);
    }

    @Test
    void aWorkerAboveTheThresholdIsNeverOnProbationAndIdleTimeDoesNotLiftItsPenalty() {
        TestStats.Builder good = TestStats.newcomer(T0.minus(Duration.ofDays(20))).jobs(980, 20, T0)
                .decayedSeverity(PenaltyType.JOB_FAILURE, 20 * 0.5).at(Horizon.HOUR, 0, 0);
        ScoreBreakdown later = at(good, Duration.ofHours(2));
        assertThat(later.score()).isGreaterThan(THRESHOLD);
        assertThat(later.component("probation")).isEqualTo(0.0);
        assertThat(later.component("penalties")).isEqualTo(at(good, Duration.ZERO).component("penalties"));
    }

    private static AuctionContext auction(String jobId) {
        return new AuctionContext(3, BigInteger.ONE, BigInteger.valueOf(100), 1, 1_000, jobId);
    }

    @Test
    void aBidderOnProbationRanksUnderEveryOtherBidderInEveryJob() {
        WorkerStatistics veteran = TestStats.newcomer(T0).jobs(20, 0, T0).build();
        WorkerStatistics newcomer = TestStats.newcomer(T0).jobs(3, 0, T0).build();
        Bid poor = Bid.of("poor", 1_000, 10_000);
        Bid excellent = Bid.of("excellent", 1, 1);
        for (int i = 0; i < 200; i++) {
            AuctionContext auction = auction("job-" + i);
            double onProbation = policy.selectionScore(excellent, veteran, THRESHOLD, 1.0, auction).score();
            double newOnProbation = policy.selectionScore(excellent, newcomer, THRESHOLD, 1.0, auction).score();
            double poorVeteran = policy.selectionScore(poor, veteran, THRESHOLD + 1e-9, 0.0, auction).score();
            double poorNewcomer = policy.selectionScore(poor, newcomer, THRESHOLD + 1e-9, 0.0, auction).score();
            assertThat(Math.max(onProbation, newOnProbation)).isLessThan(Math.min(poorVeteran, poorNewcomer));
        }
    }

    @Test
    void biddersOnProbationStillRankAmongThemselves() {
        WorkerStatistics veteran = TestStats.newcomer(T0).jobs(20, 0, T0).build();
        AuctionContext auction = auction("job-1");
        ScoreBreakdown cheap = policy.selectionScore(Bid.of("a", 50, 1_000), veteran, THRESHOLD, 0.9, auction);
        ScoreBreakdown dear = policy.selectionScore(Bid.of("b", 500, 1_000), veteran, THRESHOLD, 0.9, auction);
        assertThat(cheap.component("probation")).isEqualTo(1.0);
        assertThat(cheap.score()).isGreaterThan(dear.score()).isGreaterThan(0);
    }
}
