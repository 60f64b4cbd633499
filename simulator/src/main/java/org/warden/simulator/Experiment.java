package org.warden.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.warden.simulator.model.Scenario;

/**
 * Runs policies on a scenario over several seeds and measures each against the yardstick: random choice (what a
 * distributor gets without Warden) and the oracle (the true best bidder), both always run. Each (seed, policy) run
 * has its own engine and population, so runs go in parallel; results do not depend on the number of threads.
 */
public final class Experiment {

    private Experiment() {
    }

    /**
     * Runs {@code strategies} (random and oracle are added if missing) on {@code scenario} once per seed.
     *
     * @param scenario   the scenario (its own seed is used only if {@code seeds} is null or empty)
     * @param strategies the policies to report, in order
     * @param seeds      the seeds, each replacing the file's seed; null or empty: the file's seed
     * @param jobs       a job count replacing the file's; null: the file's
     * @param threads    runs in parallel (≥ 1)
     */
    public static ExperimentResult run(Scenario scenario, List<Strategy> strategies, List<Long> seeds, Integer jobs,
            int threads) {
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("no policy to run");
        }
        long started = System.nanoTime();
        Scenario base = jobs == null ? scenario : scenario.withJobs(jobs);
        List<Long> seedList = seeds == null || seeds.isEmpty() ? List.of(base.seed()) : List.copyOf(seeds);
        List<Strategy> toRun = new ArrayList<>(new LinkedHashSet<>(strategies));
        for (Strategy yardstick : List.of(Strategy.RANDOM, Strategy.ORACLE)) {
            if (!toRun.contains(yardstick)) {
                toRun.add(yardstick);
            }
        }
        List<List<PolicyResult>> raw = runAll(base, toRun, seedList, threads);
        List<ExperimentResult.SeedRuns> perSeed = new ArrayList<>();
        Map<Strategy, List<PolicyResult>> perPolicy = new LinkedHashMap<>();
        for (int s = 0; s < seedList.size(); s++) {
            List<PolicyResult> results = raw.get(s);
            double random = results.get(toRun.indexOf(Strategy.RANDOM)).successRate();
            double oracle = results.get(toRun.indexOf(Strategy.ORACLE)).successRate();
            List<PolicyResult> judged = new ArrayList<>();
            for (int p = 0; p < toRun.size(); p++) {
                PolicyResult r = results.get(p).withYardstick(random, oracle);
                judged.add(r);
                perPolicy.computeIfAbsent(toRun.get(p), k -> new ArrayList<>()).add(r);
            }
            perSeed.add(new ExperimentResult.SeedRuns(seedList.get(s), judged));
        }
        List<PolicySummary> summaries = perPolicy.values().stream().map(PolicySummary::of).toList();
        return new ExperimentResult(base, seedList, List.copyOf(new LinkedHashSet<>(strategies)),
                summaries, perSeed, (System.nanoTime() - started) / 1e9);
    }

    /** Every (seed, strategy) run, on a pool of {@code threads}; result [seed][strategy]. */
    private static List<List<PolicyResult>> runAll(Scenario base, List<Strategy> toRun, List<Long> seeds,
            int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, seeds.size() * toRun.size())));
        try {
            List<List<Future<PolicyResult>>> futures = new ArrayList<>();
            for (long seed : seeds) {
                Scenario s = base.withSeed(seed);
                List<Future<PolicyResult>> row = new ArrayList<>();
                for (Strategy strategy : toRun) {
                    row.add(pool.submit(() -> Simulation.run(s, strategy)));
                }
                futures.add(row);
            }
            List<List<PolicyResult>> out = new ArrayList<>();
            for (List<Future<PolicyResult>> row : futures) {
                List<PolicyResult> results = new ArrayList<>();
                for (Future<PolicyResult> f : row) {
                    results.add(f.get());
                }
                out.add(results);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
