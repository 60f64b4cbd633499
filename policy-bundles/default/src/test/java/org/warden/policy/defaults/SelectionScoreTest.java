package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;

class SelectionScoreTest {
    private static final BigInteger MAX_AMOUNT = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private final DefaultPolicy policy = new DefaultPolicy(DefaultPolicySettings.SEED);

    private static AuctionContext auction(BigInteger median, long medianEstimateMs) {
        return new AuctionContext(3, BigInteger.ONE, median, 1, medianEstimateMs);
    }

    @Test
    void handComputedScore() {
        // bid and time at the auction's medians score 1/2 each:
        // 0.35 * 0.8 + 0.25 * 0.9 + 0.25 * 0.5 + 0.15 * 0.5 = 0.28 + 0.225 + 0.125 + 0.075 = 0.705
        ScoreBreakdown s = policy.selectionScore(Bid.of("w", 5_000, 2_000), 0.8, 0.9,
                auction(BigInteger.valueOf(5_000), 2_000));
        assertThat(s.score()).isCloseTo(0.705, within(1e-12));
        assertThat(s.components()).containsExactly(
                new ScoreComponent("reputation", 0.8, 0.35),
                new ScoreComponent("health", 0.9, 0.25),
                new ScoreComponent("bid", 0.5, 0.25),
                new ScoreComponent("time", 0.5, 0.15));
    }

    @Test
    void aHugeBidAloneInItsAuctionScoresOneHalf() {
        BigInteger amount = BigInteger.TEN.pow(20);
        AuctionContext alone = new AuctionContext(1, amount, amount, 1_000, 1_000);
        ScoreBreakdown s = policy.selectionScore(new Bid("w", amount, 1_000), 0.5, 0.5, alone);
        assertThat(s.component("bid")).isEqualTo(0.5);
    }

    @Test
    void theLargestAmountIsScored() {
        ScoreBreakdown cheapMedian = policy.selectionScore(new Bid("w", MAX_AMOUNT, 1_000), 0.8, 0.9,
                auction(BigInteger.ONE, 1_000));
        // 1 / (1 + (2^128 - 1)): tiny but a number, and the rest of the score still counts
        assertThat(cheapMedian.component("bid")).isGreaterThan(0).isCloseTo(Math.pow(2, -128), within(1e-45));
        assertThat(cheapMedian.score()).isCloseTo((0.35 * 0.8 + 0.25 * 0.9 + 0.15 * 0.5) / 1.0, within(1e-12));

        ScoreBreakdown atMedian = policy.selectionScore(new Bid("w", MAX_AMOUNT, 1_000), 0.8, 0.9,
                auction(MAX_AMOUNT, 1_000));
        assertThat(atMedian.component("bid")).isEqualTo(0.5);
    }

    @Test
    void aZeroMedianAmountMeansOneBaseUnit() {
        ScoreBreakdown free = policy.selectionScore(Bid.of("w", 0, 1_000), 0.5, 0.5,
                auction(BigInteger.ZERO, 1_000));
        ScoreBreakdown three = policy.selectionScore(Bid.of("w", 3, 1_000), 0.5, 0.5,
                auction(BigInteger.ZERO, 1_000));
        assertThat(free.component("bid")).isEqualTo(1.0);
        assertThat(three.component("bid")).isEqualTo(0.25);
    }

    @Test
    void anEstimateOfZeroScoresOne() {
        assertThat(policy.selectionScore(Bid.of("w", 10, 0), 0.5, 0.5, auction(BigInteger.TEN, 5_000))
                .component("time")).isEqualTo(1.0);
        // every estimate 0: the median is 0, taken as 1 ms
        assertThat(policy.selectionScore(Bid.of("w", 10, 0), 0.5, 0.5, auction(BigInteger.TEN, 0))
                .component("time")).isEqualTo(1.0);
    }

    @Test
    void timeIsJudgedAgainstTheMedianEstimate() {
        ScoreBreakdown twiceAsLong = policy.selectionScore(Bid.of("w", 10, 4_000), 0.5, 0.5,
                auction(BigInteger.TEN, 2_000));
        assertThat(twiceAsLong.component("time")).isCloseTo(1.0 / 3, within(1e-15));
    }

    @Test
    void lowerBidsRankAboveHigherBids() {
        AuctionContext auction = auction(BigInteger.valueOf(150), 1_000);
        double cheap = policy.selectionScore(Bid.of("a", 100, 1_000), 0.7, 0.7, auction).score();
        double dear = policy.selectionScore(Bid.of("b", 200, 1_000), 0.7, 0.7, auction).score();
        double dearest = policy.selectionScore(new Bid("c", MAX_AMOUNT, 1_000), 0.7, 0.7, auction).score();
        assertThat(cheap).isGreaterThan(dear);
        assertThat(dear).isGreaterThan(dearest);
    }

    @Test
    void fasterBidsRankAboveSlowerBids() {
        AuctionContext auction = auction(BigInteger.valueOf(100), 1_000);
        double fast = policy.selectionScore(Bid.of("a", 100, 500), 0.7, 0.7, auction).score();
        double slow = policy.selectionScore(Bid.of("b", 100, 1_500), 0.7, 0.7, auction).score();
        assertThat(fast).isGreaterThan(slow);
    }

    @Test
    void weightsComeFromTheSettingsAndAreRenormalised() {
        DefaultPolicy onlyReputation = Configs.policy(Map.of("selectionReputationWeight", 2.0,
                "selectionHealthWeight", 0.0, "selectionBidWeight", 0.0, "selectionTimeWeight", 0.0));
        ScoreBreakdown s = onlyReputation.selectionScore(Bid.of("w", 1, 1), 0.42, 0.9,
                auction(BigInteger.TEN, 1_000));
        assertThat(s.score()).isCloseTo(0.42, within(1e-15));
        assertThat(s.components()).extracting(ScoreComponent::weight).containsExactly(2.0, 0.0, 0.0, 0.0);
    }
}
