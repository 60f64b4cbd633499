package org.warden.policy.bayesian;

import java.math.BigInteger;
import java.util.List;

import org.warden.api.Bid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.WorkerStatistics;

/**
 * The selection score: the bidders of an auction fall into two tiers, vetted and new, and every bidder of the
 * preferred tier scores above every bidder of the other, so new identities take about {@code explorationShare} of
 * the jobs however many of them bid, and no more (the whitewasher's cap), unless no vetted worker bids.
 *
 * <ul>
 * <li>In a job reserved for exploration ({@link BayesianPolicy#isExplorationJob}) new bidders are preferred; in
 * every other job (and without a job id) vetted ones. The preferred tier scores {@code 0.5 + 0.5·within}, the
 * other {@code 0.5·within}, with {@code within} in [0, 1].</li>
 * <li>Within the vetted tier: the base score, reputation 0.5, health 0.2, bid 0.2, time 0.1.</li>
 * <li>Within the new tier: the base score with the reputation replaced by the posterior mean × vetting progress
 * (judged jobs / vettingJobs, at most 1). Every newcomer's reputation is lifted to the same floor while in vetting,
 * so without this the cheapest would win; with it, the newcomer closest to vetting with the better record goes
 * first, which vets honest newcomers sooner and gives a fresh identity (a whitewasher's) the last place.</li>
 * <li>The credibility of the bidder's claims ({@link Claims}) scales the health term, and its estimate is multiplied
 * by its observed slowness before it is scored: a health spoofer or a bidder that underestimates gains nothing by
 * it.</li>
 * </ul>
 */
final class TieredSelection {
    /** Weights of the base score: reputation, health, bid, time. */
    static final double REPUTATION_WEIGHT = 0.5;
    static final double HEALTH_WEIGHT = 0.2;
    static final double BID_WEIGHT = 0.2;
    static final double TIME_WEIGHT = 0.1;

    private final BayesianPolicy policy;

    TieredSelection(BayesianPolicy policy) {
        this.policy = policy;
    }

    ScoreBreakdown score(Bid bid, WorkerStatistics stats, double reputation, double health, AuctionContext auction) {
        boolean isNew = policy.isNew(stats);
        Claims claims = policy.claims(stats);
        double standing = reputation;
        if (isNew) {
            int vetting = policy.settings().vettingJobs();
            double progress = vetting == 0 ? 1 : Math.min(1, (double) BayesianPolicy.judgedJobs(stats) / vetting);
            standing = policy.posteriorMean(stats) * progress;
        }
        ScoreBreakdown within = base(bid, standing, health, claims, auction);
        boolean preferred = isNew == policy.isExplorationJob(auction.jobId());
        double score = BayesianPolicy.unit(preferred ? 0.5 + 0.5 * within.score() : 0.5 * within.score());
        List<ScoreComponent> terms = new java.util.ArrayList<>(within.components());
        terms.add(new ScoreComponent("credibility", claims.credibility(), 0));
        terms.add(new ScoreComponent(isNew ? "tierNew" : "tierVetted", preferred ? 1 : 0, 0));
        return new ScoreBreakdown(score, terms);
    }

    /**
     * The weighted mean of reputation, credible health (health × credibility), bid 1 / (1 + amount / median) and
     * time 1 / (1 + estimate × estimateFactor / median), medians of 0 taken as 1.
     */
    static ScoreBreakdown base(Bid bid, double reputation, double health, Claims claims, AuctionContext auction) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("reputation", reputation, REPUTATION_WEIGHT),
                new ScoreComponent("health", health * claims.credibility(), HEALTH_WEIGHT),
                new ScoreComponent("bid", bidScore(bid.amount(), auction.medianAmount()), BID_WEIGHT),
                new ScoreComponent("time", timeScore(bid.estimatedCompletionMs() * claims.estimateFactor(),
                        auction.medianEstimateMs()), TIME_WEIGHT));
        return new ScoreBreakdown(BayesianPolicy.unit(weightedMean(terms)), terms);
    }

    /** 1 / (1 + amount / median), the median taken as 1 when it is 0. */
    static double bidScore(BigInteger amount, BigInteger medianAmount) {
        double scale = medianAmount.signum() > 0 ? medianAmount.doubleValue() : 1;
        return 1 / (1 + amount.doubleValue() / scale);
    }

    /** 1 / (1 + estimate / median), the median taken as 1 ms when it is 0. */
    static double timeScore(double estimateMs, long medianEstimateMs) {
        double scale = medianEstimateMs > 0 ? medianEstimateMs : 1;
        return 1 / (1 + estimateMs / scale);
    }

    static double weightedMean(List<ScoreComponent> terms) {
        double weighted = 0;
        double weights = 0;
        for (ScoreComponent t : terms) {
            weighted += t.weight() * t.value();
            weights += t.weight();
        }
        return weighted / weights;
    }
}
