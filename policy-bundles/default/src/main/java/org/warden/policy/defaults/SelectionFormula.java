package org.warden.policy.defaults;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.warden.api.Bid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.WorkerStatistics;

/**
 * Selection score of a bid: the seed's weighted sum of reputation, health, bid and time, except that the
 * bid and the time are judged against the auction's medians. The seed's 1/(amount + 1) makes every
 * realistic amount (10^18 base units and more) score 0, so it could not tell two bids apart; relative to
 * the median, a bid at the median scores 1/2, half of it 2/3, twice it 1/3, whatever the currency's unit.
 *
 * <p>Knowing the bidder's statistics (what the engine passes), two claims are weighed by the worker's record
 * and new identities are kept to a share of the jobs: see {@link #score(Bid, WorkerStatistics, double, double,
 * AuctionContext)}.
 */
final class SelectionFormula {
    /** 2^32, to map a 32-bit hash onto [0, 1). */
    private static final double TWO_TO_32 = 4_294_967_296.0;

    /**
     * What a bidder on probation keeps of its score: a thousandth, under every other bidder's (the least favoured
     * scores half of its score, and a score under 0.002 needs every term near 0), so it gets a job only when no
     * other eligible worker bid, yet probation bidders still rank among themselves.
     */
    static final double PROBATION_SCALE = 0.001;

    private final DefaultPolicySettings s;

    SelectionFormula(DefaultPolicySettings settings) {
        this.s = settings;
    }

    ScoreBreakdown score(Bid bid, double reputation, double health, AuctionContext auction) {
        return weigh(reputation, health, bidScore(bid.amount(), auction.medianAmount()),
                timeScore(bid.estimatedCompletionMs(), auction.medianEstimateMs()));
    }

    /**
     * The score knowing the bidder's record:
     * <ul>
     * <li>Claims are weighed by how well the worker kept them. Its reported health counts times its
     * {@link ReputationFormula#keepsEstimates} term (1 when its jobs finish within its own estimates, 1/3 when
     * they take three times as long), and its estimate is stretched by the same observed ratio before it is
     * scored: a worker that reports perfect health and promises to be fast, then is slow or times out, gains
     * nothing from saying so.</li>
     * <li>Vetting: in a job reserved for exploration ({@link #isExplorationJob}) every worker still in vetting
     * outranks every vetted one; in every other job the reverse (the favoured side scores 0.5 + 0.5·score, the
     * other 0.5·score). New identities, whitewashers' included, so take about {@code explorationShare} of the
     * jobs until vetted, whatever their per-bid scores, and a job is never left without a winner because its
     * only bidders are new.</li>
     * <li>Probation: a worker let back at the threshold ({@link #onProbation}) scores {@link #PROBATION_SCALE} of its
     * score, under every other bidder.</li>
     * </ul>
     */
    ScoreBreakdown score(Bid bid, WorkerStatistics stats, double reputation, double health, AuctionContext auction) {
        double kept = ReputationFormula.keepsEstimates(stats);
        double credibility = stats.timeToEstimateRatio().count() == 0 ? 1 : kept;
        double stretched = credibility >= 1 ? bid.estimatedCompletionMs()
                : Math.min(Long.MAX_VALUE / 2.0, bid.estimatedCompletionMs() / credibility);
        ScoreBreakdown base = weigh(reputation, health * credibility, bidScore(bid.amount(), auction.medianAmount()),
                timeScore(stretched, auction.medianEstimateMs()));
        boolean vetted = isVetted(stats);
        boolean favoured = vetted != isExplorationJob(auction.jobId());
        boolean probation = onProbation(reputation);
        double score = probation ? PROBATION_SCALE * base.score()
                : Scores.unit(favoured ? 0.5 + 0.5 * base.score() : 0.5 * base.score());
        List<ScoreComponent> terms = new ArrayList<>(base.components());
        terms.add(new ScoreComponent("credibility", credibility, 0));
        terms.add(new ScoreComponent("vetted", vetted ? 1 : 0, 0));
        terms.add(new ScoreComponent("favoured", favoured ? 1 : 0, 0));
        terms.add(new ScoreComponent("probation", probation ? 1 : 0, 0));
        return new ScoreBreakdown(score, terms);
    }

    private ScoreBreakdown weigh(double reputation, double health, double bidScore, double timeScore) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("reputation", reputation, s.selectionReputationWeight()),
                new ScoreComponent("health", health, s.selectionHealthWeight()),
                new ScoreComponent("bid", bidScore, s.selectionBidWeight()),
                new ScoreComponent("time", timeScore, s.selectionTimeWeight()));
        return new ScoreBreakdown(Scores.unit(Scores.weightedMean(terms)), terms);
    }

    /**
     * On probation: a reputation at exactly the threshold, where {@link ReputationFormula} lets back a worker that
     * failures alone had put under it (a worker whose record puts it exactly there is treated alike: it is the least
     * eligible worker either way).
     */
    boolean onProbation(double reputation) {
        return reputation == s.minReputationThreshold();
    }

    /** Vetted: at least {@code vettingJobs} judged jobs (completed + failed) in its lifetime. */
    boolean isVetted(WorkerStatistics stats) {
        return stats.jobsCompleted() + stats.jobsFailed() >= s.vettingJobs();
    }

    /**
     * Whether a job is reserved for exploration: its id's {@code hashCode()}, mixed by MurmurHash3's finaliser
     * (so sequential ids spread evenly) and mapped onto [0, 1), falls below {@code explorationShare}.
     * Deterministic per job id; a ranking without a job id is not an exploration.
     */
    boolean isExplorationJob(String jobId) {
        return jobId != null && s.explorationShare() > 0 && jobPosition(jobId) < s.explorationShare();
    }

    /** Where a job id falls in [0, 1). */
    static double jobPosition(String jobId) {
        int h = jobId.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h & 0xffff_ffffL) / TWO_TO_32;
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
    static double timeScore(double estimateMs, long medianEstimateMs) {
        double scale = medianEstimateMs > 0 ? medianEstimateMs : 1;
        return Scores.inverse(estimateMs / scale);
    }
}
