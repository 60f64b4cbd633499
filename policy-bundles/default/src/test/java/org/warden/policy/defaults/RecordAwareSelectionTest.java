package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;
import org.warden.policy.testkit.TestStats;

/** The selection score knowing the bidder's record: claims weighed by it, new identities kept to a share. */
class RecordAwareSelectionTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final DefaultPolicy policy = new DefaultPolicy(DefaultPolicySettings.SEED);

    private static AuctionContext auction(String jobId) {
        return new AuctionContext(3, BigInteger.ONE, BigInteger.valueOf(100), 1, 1_000, jobId);
    }

    private static WorkerStatistics vetted(Moments timeToEstimate) {
        return TestStats.newcomer(T0).jobs(20, 0, T0).timeToEstimateRatio(timeToEstimate).build();
    }

    /** A job id that is (or is not) reserved for exploration at the seed's 5 %. */
    private static String job(boolean exploration) {
        for (int i = 0; ; i++) {
            String id = "job-" + i;
            if ((SelectionFormula.jobPosition(id) < 0.05) == exploration) {
                return id;
            }
        }
    }

    @Test
    void aWorkerThatKeepsItsEstimatesIsScoredLikeTheSeedSaysInsideTheVettedHalf() {
        String job = job(false);
        ScoreBreakdown s = policy.selectionScore(Bid.of("w", 100, 1_000), vetted(new Moments(20, 0.9, 0.01)), 0.8, 0.9,
                auction(job));
        double base = 0.35 * 0.8 + 0.25 * 0.9 + 0.25 * 0.5 + 0.15 * 0.5;
        assertThat(s.score()).isCloseTo(0.5 + 0.5 * base, within(1e-12));
        assertThat(s.component("credibility")).isEqualTo(1.0);
        assertThat(s.component("vetted")).isEqualTo(1.0);
    }

    @Test
    void aWorkerThreeTimesSlowerThanItsEstimatesLosesTwoThirdsOfItsHealthAndIsTimedAtWhatItReallyTakes() {
        ScoreBreakdown s = policy.selectionScore(Bid.of("w", 100, 1_000), vetted(new Moments(20, 3.0, 0.5)), 0.8, 1.0,
                auction(job(false)));
        assertThat(s.component("credibility")).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(s.component("health")).isCloseTo(1 / 3.0, within(1e-12));
        // its 1,000 ms estimate is scored as 3,000 ms against the median of 1,000: 1 / (1 + 3)
        assertThat(s.component("time")).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void everyVettedBidderOutranksEveryNewOneExceptInExplorationJobs() {
        WorkerStatistics newcomer = TestStats.newcomer(T0).jobs(3, 0, T0).build();
        WorkerStatistics veteran = vetted(Moments.EMPTY);
        Bid poor = Bid.of("v", 1_000, 10_000);
        Bid excellent = Bid.of("n", 1, 1);

        String normal = job(false);
        double vettedPoor = policy.selectionScore(poor, veteran, 0.31, 0.5, auction(normal)).score();
        double newExcellent = policy.selectionScore(excellent, newcomer, 1.0, 1.0, auction(normal)).score();
        assertThat(vettedPoor).isGreaterThanOrEqualTo(0.5).isGreaterThan(newExcellent);

        String exploration = job(true);
        double vettedExcellent = policy.selectionScore(excellent, veteran, 1.0, 1.0, auction(exploration)).score();
        double newPoor = policy.selectionScore(poor, newcomer, 0.31, 0.5, auction(exploration)).score();
        assertThat(newPoor).isGreaterThan(vettedExcellent);
    }

    @Test
    void withoutAJobIdNothingIsAnExplorationAndTheShareComesFromTheSettings() {
        assertThat(new SelectionFormula(DefaultPolicySettings.SEED).isExplorationJob(null)).isFalse();
        DefaultPolicy none = Configs.policy(Map.of("explorationShare", 0.0));
        DefaultPolicy all = Configs.policy(Map.of("explorationShare", 1.0, "vettingJobs", 50));
        WorkerStatistics twenty = vetted(Moments.EMPTY);
        String exploration = job(true);
        assertThat(none.selectionScore(Bid.of("w", 1, 1), twenty, 0.5, 0.5, auction(exploration)).component("favoured"))
                .isEqualTo(1.0);
        // 20 jobs are not enough to be vetted at 50: every job favours it
        assertThat(all.selectionScore(Bid.of("w", 1, 1), twenty, 0.5, 0.5, auction(job(false))).component("vetted"))
                .isEqualTo(0.0);
        assertThat(all.selectionScore(Bid.of("w", 1, 1), twenty, 0.5, 0.5, auction(job(false))).component("favoured"))
                .isEqualTo(1.0);
    }

    @Test
    void explorationJobsAreAboutTheShareOfAllJobs() {
        SelectionFormula f = new SelectionFormula(DefaultPolicySettings.SEED);
        int reserved = 0;
        for (int i = 0; i < 100_000; i++) {
            if (f.isExplorationJob("job-" + i)) {
                reserved++;
            }
        }
        assertThat(reserved / 100_000.0).isCloseTo(0.05, within(0.003));
    }
}
