package org.warden.policy.bayesian;

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
import org.warden.policy.testkit.TestStats;

class SelectionTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final BayesianPolicy policy = new BayesianPolicy(BayesianPolicySettings.DEFAULTS);

    private static AuctionContext auction(String jobId) {
        return new AuctionContext(3, BigInteger.valueOf(50), BigInteger.valueOf(100), 500, 1000, jobId);
    }

    /** The first job id of the form job-N that is (or is not) reserved for exploration. */
    private String job(boolean exploration) {
        for (int i = 0;; i++) {
            if (policy.isExplorationJob("job-" + i) == exploration) {
                return "job-" + i;
            }
        }
    }

    @Test
    void baseScoreWeighsReputationHealthBidAndTimeAgainstTheMedians() {
        // bid at half the median: 1/(1 + 0.5) = 2/3; time at the median: 1/2
        // 0.5·0.9 + 0.2·0.8 + 0.2·(2/3) + 0.1·0.5 = 0.45 + 0.16 + 0.133333 + 0.05 = 0.793333
        ScoreBreakdown s = policy.selectionScore(Bid.of("w", 50, 1000), 0.9, 0.8, auction(null));
        assertThat(s.score()).isCloseTo(0.793333, within(1e-6));
        assertThat(s.component("bid")).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(s.component("time")).isEqualTo(0.5);
    }

    @Test
    void aZeroMedianCountsAsOne() {
        AuctionContext zero = new AuctionContext(1, BigInteger.ZERO, BigInteger.ZERO, 0, 0, null);
        ScoreBreakdown s = policy.selectionScore(Bid.of("w", 0, 0), 1, 1, zero);
        assertThat(s.score()).isEqualTo(1);
        assertThat(policy.selectionScore(Bid.of("w", 1, 1), 1, 1, zero).component("bid")).isEqualTo(0.5);
    }

    @Test
    void explorationShareIsDeterministicAndCloseToTheSetting() {
        int reserved = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = "job-" + i;
            boolean e = policy.isExplorationJob(id);
            assertThat(policy.isExplorationJob(id)).isEqualTo(e);
            assertThat(new BayesianPolicy(BayesianPolicySettings.DEFAULTS).isExplorationJob(id)).isEqualTo(e);
            if (e) {
                reserved++;
            }
        }
        // binomial(10 000, 0.02): mean 200, sd 14; ±70 is five of them
        assertThat(reserved).isBetween(130, 270);
        BayesianPolicy quarter = Configs.policy(Map.of("explorationShare", 0.25));
        int q = 0;
        for (int i = 0; i < 10_000; i++) {
            q += quarter.isExplorationJob(java.util.UUID.nameUUIDFromBytes(("j" + i).getBytes()).toString()) ? 1 : 0;
        }
        assertThat(q).isBetween(2300, 2700);
    }

    @Test
    void noJobIdOrZeroShareNoExploration() {
        assertThat(policy.isExplorationJob(null)).isFalse();
        BayesianPolicy none = Configs.policy(Map.of("explorationShare", 0.0));
        for (int i = 0; i < 1000; i++) {
            assertThat(none.isExplorationJob("job-" + i)).isFalse();
        }
        BayesianPolicy all = Configs.policy(Map.of("explorationShare", 1.0));
        assertThat(all.isExplorationJob("anything")).isTrue();
    }

    @Test
    void theTiersHoldForTheWholeAuctionHandComputed() {
        TestStats newcomer = TestStats.newcomer(T0).jobs(2, 0, T0).build();
        TestStats veteran = TestStats.newcomer(T0).jobs(1000, 0, T0).build();
        double newRep = policy.reputation(newcomer, T0).score(); // 0.6, the vetting floor
        double vetRep = policy.reputation(veteran, T0).score(); // 0.997011
        // the newcomer asks twice the median (1/3) and is slow (4000 ms: 1/5) and unhealthy (0.1); within its tier its
        // standing is mean × progress = 3/4 × 2/20 = 0.075: 0.5·0.075 + 0.2·0.1 + 0.2/3 + 0.1·0.2 = 0.144167
        // the veteran is perfect: 0.5·0.997011 + 0.2 + 0.2 + 0.1 = 0.998505
        AuctionContext explore = auction(job(true));
        ScoreBreakdown n = policy.selectionScore(Bid.of("n", 200, 4000), newcomer, newRep, 0.1, explore);
        ScoreBreakdown v = policy.selectionScore(Bid.of("v", 0, 0), veteran, vetRep, 1, explore);
        assertThat(n.score()).isCloseTo(0.5 + 0.5 * 0.144167, within(1e-6));
        assertThat(v.score()).isCloseTo(0.5 * 0.998505, within(1e-6));
        assertThat(n.component("tierNew")).isEqualTo(1);
        assertThat(v.component("tierVetted")).isZero();

        // in any other job the reverse: every vetted bidder above every new one, however cheap the newcomer
        AuctionContext usual = auction(job(false));
        ScoreBreakdown n2 = policy.selectionScore(Bid.of("n", 0, 0), newcomer, newRep, 1, usual);
        ScoreBreakdown v2 = policy.selectionScore(Bid.of("v", 400, 4000), veteran, vetRep, 0.1, usual);
        assertThat(v2.score()).isGreaterThanOrEqualTo(0.5).isGreaterThan(n2.score());
        assertThat(n2.score()).isLessThan(0.5);
        // without a job id there is no exploration: vetted first
        AuctionContext anonymous = auction(null);
        assertThat(policy.selectionScore(Bid.of("n", 200, 4000), newcomer, newRep, 0.1, anonymous).score())
                .isCloseTo(0.5 * 0.144167, within(1e-6));
    }

    @Test
    void aNewcomerCloserToVettingWithABetterRecordGoesFirst() {
        TestStats fresh = TestStats.newcomer(T0).build();
        TestStats halfway = TestStats.newcomer(T0).jobs(10, 0, T0).build();
        AuctionContext explore = auction(job(true));
        // a fresh identity (a whitewasher's) underbidding still loses to a newcomer halfway through vetting
        double f = policy.selectionScore(Bid.of("f", 50, 1000), fresh, 0.6, 0.8, explore).score();
        double h = policy.selectionScore(Bid.of("h", 100, 1000), halfway, 0.6, 0.8, explore).score();
        // standing 0 vs 11/12 × 1/2 = 0.458333: 0.5·0.458333 − 0.2·(2/3 − 1/2) = 0.195833 ahead before halving
        assertThat(h - f).isCloseTo(0.5 * 0.195833, within(1e-6));
    }

    @Test
    void healthClaimsStopCountingWhenJobsRunFarSlowerThanEstimated() {
        // ratio 1: believed; 1.5: half-way to the limit 2; 2.5: not at all, and the estimate is scaled by 2.5
        assertThat(Claims.judge(new Moments(5, 1.0, 0), 2.0, -3, 6.9)).isEqualTo(new Claims(1, 1));
        assertThat(Claims.judge(new Moments(5, 1.5, 0), 2.0, -3, 6.9)).isEqualTo(new Claims(0.5, 1.5));
        assertThat(Claims.judge(new Moments(5, 2.5, 0), 2.0, -3, 6.9)).isEqualTo(new Claims(0, 2.5));
        // a record leaning to failing: 1 success, 4 failures: -0.887303 + 4 × 1.466337 = 4.978045 of 6.907755,
        // credibility 1 − 4.978045 / 6.907755 = 0.279354
        double evidence = policy.failureEvidence(TestStats.newcomer(T0).jobs(1, 4, T0).build());
        assertThat(evidence).isCloseTo(4.978045, within(1e-6));
        assertThat(Claims.judge(Moments.EMPTY, 2.0, evidence, policy.failureTest().bound()).credibility())
                .isCloseTo(0.279354, within(1e-6));
        // a spoofer reporting perfect health while 2.6 times slower than it says: its health counts 0
        TestStats spoofer = TestStats.newcomer(T0).jobs(30, 0, T0).timeToEstimateRatio(new Moments(30, 2.6, 0.1)).build();
        ScoreBreakdown s = policy.selectionScore(Bid.of("s", 100, 1000), spoofer, 0.9, 1.0, auction(null));
        assertThat(s.component("health")).isZero();
        assertThat(s.component("credibility")).isZero();
        // time scored on 2.6 × 1000 ms against the median 1000: 1 / 3.6
        assertThat(s.component("time")).isCloseTo(1 / 3.6, within(1e-12));
    }

}
