package org.warden.simulator;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.WorkerReputation;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.SimClock;
import org.warden.simulator.model.SimWorker;

/**
 * The distributor loop, in the shape of the seed's JobDistributor: per job, a random subset of workers bids; the
 * selection (the engine's {@code rank}, or a baseline) picks the best; the job runs on the hidden behaviour; the
 * outcome, penalties for timeouts and failures and malicious reports when verification catches an invalid result
 * go to Warden; every worker reports health each 60 s of simulated time.
 */
public final class Simulation {
    static final Duration HEALTH_INTERVAL = EngineSettings.DEFAULTS.healthCheckInterval();
    /**
     * How old the engine's network figures may get before a read rescans: one health-check interval of simulated
     * time, 60 jobs, instead of the default 1 s (one job here). In production the default 1 s of wall time spans
     * many jobs; in the simulator a job is a second, so the default made a full scan per job, every active worker
     * judged for reputation, most of a Warden run's cost. The figures a scan computes move little in 60 jobs
     * (last-day success rates, workers heard from within three intervals, health reported once per interval), and
     * every ban still makes them stale, rescanned at the next read. See README.md, "Cost in jobs".
     */
    static final Duration NETWORK_HEALTH_MAX_AGE = HEALTH_INTERVAL;
    /**
     * The slow-policy guard's budget per policy call: 10 minutes instead of the default 1 s. The guard measures wall
     * time; on a loaded machine a thread descheduled for a second would make the fallback answer a call, and a seeded
     * run would then give other results than the same run on an idle machine. Only a policy that really hangs trips it.
     */
    static final Duration POLICY_CALL_BUDGET = Duration.ofMinutes(10);
    /** The engine's default settings but for {@link #NETWORK_HEALTH_MAX_AGE} and {@link #POLICY_CALL_BUDGET}. */
    static final EngineSettings SETTINGS = withNetworkHealthMaxAge(EngineSettings.DEFAULTS, NETWORK_HEALTH_MAX_AGE);
    /** The seed's timeout severity (the default policy's {@code timeoutPenaltySeverity}). */
    static final double TIMEOUT_SEVERITY = 0.8;
    /** The middle of the scale, what the default policy uses for penalty types the seed gives no severity for. */
    static final double FAILURE_SEVERITY = 0.5;

    private Simulation() {
    }

    private static EngineSettings withNetworkHealthMaxAge(EngineSettings d, Duration maxAge) {
        return new EngineSettings(d.healthCheckInterval(), d.activityWindowIntervals(), maxAge,
                d.penaltyHistorySize(), d.banHistorySize(), d.faultLogInterval(), d.networkMinVolume(),
                POLICY_CALL_BUDGET, d.slowPolicyCooldown(), d.banBudgetShare(), d.banBudgetWindow(),
                d.eligibleBeforeRestore());
    }

    /** One run of {@code scenario} (its seed, its job count) under {@code strategy}; the yardstick is left NaN. */
    public static PolicyResult run(Scenario scenario, Strategy strategy) {
        long started = System.nanoTime();
        SplittableRandom root = new SplittableRandom(scenario.seed());
        SplittableRandom bidRandom = root.split();
        SplittableRandom outcomeRandom = root.split();
        SplittableRandom healthRandom = root.split();
        SplittableRandom verifyRandom = root.split();
        SplittableRandom choiceRandom = root.split();
        Population population = new Population(scenario);
        SimClock clock = new SimClock();
        WardenEngine engine = null;
        if (strategy.warden()) {
            engine = new WardenEngine(clock, new InMemoryWorkerStore(), SETTINGS, EventSink.NONE);
            engine.bindPolicy(strategy.newPolicy(), strategy.policyProperties());
        }
        Tally tally = new Tally(scenario);
        int jobs = scenario.jobs();
        long nextHealth = 0;
        long healthMs = HEALTH_INTERVAL.toMillis();
        for (int job = 0; job < jobs; job++) {
            clock.set(job * scenario.jobIntervalMs());
            List<SimWorker> joined = population.advanceTo(job);
            if (engine != null) {
                for (SimWorker w : joined) {
                    report(engine, w, healthRandom, job);
                }
                if (clock.elapsedMillis() >= nextHealth) {
                    for (SimWorker w : population.present()) {
                        report(engine, w, healthRandom, job);
                    }
                    nextHealth += healthMs;
                }
            }
            List<SimWorker> bidders = population.bidders(bidRandom, scenario.biddersPerJob());
            List<Bid> bids = new ArrayList<>(bidders.size());
            for (SimWorker w : bidders) {
                bids.add(w.bid(bidRandom));
            }
            String jobId = "job-" + job;
            int chosen = choose(strategy, engine, jobId, bids, bidders, choiceRandom, job);
            if (chosen < 0) {
                tally.unassigned(bidders, job);
                continue;
            }
            SimWorker w = bidders.get(chosen);
            Bid bid = bids.get(chosen);
            Tally.Identity identity = tally.identity(w);
            JobResult result = w.perform(outcomeRandom, job);
            boolean verified = verifyRandom.nextDouble() < scenario.verificationRate();
            tally.outcome(job, w, identity, result);
            if (engine != null) {
                WorkerReputation rep = report(engine, w, bid, result, verified, jobId);
                if (rep.banned() && !identity.banned) {
                    identity.banned = true;
                    population.banned(w, job);
                }
            }
        }
        WardenEngine e = engine;
        Predicate<String> excluded = e == null ? id -> false
                : id -> e.reputation(id).isPresent() && !e.isEligible(id);
        return tally.result(strategy.cliName(), population, excluded, (System.nanoTime() - started) / 1e9);
    }

    private static int choose(Strategy strategy, WardenEngine engine, String jobId, List<Bid> bids,
            List<SimWorker> bidders, SplittableRandom random, int job) {
        if (bids.isEmpty()) {
            return -1;
        }
        switch (strategy) {
            case RANDOM:
                return random.nextInt(bids.size());
            case LOWEST_BID: {
                int best = 0;
                for (int i = 1; i < bids.size(); i++) {
                    if (bids.get(i).amount().compareTo(bids.get(best).amount()) < 0) {
                        best = i;
                    }
                }
                return best;
            }
            case ORACLE: {
                int best = 0;
                double bestR = bidders.get(0).reliability(job);
                for (int i = 1; i < bids.size(); i++) {
                    double r = bidders.get(i).reliability(job);
                    if (r > bestR || (r == bestR && bids.get(i).amount().compareTo(bids.get(best).amount()) < 0)) {
                        best = i;
                        bestR = r;
                    }
                }
                return best;
            }
            default: {
                Optional<RankedBid> top = engine.select(jobId, bids);
                if (top.isEmpty()) {
                    return -1;
                }
                String id = top.get().bid().workerId();
                for (int i = 0; i < bids.size(); i++) {
                    if (bids.get(i).workerId().equals(id)) {
                        return i;
                    }
                }
                throw new IllegalStateException("the engine ranked a worker that did not bid: " + id);
            }
        }
    }

    private static void report(WardenEngine engine, SimWorker w, SplittableRandom random, int job) {
        HealthMetrics m = w.health(random, job);
        if (m != null) {
            engine.reportHealth(w.id(), m);
        }
    }

    /** What the distributor tells Warden about a finished job; returns the worker's reputation afterwards. */
    private static WorkerReputation report(WardenEngine engine, SimWorker w, Bid bid, JobResult r, boolean verified,
            String jobId) {
        String id = w.id();
        Long estimate = bid.estimatedCompletionMs() > 0 ? bid.estimatedCompletionMs() : null;
        if (r.timedOut()) {
            engine.recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, null, estimate, jobId));
            engine.applyPenalty(id, PenaltyType.JOB_TIMEOUT, TIMEOUT_SEVERITY, "job timed out", jobId);
        } else if (!r.completed()) {
            engine.recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, null, estimate, jobId));
            engine.applyPenalty(id, PenaltyType.JOB_FAILURE, FAILURE_SEVERITY, "job failed", jobId);
        } else if (!r.valid() && verified) {
            engine.recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, 0.0, estimate, jobId));
            return engine.reportMalicious(id, "result failed verification on " + jobId);
        } else {
            // an unverified invalid result passes as a success: the distributor cannot tell
            engine.recordOutcome(new JobOutcome(id, true, r.executionTimeMs(), bid.amount(), verified ? 1.0 : null,
                    estimate, jobId));
        }
        return engine.reputation(id).orElseThrow();
    }
}
