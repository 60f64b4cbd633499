package org.warden.policy.defaults;

import java.math.BigInteger;
import java.util.List;

import org.warden.api.Bid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;

/**
 * Selection score of a bid: the seed's weighted sum of reputation, health, bid and time, except that the
 * bid and the time are judged against the auction's medians. The seed's 1/(amount + 1) makes every
 * realistic amount (10^18 base units and more) score 0, so it could not tell two bids apart; relative to
 * the median, a bid at the median scores 1/2, half of it 2/3, twice it 1/3, whatever the currency's unit.
 */
final class SelectionFormula {
    private final DefaultPolicySettings s;

    SelectionFormula(DefaultPolicySettings settings) {
        this.s = settings;
    }

    ScoreBreakdown score(Bid bid, double reputation, double health, AuctionContext auction) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("reputation", reputation, s.selectionReputationWeight()),
                new ScoreComponent("health", health, s.selectionHealthWeight()),
                new ScoreComponent("bid", bidScore(bid.amount(), auction.medianAmount()), s.selectionBidWeight()),
                new ScoreComponent("time", timeScore(bid.estimatedCompletionMs(), auction.medianEstimateMs()),
                        s.selectionTimeWeight()));
        return new ScoreBreakdown(Scores.unit(Scores.weightedMean(terms)), terms);
    }

    /**
     * 1 / (1 + amount / median), the median taken as 1 base unit when it is 0. Amounts are below 2^128, so
     * their doubles are finite (about 3.4e38 at most) and exact to 16 digits: enough for a score.
     */
    static double bidScore(BigInteger amount, BigInteger medianAmount) {
        double scale = medianAmount.signum() > 0 ? medianAmount.doubleValue() : 1;
        return Scores.inverse(amount.doubleValue() / scale);
    }

    /** 1 / (1 + estimate / median), the median taken as 1 ms when it is 0: an estimate of 0 ms scores 1. */
    static double timeScore(long estimateMs, long medianEstimateMs) {
        double scale = medianEstimateMs > 0 ? medianEstimateMs : 1;
        return Scores.inverse(estimateMs / scale);
    }
}
