package org.warden.simulator;

import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.MemoryHistory;
import org.warden.simulator.distributor.DistributorStep;
import org.warden.simulator.distributor.WardenServices;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.SimClock;
import org.warden.simulator.model.SimWorker;

/**
 * One run of a scenario under one strategy: the distributor's per-job {@link DistributorStep} (the same as the demo
 * distributor's in Karaf) driven job after job on simulated time, with the engine and a policy as plain Java objects
 * (or a baseline choosing without Warden), every worker reporting health each 60 s of simulated time, and the
 * {@link Tally} counting.
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
    /** The prefix of the job ids Warden sees (the demo's are {@code demo-job-N}). */
    static final String JOB_ID_PREFIX = "job-";

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
        return run(scenario, strategy, false).result();
    }

    /**
     * A run under a Warden policy whose engine journals every change and ranking into a {@link MemoryHistory}, to
     * replay it under another policy ({@link WhatIf}).
     *
     * @param result      the run's figures
     * @param engine      the live engine at the end of the run
     * @param history     everything it journaled
     * @param adversaries the first identities of the run's adversarial workers ({@code group-index})
     */
    public record Recording(PolicyResult result, WardenEngine engine, MemoryHistory history, Set<String> adversaries) {
        /** Whether a worker id is an adversary's, under its first identity or one it took when it rejoined. */
        public boolean adversarial(String workerId) {
            return adversaries.contains(REJOINED.matcher(workerId).replaceFirst(""));
        }
    }

    /** The suffix a whitewasher's id takes when it rejoins ({@code group-index-rN}, see SimWorker). */
    private static final Pattern REJOINED = Pattern.compile("-r\\d+$");

    /** {@link #run(Scenario, Strategy)} recording the engine's journal; only for a Warden policy. */
    public static Recording record(Scenario scenario, Strategy strategy) {
        if (!strategy.warden()) {
            throw new IllegalArgumentException(strategy.cliName() + " is a baseline without Warden: nothing to record");
        }
        return run(scenario, strategy, true);
    }

    private static Recording run(Scenario scenario, Strategy strategy, boolean recorded) {
        long started = System.nanoTime();
        SplittableRandom root = new SplittableRandom(scenario.seed());
        DistributorStep.Streams streams = DistributorStep.Streams.split(root);
        SplittableRandom choiceRandom = root.split();
        Population population = new Population(scenario);
        SimClock clock = new SimClock();
        Tally tally = new Tally(scenario);
        WardenEngine engine = null;
        MemoryHistory history = null;
        DistributorStep step;
        if (strategy.warden()) {
            engine = new WardenEngine(clock, new InMemoryWorkerStore(), SETTINGS, EventSink.NONE);
            engine.bindPolicy(strategy.newPolicy(), strategy.policyProperties());
            if (recorded) {
                history = new MemoryHistory(clock);
                engine.useJournal(history);
            }
            step = DistributorStep.withWarden(population, streams, JOB_ID_PREFIX, WardenServices.of(engine), tally);
        } else {
            step = DistributorStep.withoutWarden(population, streams, JOB_ID_PREFIX, baseline(strategy, choiceRandom),
                    tally);
        }
        long nextHealth = 0;
        long healthMs = HEALTH_INTERVAL.toMillis();
        for (int job = 0; job < scenario.jobs(); job++) {
            clock.set(job * scenario.jobIntervalMs());
            boolean healthRound = clock.elapsedMillis() >= nextHealth;
            if (healthRound) {
                nextHealth += healthMs;
            }
            step.run(job, healthRound);
        }
        WardenEngine e = engine;
        Predicate<String> excluded = e == null ? id -> false
                : id -> e.reputation(id).isPresent() && !e.isEligible(id);
        PolicyResult result = tally.result(strategy.cliName(), population, excluded,
                (System.nanoTime() - started) / 1e9);
        Set<String> adversaries = population.all().stream().filter(w -> w.behaviour().adversarial())
                .map(SimWorker::firstId).collect(Collectors.toUnmodifiableSet());
        return new Recording(result, engine, history, adversaries);
    }

    /** How a baseline picks a bid without Warden; {@code random} is the random baseline's own stream. */
    private static DistributorStep.Chooser baseline(Strategy strategy, SplittableRandom random) {
        return switch (strategy) {
            case RANDOM -> (bids, bidders, job) -> random.nextInt(bids.size());
            case LOWEST_BID -> (bids, bidders, job) -> {
                int best = 0;
                for (int i = 1; i < bids.size(); i++) {
                    if (bids.get(i).amount().compareTo(bids.get(best).amount()) < 0) {
                        best = i;
                    }
                }
                return best;
            };
            case ORACLE -> (bids, bidders, job) -> {
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
            };
            default -> throw new IllegalStateException(strategy.cliName() + " is a Warden policy, not a baseline");
        };
    }
}
