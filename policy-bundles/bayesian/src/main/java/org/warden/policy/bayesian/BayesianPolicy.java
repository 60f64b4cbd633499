package org.warden.policy.bayesian;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * The Bayesian policy as a plain Java object: immutable, so thread-safe, and usable without OSGi
 * ({@code new BayesianPolicy(BayesianPolicySettings.DEFAULTS)}). See the module's README for the model.
 *
 * <ul>
 * <li>Posterior: Beta(α, β) with α = priorAlpha + decayed successes, β = priorBeta + decayed failures, both
 * decayed at {@code forgettingHorizon}.</li>
 * <li>Lower bound: mean − z·sd (normal approximation), clamped to [0, 1].</li>
 * <li>Reputation: the lower bound; for a worker still in vetting, at least {@code suspensionThreshold}, so the
 * single eligibility threshold ({@code suspensionThreshold}) suspends only vetted workers.</li>
 * <li>Auto-ban: posterior mean below {@code banThreshold} after {@code banMinJobs} judged jobs, or
 * {@code banMaliciousReports} malicious reports.</li>
 * </ul>
 */
public final class BayesianPolicy implements WardenPolicy {
    /** Selection weights: reputation, health, bid, time. */
    static final double REPUTATION_WEIGHT = 0.5;
    static final double HEALTH_WEIGHT = 0.2;
    static final double BID_WEIGHT = 0.2;
    static final double TIME_WEIGHT = 0.1;

    /** 2^32, to map a 32-bit hash onto [0, 1). */
    private static final double TWO_TO_32 = 4_294_967_296.0;

    private final BayesianPolicySettings settings;

    public BayesianPolicy(BayesianPolicySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The settings this policy judges by. */
    public BayesianPolicySettings settings() {
        return settings;
    }

    /**
     * A Beta posterior.
     *
     * @param alpha      α, &gt; 0
     * @param beta       β, &gt; 0
     * @param mean       α / (α + β)
     * @param lowerBound mean − z·sqrt(αβ / ((α+β)²(α+β+1))), clamped to [0, 1]
     */
    public record Posterior(double alpha, double beta, double mean, double lowerBound) {
    }

    /** The posterior after {@code successes} and {@code failures} (decayed counts, &ge; 0). */
    public Posterior posterior(double successes, double failures) {
        double a = settings.priorAlpha() + Math.max(0, successes);
        double b = settings.priorBeta() + Math.max(0, failures);
        double n = a + b;
        double mean = a / n;
        // αβ/((α+β)²(α+β+1)) written as mean·(1 − mean)/(α+β+1): the same, without squaring large counts
        double variance = mean * (1 - mean) / (n + 1);
        double bound = unit(mean - settings.confidenceZ() * Math.sqrt(variance));
        return new Posterior(a, b, mean, bound);
    }

    /** The posterior of a worker, from its counts decayed at the forgetting horizon. */
    public Posterior posterior(WorkerStatistics stats) {
        return posterior(stats.decayedSuccesses(settings.forgettingHorizon()),
                stats.decayedFailures(settings.forgettingHorizon()));
    }

    /** Judged jobs, lifetime: completed + failed. */
    static long judgedJobs(WorkerStatistics stats) {
        return stats.jobsCompleted() + stats.jobsFailed();
    }

    /**
     * Whether the worker is still in vetting: fewer than {@code vettingJobs} judged jobs in its lifetime, or
     * (re-vetting) fewer than {@code vettingJobs} jobs of evidence left in the posterior once the old ones
     * have faded. Without the second rule a vetted worker that stays idle would see its posterior fall back to
     * the prior, whose lower bound is far below the suspension threshold, and be suspended for good.
     */
    public boolean isNew(WorkerStatistics stats) {
        int n = settings.vettingJobs();
        if (judgedJobs(stats) < n) {
            return true;
        }
        double evidence = stats.decayedSuccesses(settings.forgettingHorizon())
                + stats.decayedFailures(settings.forgettingHorizon());
        return evidence < n;
    }

    /**
     * Whether a job is reserved for exploration: its id's {@code hashCode()}, mixed (MurmurHash3's finaliser,
     * so sequential ids spread evenly) and mapped onto [0, 1), falls below {@code explorationShare}.
     * Deterministic: the same job id always gives the same answer. No job id, no exploration.
     */
    public boolean isExplorationJob(String jobId) {
        if (jobId == null || settings.explorationShare() <= 0) {
            return false;
        }
        return jobPosition(jobId) < settings.explorationShare();
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

    @Override
    public ScoreBreakdown healthScore(HealthMetrics m) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("cpu", 1 - m.cpuUsagePercent() / 100, 0.25),
                new ScoreComponent("memory", 1 - m.memoryUsagePercent() / 100, 0.25),
                new ScoreComponent("disk", 1 - m.diskUsagePercent() / 100, 0.25),
                new ScoreComponent("errors", 1.0 / (1 + m.errorCount()), 0.25));
        return new ScoreBreakdown(unit(weightedMean(terms)), terms);
    }

    @Override
    public double healthyThreshold() {
        return settings.healthyThreshold();
    }

    /**
     * The lower bound of the posterior; for a worker in vetting at least {@code suspensionThreshold}.
     * Components: {@code lowerBound} (weight 1), {@code posteriorMean}, {@code alpha}, {@code beta} and
     * {@code vetted} (1 or 0), the last four with weight 0.
     */
    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        Posterior p = posterior(stats);
        boolean isNew = isNew(stats);
        double score = isNew ? Math.max(p.lowerBound(), settings.suspensionThreshold()) : p.lowerBound();
        return new ScoreBreakdown(score, List.of(
                new ScoreComponent("lowerBound", p.lowerBound(), 1),
                new ScoreComponent("posteriorMean", p.mean(), 0),
                new ScoreComponent("alpha", p.alpha(), 0),
                new ScoreComponent("beta", p.beta(), 0),
                new ScoreComponent("vetted", isNew ? 0 : 1, 0)));
    }

    /** {@code suspensionThreshold}: a vetted worker whose lower bound is below it is suspended. */
    @Override
    public double eligibilityThreshold() {
        return settings.suspensionThreshold();
    }

    /** JOB_TIMEOUT 0.8, MALICIOUS_BEHAVIOR and BAN 1.0, the others 0.5. */
    @Override
    public double defaultSeverity(PenaltyType type) {
        return switch (type) {
            case JOB_TIMEOUT -> 0.8;
            case MALICIOUS_BEHAVIOR, BAN -> 1.0;
            default -> 0.5;
        };
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        if (stats.currentBan() != null) {
            return Optional.empty();
        }
        int reports = settings.banMaliciousReports();
        if (reports > 0 && stats.maliciousReports() >= reports) {
            return Optional.of(ban(stats.maliciousReports() + " malicious behaviour report(s), the bayesian "
                    + "policy bans at " + reports));
        }
        long judged = judgedJobs(stats);
        if (judged >= settings.banMinJobs()) {
            Posterior p = posterior(stats);
            if (p.mean() < settings.banThreshold()) {
                return Optional.of(ban(String.format(java.util.Locale.ROOT,
                        "posterior mean success rate %.4f below %s after %d judged jobs (bayesian policy)",
                        p.mean(), settings.banThreshold(), judged)));
            }
        }
        return Optional.empty();
    }

    private BanDecision ban(String reason) {
        long hours = settings.banDurationHours();
        return new BanDecision(reason, hours > 0 ? Duration.ofHours(hours) : null);
    }

    /**
     * Selection score without knowing whether the bidder is new (all the SPI passes): the base score,
     * reputation 0.5, health 0.2, bid 0.2, time 0.1, bid and time relative to the auction's medians.
     * The exploration bonus needs the bidder's statistics: see
     * {@link #selectionScore(Bid, WorkerStatistics, double, double, AuctionContext)}.
     */
    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        return baseScore(bid, reputation, health, auction);
    }

    /**
     * Selection score with the exploration rule: in a job reserved for exploration
     * ({@link #isExplorationJob}), a new worker scores 0.5 + 0.5·base and a vetted one 0.5·base, so every new
     * bidder ranks above every vetted one; in other jobs both score the base.
     */
    public ScoreBreakdown selectionScore(Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        ScoreBreakdown base = baseScore(bid, reputation, health, auction);
        if (!isExplorationJob(auction.jobId())) {
            return base;
        }
        boolean isNew = isNew(stats);
        double score = unit(isNew ? 0.5 + 0.5 * base.score() : 0.5 * base.score());
        List<ScoreComponent> terms = new java.util.ArrayList<>(base.components());
        terms.add(new ScoreComponent(isNew ? "explorationNew" : "explorationVetted", score, 0));
        return new ScoreBreakdown(score, terms);
    }

    private static ScoreBreakdown baseScore(Bid bid, double reputation, double health, AuctionContext auction) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("reputation", reputation, REPUTATION_WEIGHT),
                new ScoreComponent("health", health, HEALTH_WEIGHT),
                new ScoreComponent("bid", bidScore(bid.amount(), auction.medianAmount()), BID_WEIGHT),
                new ScoreComponent("time", timeScore(bid.estimatedCompletionMs(), auction.medianEstimateMs()),
                        TIME_WEIGHT));
        return new ScoreBreakdown(unit(weightedMean(terms)), terms);
    }

    /** 1 / (1 + amount / median), the median taken as 1 when it is 0. */
    static double bidScore(BigInteger amount, BigInteger medianAmount) {
        double scale = medianAmount.signum() > 0 ? medianAmount.doubleValue() : 1;
        return 1 / (1 + amount.doubleValue() / scale);
    }

    /** 1 / (1 + estimate / median), the median taken as 1 ms when it is 0. */
    static double timeScore(long estimateMs, long medianEstimateMs) {
        double scale = medianEstimateMs > 0 ? medianEstimateMs : 1;
        return 1 / (1 + estimateMs / scale);
    }

    private static double weightedMean(List<ScoreComponent> terms) {
        double weighted = 0;
        double weights = 0;
        for (ScoreComponent t : terms) {
            weighted += t.weight() * t.value();
            weights += t.weight();
        }
        return weighted / weights;
    }

    /** Clamps into [0, 1]; NaN stays NaN (the API then refuses it and the engine counts a fault). */
    static double unit(double value) {
        return value < 0 ? 0 : value > 1 ? 1 : value;
    }

    @Override
    public String toString() {
        return "BayesianPolicy" + settings;
    }
}
