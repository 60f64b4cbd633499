package org.warden.policy.defaults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;

/**
 * Reputation of a worker: the seed's four weighted components, times a streak factor and a penalty
 * factor, capped, then decayed towards neutral with idle time. Every component is a smoothed estimate,
 * so a newcomer starts at neutral 0.5 rather than at 0 or 1.
 */
final class ReputationFormula {
    /** Neutral reputation: a newcomer's, and where an idle worker's reputation drifts back to. */
    static final double NEUTRAL = 0.5;

    /** Value of a component that has no samples yet: no evidence either way. */
    private static final double NO_EVIDENCE = 0.5;

    private static final double SECONDS_PER_DAY = 86_400;

    /**
     * How much one unit of decayed severity of each type weighs on reputation: each penalty multiplies it
     * by exp(−weight × severity). Malice weighs most; a ban itself weighs nothing, because the ban already
     * keeps the worker out and its cause was penalised on its own.
     */
    private static final Map<PenaltyType, Double> PENALTY_WEIGHTS = penaltyWeights();

    private final DefaultPolicySettings s;

    ReputationFormula(DefaultPolicySettings settings) {
        this.s = settings;
    }

    static double penaltyWeight(PenaltyType type) {
        return PENALTY_WEIGHTS.get(type);
    }

    ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        List<ScoreComponent> weighted = List.of(
                new ScoreComponent("successRate", successRate(stats), s.successRateWeight()),
                new ScoreComponent("reliability", reliability(stats), s.reliabilityWeight()),
                new ScoreComponent("efficiency", efficiency(stats), s.efficiencyWeight()),
                new ScoreComponent("consistency", consistency(stats), s.consistencyWeight()));
        double streak = streak(stats);
        double penalties = penalties(stats);
        double decay = decay(stats, now);

        double raw = Math.min(s.maxReputationScore(), Scores.weightedMean(weighted) * streak * penalties);
        double score = Scores.unit(NEUTRAL + (raw - NEUTRAL) * decay);

        List<ScoreComponent> components = new ArrayList<>(weighted);
        components.add(new ScoreComponent("streak", streak, 0));
        components.add(new ScoreComponent("penalties", penalties, 0));
        components.add(new ScoreComponent("decay", decay, 0));
        return new ScoreBreakdown(score, components);
    }

    /** Laplace's rule of succession, (c + 1) / (c + f + 2): 0.5 for a newcomer, never exactly 0 or 1. */
    static double successRate(WorkerStatistics stats) {
        double c = stats.jobsCompleted();
        double f = stats.jobsFailed();
        return (c + 1) / (c + f + 2);
    }

    /**
     * Share of jobs that delivered a valid result on time, smoothed the same way: jobs minus timeouts and
     * invalid results (never fewer than none). Success rate counts what the worker reports; reliability
     * counts what the distributor had to penalise.
     */
    static double reliability(WorkerStatistics stats) {
        double jobs = (double) stats.jobsCompleted() + stats.jobsFailed();
        double bad = (double) stats.penaltyCount(PenaltyType.JOB_TIMEOUT)
                + stats.penaltyCount(PenaltyType.INVALID_RESULT);
        return (jobs - Math.min(jobs, bad) + 1) / (jobs + 2);
    }

    /**
     * Whether the worker keeps its promises and delivers good results: the mean of a time term (1 when it
     * finishes within its own estimate, estimate/actual when slower) and the mean result quality.
     */
    static double efficiency(WorkerStatistics stats) {
        Moments ratio = stats.timeToEstimateRatio();
        double time = ratio.count() == 0 ? NO_EVIDENCE : ratio.mean() <= 0 ? 1 : Math.min(1, 1 / ratio.mean());
        Moments quality = stats.resultQuality();
        double q = quality.count() == 0 ? NO_EVIDENCE : Scores.unit(quality.mean());
        return (time + q) / 2;
    }

    /**
     * How predictable the worker's execution times are: 1 / (1 + coefficient of variation). Needs two
     * samples; a mean of 0 (every job instant) is perfectly consistent.
     */
    static double consistency(WorkerStatistics stats) {
        Moments times = stats.executionTimeMs();
        if (times.count() < 2) {
            return NO_EVIDENCE;
        }
        if (times.mean() <= 0) {
            return 1;
        }
        return Scores.inverse(times.stddev() / times.mean());
    }

    /** The seed's multipliers, each run of outcomes capped so one streak cannot dominate for ever. */
    double streak(WorkerStatistics stats) {
        return Math.pow(s.failurePenaltyMultiplier(), Math.min(stats.consecutiveFailures(), s.failureMaxStreak()))
                * Math.pow(s.successBonusMultiplier(), Math.min(stats.consecutiveSuccesses(), s.successBonusMaxStreak()));
    }

    /**
     * exp(−Σ weight(type) × decayed severity(type)): each penalty multiplies the reputation by
     * exp(−weight × severity), whatever the order, and fades as the engine decays its severity.
     */
    static double penalties(WorkerStatistics stats) {
        double sum = 0;
        for (PenaltyType type : PenaltyType.values()) {
            sum += penaltyWeight(type) * stats.decayedPenaltySeverity(type);
        }
        return Math.exp(-sum);
    }

    /**
     * (1 − rate)^idle days, idle time counted from the latest job (or from first sight for a worker without
     * one): an idle worker's good reputation fades and its bad one recovers, towards neutral.
     */
    double decay(WorkerStatistics stats, Instant now) {
        Instant since = stats.lastJobAt() != null ? stats.lastJobAt() : stats.firstSeen();
        Duration idle = Duration.between(since, now);
        double days = Math.max(0, (idle.getSeconds() + idle.getNano() / 1e9) / SECONDS_PER_DAY);
        return Math.pow(1 - s.reputationDecayRatePerDay(), days);
    }

    private static Map<PenaltyType, Double> penaltyWeights() {
        Map<PenaltyType, Double> w = new EnumMap<>(PenaltyType.class);
        w.put(PenaltyType.JOB_TIMEOUT, 0.5);
        w.put(PenaltyType.JOB_FAILURE, 0.3);
        w.put(PenaltyType.MALICIOUS_BEHAVIOR, 1.0);
        w.put(PenaltyType.POOR_PERFORMANCE, 0.2);
        w.put(PenaltyType.NETWORK_ISSUES, 0.1);
        w.put(PenaltyType.RESOURCE_ABUSE, 0.6);
        w.put(PenaltyType.INVALID_RESULT, 0.8);
        w.put(PenaltyType.SPAM, 0.4);
        w.put(PenaltyType.BAN, 0.0);
        if (w.size() != PenaltyType.values().length) {
            throw new IllegalStateException("a penalty type has no reputation weight: " + w.keySet());
        }
        return w;
    }
}
