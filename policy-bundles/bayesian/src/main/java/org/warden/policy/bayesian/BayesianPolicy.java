package org.warden.policy.bayesian;

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
 * <li>Lower bound: the exact quantile of the posterior at 1 − Φ(z) ({@link BetaBound}).</li>
 * <li>Failure test: Wald's sequential probability ratio test of the same counts ({@link FailureEvidence}); a worker
 * it rejects, or one whose jobs run far slower than it estimates while it fails more than an acceptable worker, is
 * suspended (reputation 0) whether vetted or not.</li>
 * <li>Reputation: the lower bound; for a worker still in vetting, at least {@code suspensionThreshold}, so the
 * single eligibility threshold ({@code suspensionThreshold}) suspends only vetted workers.</li>
 * <li>Auto-ban: posterior mean below {@code banThreshold} after {@code banMinJobs} judged jobs, or
 * {@code banMaliciousReports} malicious reports.</li>
 * <li>Selection: vetted and unvetted bidders in two tiers ({@link TieredSelection}).</li>
 * </ul>
 */
public final class BayesianPolicy implements WardenPolicy {
    /** 2^32, to map a 32-bit hash onto [0, 1). */
    private static final double TWO_TO_32 = 4_294_967_296.0;

    /** Observations of the actual-to-estimated time ratio needed before slowness can suspend a worker. */
    static final long MIN_RATIO_SAMPLES = 3;

    private final BayesianPolicySettings settings;
    private final BetaBound bound;
    private final FailureEvidence failureTest;
    private final TieredSelection selection;

    public BayesianPolicy(BayesianPolicySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.bound = BetaBound.ofZ(settings.confidenceZ());
        this.failureTest = FailureEvidence.of(settings.acceptableSuccessRate(), settings.failingSuccessRate(),
                settings.falseSuspensionRate());
        this.selection = new TieredSelection(this);
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
     * @param lowerBound the quantile of Beta(α, β) at 1 − Φ(z)
     */
    public record Posterior(double alpha, double beta, double mean, double lowerBound) {
    }

    /** The posterior after {@code successes} and {@code failures} (decayed counts, &ge; 0). */
    public Posterior posterior(double successes, double failures) {
        double a = settings.priorAlpha() + Math.max(0, successes);
        double b = settings.priorBeta() + Math.max(0, failures);
        return new Posterior(a, b, a / (a + b), bound.lowerBound(a, b));
    }

    /** The posterior of a worker, from its counts decayed at the forgetting horizon. */
    public Posterior posterior(WorkerStatistics stats) {
        return posterior(stats.decayedSuccesses(settings.forgettingHorizon()),
                stats.decayedFailures(settings.forgettingHorizon()));
    }

    /** The posterior mean of a worker, without its bound (cheap: no quantile). */
    double posteriorMean(WorkerStatistics stats) {
        double a = settings.priorAlpha() + Math.max(0, stats.decayedSuccesses(settings.forgettingHorizon()));
        double b = settings.priorBeta() + Math.max(0, stats.decayedFailures(settings.forgettingHorizon()));
        return a / (a + b);
    }

    /** The failure test in force. */
    FailureEvidence failureTest() {
        return failureTest;
    }

    /** The failure test's log-likelihood ratio of the worker's counts decayed at the forgetting horizon. */
    double failureEvidence(WorkerStatistics stats) {
        return failureTest.logLikelihoodRatio(stats.decayedSuccesses(settings.forgettingHorizon()),
                stats.decayedFailures(settings.forgettingHorizon()));
    }

    /**
     * Whether the worker is suspended for failing, vetted or not: the failure test rejects "acceptable" on its
     * record, or its jobs run on average at least {@code maxTimeToEstimateRatio} times its own estimates (over at
     * least {@value #MIN_RATIO_SAMPLES} jobs) while its record leans towards failing (ratio above 0). The second
     * rule catches a worker that underestimates to win bids and then times out, within a few jobs. The counts decay,
     * so a suspension lifts by itself once the evidence has faded below the bound.
     */
    boolean failing(WorkerStatistics stats) {
        double evidence = failureEvidence(stats);
        if (evidence >= failureTest.bound()) {
            return true;
        }
        var ratio = stats.timeToEstimateRatio();
        return evidence > 0 && ratio.count() >= MIN_RATIO_SAMPLES && ratio.mean() >= settings.maxTimeToEstimateRatio();
    }

    /** How far the worker's health reports and estimates are believed. */
    Claims claims(WorkerStatistics stats) {
        return Claims.of(stats, settings.maxTimeToEstimateRatio(), failureEvidence(stats), failureTest.bound());
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
        return new ScoreBreakdown(unit(TieredSelection.weightedMean(terms)), terms);
    }

    @Override
    public double healthyThreshold() {
        return settings.healthyThreshold();
    }

    /**
     * The lower bound of the posterior; for a worker in vetting at least {@code suspensionThreshold}; 0 for a worker
     * suspended for failing ({@link #failing}). Components: {@code lowerBound} (weight 1), {@code posteriorMean},
     * {@code alpha}, {@code beta}, {@code vetted} (1 or 0) and {@code failing} (1 or 0), the others with weight 0.
     */
    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        Posterior p = posterior(stats);
        boolean isNew = isNew(stats);
        boolean failing = failing(stats);
        double score = failing ? 0
                : isNew ? Math.max(p.lowerBound(), settings.suspensionThreshold()) : p.lowerBound();
        return new ScoreBreakdown(score, List.of(
                new ScoreComponent("lowerBound", p.lowerBound(), 1),
                new ScoreComponent("posteriorMean", p.mean(), 0),
                new ScoreComponent("alpha", p.alpha(), 0),
                new ScoreComponent("beta", p.beta(), 0),
                new ScoreComponent("vetted", isNew ? 0 : 1, 0),
                new ScoreComponent("failing", failing ? 1 : 0, 0)));
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
     * Selection score without the bidder's statistics: the base score of {@link TieredSelection}, reputation 0.5,
     * health 0.2, bid 0.2, time 0.1, bid and time relative to the auction's medians. The engine calls the
     * five-argument form, which adds the tiers and the claims' credibility.
     */
    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        return TieredSelection.base(bid, reputation, health, Claims.BELIEVED, auction);
    }

    /** Selection score with the vetting tiers and the credibility of the bidder's claims: see {@link TieredSelection}. */
    @Override
    public ScoreBreakdown selectionScore(Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        return selection.score(bid, stats, reputation, health, auction);
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
