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
        // binomial(10 000, 0.1): sd 30; ±150 is five of them
        assertThat(reserved).isBetween(850, 1150);
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
    void inAnExplorationJobEveryNewBidderRanksAboveEveryVettedOne() {
        TestStats newcomer = TestStats.newcomer(T0).jobs(2, 0, T0).build();
        TestStats veteran = TestStats.newcomer(T0).jobs(1000, 0, T0).build();
        double newRep = policy.reputation(newcomer, T0).score(); // 0.6
        double vetRep = policy.reputation(veteran, T0).score(); // 0.997
        AuctionContext explore = auction(job(true));
        // the newcomer asks twice the median and is slow and unhealthy; the veteran is perfect
        ScoreBreakdown n = policy.selectionScore(Bid.of("n", 200, 4000), newcomer, newRep, 0.1, explore);
        ScoreBreakdown v = policy.selectionScore(Bid.of("v", 0, 0), veteran, vetRep, 1, explore);
        double nBase = policy.selectionScore(Bid.of("n", 200, 4000), newRep, 0.1, explore).score();
        double vBase = policy.selectionScore(Bid.of("v", 0, 0), vetRep, 1, explore).score();
        assertThat(n.score()).isCloseTo(0.5 + 0.5 * nBase, within(1e-15));
        assertThat(v.score()).isCloseTo(0.5 * vBase, within(1e-15));
        assertThat(n.score()).isGreaterThan(v.score());
        assertThat(n.component("explorationNew")).isEqualTo(n.score());

        // in any other job both score their base and the veteran wins
        AuctionContext usual = auction(job(false));
        ScoreBreakdown n2 = policy.selectionScore(Bid.of("n", 200, 4000), newcomer, newRep, 0.1, usual);
        ScoreBreakdown v2 = policy.selectionScore(Bid.of("v", 0, 0), veteran, vetRep, 1, usual);
        assertThat(n2).isEqualTo(policy.selectionScore(Bid.of("n", 200, 4000), newRep, 0.1, usual));
        assertThat(v2.score()).isGreaterThan(n2.score());
        // and without a job id there is no exploration
        AuctionContext anonymous = auction(null);
        assertThat(policy.selectionScore(Bid.of("n", 200, 4000), newcomer, newRep, 0.1, anonymous))
                .isEqualTo(policy.selectionScore(Bid.of("n", 200, 4000), newRep, 0.1, anonymous));
    }
}
