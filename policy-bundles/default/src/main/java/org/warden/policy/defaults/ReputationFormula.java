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
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;

/**
 * Reputation of a worker: the seed's four weighted components, times a streak factor and a penalty
 * factor, capped, then decayed towards neutral with idle time.
 *
 * <p>Every part is a <em>rate</em> over the worker's own recent jobs, never a sum that grows with volume: a
 * worker with a steady 5 % failure rate keeps the same reputation after 100 jobs or after a million. Rates
 * are ratios of the engine's decayed counters at one horizon (numerator and denominator fade alike, so the
 * ratio is what the worker did recently, whatever its volume), smoothed by a small prior so a newcomer
 * starts at neutral 0.5 and a first failure does not decide everything.
 */
final class ReputationFormula {
    /** Neutral reputation: a newcomer's, and where an idle worker's reputation drifts back to. */
    static final double NEUTRAL = 0.5;

    /** Value of a component that has no samples yet: no evidence either way. */
    private static final double NO_EVIDENCE = 0.5;

    /** Memory of the success rate: about the last day of the worker's own jobs. */
    static final Horizon RATE_HORIZON = Horizon.DAY;

    /**
     * Jobs of no evidence added to the denominator of every penalty rate: a newcomer's first penalty counts as
     * one penalty in this many jobs, not as a 100 % rate.
     */
    static final double PENALTY_PRIOR_JOBS = 5;

    /**
     * How long (time constant) a failure streak keeps weighing on a worker that has had no job since: a worker
     * kept out by its streak gets no job that could end the streak, so the streak must fade with idle time or a
     * worker that failed with its whole group (an outage, one operator's machines) would stay out for ever.
     */
    static final Duration STREAK_FADE = Duration.ofHours(1);

    /**
     * The least that failures and timeouts alone can leave of the reputation: × 0.4. They rank a worker that fails
     * often below every better bidder, but do not exclude it: an honest worker that fails 15 % of its jobs would
     * otherwise fall under the 0.3 threshold, and a job whose bidders are all such workers would go to nobody, a
     * certain failure instead of an 85 % chance (the simulator's 1,000,000-job run: 1,618 jobs left so, 37 with
     * the floor). Exclusion is for what the floor does not cover: malice, invalid results, a bad health report, a
     * failure streak, a low success rate. A floor of 0.3 changed nothing at these weights; 0.4 did.
     */
    static final double FAILURE_FACTOR_FLOOR = 0.4;

    private static final double SECONDS_PER_DAY = 86_400;

    /**
     * What one unit of penalty severity per recent job costs: the penalty factor is
     * exp(−Σ weight(type) × severity(type) / jobs). With the seed's severities, a steady 2 % of jobs failing
     * (severity 0.5) costs exp(−0.16) ≈ 0.85, 5 % exp(−0.4) ≈ 0.67, 10 % exp(−0.8) ≈ 0.45; one malicious report
     * (severity 0.5) in 20 jobs costs exp(−2.5) ≈ 0.08. The failure weights are steep on purpose: honest
     * workers differ by a few points of failure rate, and the reputation is only 0.35 of a bid's selection
     * score, so a shallower slope let the ±20 % spread of bid amounts and the noise of health reports decide
     * between a 98 % and a 94 % worker (simulator/README.md measures it). A ban itself costs nothing: the ban
     * already keeps the worker out, and its cause was penalised on its own.
     */
    private static final Map<PenaltyType, Double> PENALTY_WEIGHTS = penaltyWeights();

    /**
     * The most a failed job of the last hour costs: a {@link PenaltyType#JOB_FAILURE} of the seed's severity 0.5,
     * read from the weights so the two cannot disagree (declared after them: static fields are initialised in
     * order). A timeout or a forged result is priced higher by its own penalty in the month's rate; in the hour all
     * that counts is that the job failed.
     */
    static final double RECENT_FAILURE_PRICE = PENALTY_WEIGHTS.get(PenaltyType.JOB_FAILURE) * 0.5;

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
        double idleSeconds = idleSeconds(stats, now);
        double streak = streak(stats, idleSeconds);
        double penalties = penalties(stats);
        double decay = Math.pow(1 - s.reputationDecayRatePerDay(), idleSeconds / SECONDS_PER_DAY);

        double mean = Scores.weightedMean(weighted);
        double score = decayed(mean * streak * penalties, decay);
        boolean probation = score < s.minReputationThreshold()
                && decayed(mean * streak * penalties(stats, idleSeconds), decay) >= s.minReputationThreshold();
        if (probation) {
            score = s.minReputationThreshold();
        }

        List<ScoreComponent> components = new ArrayList<>(weighted);
        components.add(new ScoreComponent("streak", streak, 0));
        components.add(new ScoreComponent("penalties", penalties, 0));
        components.add(new ScoreComponent("decay", decay, 0));
        components.add(new ScoreComponent("probation", probation ? 1 : 0, 0));
        return new ScoreBreakdown(score, components);
    }

    /** The raw score capped at {@code maxReputationScore}, drawn towards neutral by {@code decay}, in [0, 1]. */
    private double decayed(double raw, double decay) {
        return Scores.unit(NEUTRAL + (Math.min(s.maxReputationScore(), raw) - NEUTRAL) * decay);
    }

    /** Jobs the worker did recently: its decayed successes and failures at {@code horizon}. */
    static double recentJobs(WorkerStatistics stats, Horizon horizon) {
        return Math.max(0, stats.decayedSuccesses(horizon)) + Math.max(0, stats.decayedFailures(horizon));
    }

    /**
     * Laplace's rule of succession over the last day's decayed counts, (s + 1) / (s + f + 2): 0.5 for a
     * newcomer, never exactly 0 or 1, and the same for a steady worker whatever its volume.
     */
    static double successRate(WorkerStatistics stats) {
        double ok = Math.max(0, stats.decayedSuccesses(RATE_HORIZON));
        return (ok + 1) / (recentJobs(stats, RATE_HORIZON) + 2);
    }

    /**
     * Share of recent jobs that delivered a valid result on time, smoothed the same way: jobs minus the
     * severity of timeouts, invalid results and malicious reports (a timeout of severity 0.8 is 0.8 of a bad
     * job), over the month's decayed counts, the horizon at which the engine decays penalty severities.
     * Success rate counts what the worker reports; reliability counts what the distributor had to penalise.
     */
    static double reliability(WorkerStatistics stats) {
        double jobs = recentJobs(stats, Horizon.MONTH);
        double bad = Math.max(0, stats.decayedPenaltySeverity(PenaltyType.JOB_TIMEOUT))
                + Math.max(0, stats.decayedPenaltySeverity(PenaltyType.INVALID_RESULT))
                + Math.max(0, stats.decayedPenaltySeverity(PenaltyType.MALICIOUS_BEHAVIOR));
        return (jobs - Math.min(jobs, bad) + 1) / (jobs + 2);
    }

    /**
     * Whether the worker keeps its promises and delivers good results: the mean of a time term (1 when it
     * finishes within its own estimate, estimate/actual when slower) and the mean result quality. Both are
     * the engine's moving averages over the last ~20 samples: a memory in jobs.
     */
    static double efficiency(WorkerStatistics stats) {
        Moments quality = stats.resultQuality();
        double q = quality.count() == 0 ? NO_EVIDENCE : Scores.unit(quality.mean());
        return (keepsEstimates(stats) + q) / 2;
    }

    /** 1 when the worker finishes within its own estimates, estimate/actual when slower; 0.5 without samples. */
    static double keepsEstimates(WorkerStatistics stats) {
        Moments ratio = stats.timeToEstimateRatio();
        if (ratio.count() == 0) {
            return NO_EVIDENCE;
        }
        return ratio.mean() <= 1 ? 1 : 1 / ratio.mean();
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

    /**
     * The seed's multipliers, each run capped so one streak cannot dominate for ever; the failure run's
     * weight fades with idle time ({@link #STREAK_FADE}), so a worker kept out by it gets another chance.
     */
    double streak(WorkerStatistics stats, double idleSeconds) {
        double failures = Math.min(stats.consecutiveFailures(), s.failureMaxStreak())
                * Math.exp(-idleSeconds / STREAK_FADE.toSeconds());
        return Math.pow(s.failurePenaltyMultiplier(), failures)
                * Math.pow(s.successBonusMultiplier(), Math.min(stats.consecutiveSuccesses(), s.successBonusMaxStreak()));
    }

    /**
     * exp(−Σ weight(type) × decayed severity(type) / (recent jobs + {@value #PENALTY_PRIOR_JOBS})): penalties
     * as a rate per recent job, at the month's horizon at which the engine decays both; the part of job failures
     * and timeouts never below {@link #FAILURE_FACTOR_FLOOR}.
     */
    static double penalties(WorkerStatistics stats) {
        return penalties(stats, 0);
    }

    /**
     * {@link #penalties(WorkerStatistics)} with the part of failures and timeouts faded by idle time as a failure
     * streak fades ({@link #STREAK_FADE}): what decides probation. A worker that failures alone put under the threshold
     * gets no job that could show it has recovered, so without this it would stay out for good: an honest newcomer
     * whose first job failed, or every worker that timed out in an outage, and a job whose bidders are all such
     * workers would go to nobody, a certain failure instead of a likely success (the simulator's mass outage and drift
     * left such jobs; with probation none). Once its failures have faded enough to clear the threshold it is
     * eligible again at exactly the threshold, and {@link SelectionFormula} ranks it below every other bidder: it
     * gets a job only when no other eligible worker bids for it. Penalties for malice, invalid results and the
     * rest do not fade: they keep a worker out until its record says otherwise.
     */
    static double penalties(WorkerStatistics stats, double idleSeconds) {
        double failures = 0;
        double others = 0;
        for (PenaltyType type : PenaltyType.values()) {
            double cost = penaltyWeight(type) * Math.max(0, stats.decayedPenaltySeverity(type));
            if (type == PenaltyType.JOB_FAILURE || type == PenaltyType.JOB_TIMEOUT) {
                failures += cost;
            } else {
                others += cost;
            }
        }
        double jobs = recentJobs(stats, Horizon.MONTH) + PENALTY_PRIOR_JOBS;
        double failureRate = Math.max(failures / jobs, lastHourFailureCost(stats, failures + others));
        double failureFactor = Math.max(FAILURE_FACTOR_FLOOR, Math.exp(-failureRate));
        double faded = idleSeconds <= 0 ? failureFactor
                : 1 - (1 - failureFactor) * Math.exp(-idleSeconds / STREAK_FADE.toSeconds());
        return Math.exp(-others / jobs) * faded;
    }

    /**
     * What the last hour's failed jobs cost per recent job: the hour's share of failed jobs (over the hour's jobs plus
     * {@value #PENALTY_PRIOR_JOBS} of no evidence) times what a failed job cost the worker over the month (all its
     * penalties over its failed jobs, both at the month's horizon), at most {@link #RECENT_FAILURE_PRICE}. The
     * month's rate is the worker's record; this one is how it does now, and the penalty counts the worse of the two,
     * so a worker that was good for thousands of jobs and turns bad is ranked down within a few failures instead of
     * after its long good record has been outweighed. Priced by the month's penalties, so a failed job costs no more
     * than the distributor made failures cost: one that records failed jobs without penalising anything sees no
     * change.
     *
     * @param monthPenaltyCost Σ weight × decayed severity of all the worker's penalties
     */
    static double lastHourFailureCost(WorkerStatistics stats, double monthPenaltyCost) {
        double monthFailed = Math.max(0, stats.decayedFailures(Horizon.MONTH));
        if (monthFailed <= 0 || monthPenaltyCost <= 0) {
            return 0;
        }
        double price = Math.min(RECENT_FAILURE_PRICE, monthPenaltyCost / monthFailed);
        double failed = Math.max(0, stats.decayedFailures(Horizon.HOUR));
        return failed / (recentJobs(stats, Horizon.HOUR) + PENALTY_PRIOR_JOBS) * price;
    }

    /** Seconds since the latest job (or since first sight for a worker without one), never negative. */
    static double idleSeconds(WorkerStatistics stats, Instant now) {
        Instant since = stats.lastJobAt() != null ? stats.lastJobAt() : stats.firstSeen();
        Duration idle = Duration.between(since, now);
        return Math.max(0, idle.getSeconds() + idle.getNano() / 1e9);
    }

    private static Map<PenaltyType, Double> penaltyWeights() {
        Map<PenaltyType, Double> w = new EnumMap<>(PenaltyType.class);
        w.put(PenaltyType.JOB_TIMEOUT, 20.0);
        w.put(PenaltyType.JOB_FAILURE, 16.0);
        w.put(PenaltyType.MALICIOUS_BEHAVIOR, 100.0);
        w.put(PenaltyType.POOR_PERFORMANCE, 4.0);
        w.put(PenaltyType.NETWORK_ISSUES, 2.0);
        w.put(PenaltyType.RESOURCE_ABUSE, 12.0);
        w.put(PenaltyType.INVALID_RESULT, 80.0);
        w.put(PenaltyType.SPAM, 8.0);
        w.put(PenaltyType.BAN, 0.0);
        if (w.size() != PenaltyType.values().length) {
            throw new IllegalStateException("a penalty type has no reputation weight: " + w.keySet());
        }
        return w;
    }
}
