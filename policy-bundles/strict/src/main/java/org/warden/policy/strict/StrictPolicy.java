package org.warden.policy.strict;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.NetworkStatistics;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * The strict policy as a plain Java object: outlier ejection in the style of Envoy's outlier detection, a pure
 * function of the statistics. Immutable, so thread-safe; usable without OSGi
 * ({@code new StrictPolicy(StrictPolicySettings.DEFAULTS)}).
 *
 * <ul>
 * <li>Ejection (auto-ban), none while a ban is in force: malicious reports (without end); otherwise only on
 * significant evidence, Wald's sequential probability ratio test of the worker's run of failures and of its last
 * day's counts (acceptable rate against a broken one, scaled down when the whole network fails). A timed
 * ejection lasts {@code base × (banCount + 1)}, capped.</li>
 * <li>Reputation: the last-day success rate, Laplace-smoothed, times a failure-streak factor that fades with idle
 * time; capped at {@code probationCap} while a once-banned worker has fewer than {@code probationJobs} successes
 * in a row.</li>
 * </ul>
 */
public final class StrictPolicy implements WardenPolicy {
    /** Selection weights: reputation first, then health and the amount, then the time. */
    static final double SELECTION_REPUTATION_WEIGHT = 0.5;
    static final double SELECTION_HEALTH_WEIGHT = 0.2;
    static final double SELECTION_BID_WEIGHT = 0.2;
    static final double SELECTION_TIME_WEIGHT = 0.1;

    /** Most a failure streak takes off the reputation: half, reached at {@code consecutiveFailures}. */
    static final double MAX_STREAK_PENALTY = 0.5;

    private final StrictPolicySettings s;

    public StrictPolicy(StrictPolicySettings settings) {
        this.s = Objects.requireNonNull(settings, "settings");
    }

    /** The settings this policy judges by. */
    public StrictPolicySettings settings() {
        return s;
    }

    // ---------------------------------------------------------------- health

    /** Equal-weight mean of the free share of CPU, memory and disk, and 1 / (1 + errors). */
    @Override
    public ScoreBreakdown healthScore(HealthMetrics m) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("cpu", 1 - m.cpuUsagePercent() / 100, 1),
                new ScoreComponent("memory", 1 - m.memoryUsagePercent() / 100, 1),
                new ScoreComponent("disk", 1 - m.diskUsagePercent() / 100, 1),
                new ScoreComponent("errors", 1.0 / (1 + m.errorCount()), 1));
        return new ScoreBreakdown(unit(mean(terms)), terms);
    }

    @Override
    public double healthyThreshold() {
        return s.healthyThreshold();
    }

    // ---------------------------------------------------------------- reputation

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        // The network decides ejections, not the reputation: judged alone either way.
        return reputation(stats, now);
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        double rate = smoothedRate(stats);
        double streak = streakFactor(stats, now);
        double raw = rate * streak;
        boolean probation = onProbation(stats);
        double score = unit(probation ? Math.min(raw, s.probationCap()) : raw);
        return new ScoreBreakdown(score, List.of(
                new ScoreComponent("successRate", rate, 1),
                new ScoreComponent("streak", streak, 0),
                new ScoreComponent("probation", probation ? s.probationCap() : 1, 0)));
    }

    /** Laplace's rule over the last day's decayed counts: (s + 1) / (s + f + 2); 0.5 for a newcomer. */
    static double smoothedRate(WorkerStatistics stats) {
        double ok = stats.decayedSuccesses(Horizon.DAY);
        double ko = stats.decayedFailures(Horizon.DAY);
        return (ok + 1) / (ok + ko + 2);
    }

    /**
     * 1 − 0.5 × min(streak, consecutiveFailures) / consecutiveFailures × exp(−idle / baseEjectionTime): each
     * failure in a row costs up to half the reputation at the ejection threshold, and the cost fades as time
     * passes without a job (idle time from the latest job), so a worker kept out by its reputation is not kept out
     * for ever (it has no job that could reset its streak).
     */
    double streakFactor(WorkerStatistics stats, Instant now) {
        int streak = Math.min(stats.consecutiveFailures(), s.consecutiveFailures());
        if (streak <= 0) {
            return 1;
        }
        double fade = 1;
        if (stats.lastJobAt() != null) {
            Duration idle = Duration.between(stats.lastJobAt(), now);
            double idleSeconds = Math.max(0, idle.getSeconds() + idle.getNano() / 1e9);
            fade = Math.exp(-idleSeconds / s.baseEjectionTime().getSeconds());
        }
        return 1 - MAX_STREAK_PENALTY * streak / s.consecutiveFailures() * fade;
    }

    /**
     * On probation: banned before (banCount &gt; 0), no ban in force, and fewer than {@code probationJobs}
     * successes in a row. The statistics keep no end time of past bans, so probation is counted in clean jobs
     * since the latest failure, not in time since the ban: any failure restarts it.
     */
    boolean onProbation(WorkerStatistics stats) {
        return s.probationJobs() > 0 && stats.banCount() > 0 && stats.currentBan() == null
                && stats.consecutiveSuccesses() < s.probationJobs();
    }

    @Override
    public double eligibilityThreshold() {
        return s.minReputation();
    }

    // ---------------------------------------------------------------- penalties and ejection

    @Override
    public double defaultSeverity(PenaltyType type) {
        return switch (type) {
            case JOB_TIMEOUT -> 0.8;
            case MALICIOUS_BEHAVIOR, BAN -> 1.0;
            default -> 0.5;
        };
    }

    /** Without network figures: the test against the configured rates only. */
    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        return autoBan(stats, NetworkStatistics.EMPTY, now);
    }

    /**
     * Malice bans without end; otherwise the worker is ejected only when Wald's test (see {@link FailureEvidence})
     * rejects "its success rate is acceptable", either on its current run of failures alone (a worker that has
     * just died, whatever its good day before) or on its last day's decayed counts (a worker that fails too often).
     */
    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        if (stats.currentBan() != null) {
            return Optional.empty();
        }
        if (stats.maliciousReports() >= s.maliciousReports()) {
            return Optional.of(new BanDecision(String.format(Locale.ROOT,
                    "strict: malicious behaviour, %d report(s) (limit %d); ban without end",
                    stats.maliciousReports(), s.maliciousReports()), null));
        }
        FailureEvidence test = evidence(network);
        int streak = stats.consecutiveFailures();
        if (streak > 0 && test.rejects(0, streak)) {
            Duration d = ejectionTime(stats.banCount());
            return Optional.of(new BanDecision(String.format(Locale.ROOT,
                    "strict: %d failures in a row, log-likelihood ratio %.2f >= %.2f (%s); ejection #%d for %s",
                    streak, test.logLikelihoodRatio(0, streak), test.bound(), describe(test),
                    stats.banCount() + 1L, minutes(d)), d));
        }
        double ok = stats.decayedSuccesses(Horizon.DAY);
        double ko = stats.decayedFailures(Horizon.DAY);
        if (ok + ko > 0 && ok + ko >= s.requestVolume() && test.rejects(ok, ko)) {
            Duration d = ejectionTime(stats.banCount());
            return Optional.of(new BanDecision(String.format(Locale.ROOT,
                    "strict: %.1f successes and %.1f failures in the last day, log-likelihood ratio %.2f >= %.2f "
                            + "(%s); ejection #%d for %s",
                    ok, ko, test.logLikelihoodRatio(ok, ko), test.bound(), describe(test), stats.banCount() + 1L,
                    minutes(d)), d));
        }
        return Optional.empty();
    }

    /**
     * The test in force: H0 {@code acceptableSuccessRate}, H1 {@code ejectionSuccessRate}; when the network (with
     * at least {@code minimumHosts} workers with volume) itself succeeds less than the acceptable rate, as in a
     * mass outage, both rates are scaled down by networkMean / acceptableSuccessRate, so a worker is ejected only
     * for failing clearly more than the others do.
     */
    FailureEvidence evidence(NetworkStatistics network) {
        double p0 = s.acceptableSuccessRate();
        double p1 = s.ejectionSuccessRate();
        if (network != null && network.workersWithVolume() >= s.minimumHosts()
                && network.meanSuccessRate() < p0 && network.meanSuccessRate() > 0) {
            double scale = network.meanSuccessRate() / p0;
            p0 *= scale;
            p1 *= scale;
        }
        return FailureEvidence.of(p0, p1, s.falseEjectionRate());
    }

    private static String describe(FailureEvidence test) {
        return String.format(Locale.ROOT, "success %.3f acceptable, %.3f broken", test.p0(), test.p1());
    }

    /** base × (bans so far + 1), capped at the maximum. */
    Duration ejectionTime(int banCount) {
        long n = Math.max(0, banCount) + 1L;
        long base = s.baseEjectionTimeMinutes();
        long max = s.maxEjectionTimeMinutes();
        return Duration.ofMinutes(n > max / base ? max : Math.min(max, base * n));
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }

    // ---------------------------------------------------------------- selection

    /**
     * Weighted mean of reputation (0.5), health (0.2), bid (0.2) and time (0.1); bid and time scored
     * 1 / (1 + x / median of the auction), the median taken as 1 when it is 0.
     */
    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        List<ScoreComponent> terms = List.of(
                new ScoreComponent("reputation", reputation, SELECTION_REPUTATION_WEIGHT),
                new ScoreComponent("health", health, SELECTION_HEALTH_WEIGHT),
                new ScoreComponent("bid", bidScore(bid.amount(), auction.medianAmount()), SELECTION_BID_WEIGHT),
                new ScoreComponent("time", timeScore(bid.estimatedCompletionMs(), auction.medianEstimateMs()),
                        SELECTION_TIME_WEIGHT));
        return new ScoreBreakdown(unit(mean(terms)), terms);
    }

    static double bidScore(BigInteger amount, BigInteger median) {
        double scale = median != null && median.signum() > 0 ? median.doubleValue() : 1;
        return 1 / (1 + amount.doubleValue() / scale);
    }

    static double timeScore(long estimateMs, long medianMs) {
        double scale = medianMs > 0 ? medianMs : 1;
        return 1 / (1 + estimateMs / scale);
    }

    // ---------------------------------------------------------------- arithmetic

    private static double mean(List<ScoreComponent> terms) {
        double weighted = 0;
        double weights = 0;
        for (ScoreComponent t : terms) {
            weighted += t.weight() * t.value();
            weights += t.weight();
        }
        return weighted / weights;
    }

    /** Clamps into [0, 1]; NaN stays NaN so the engine counts a fault rather than using it. */
    private static double unit(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    @Override
    public String toString() {
        return "StrictPolicy" + s;
    }
}
