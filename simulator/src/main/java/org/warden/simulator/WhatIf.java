package org.warden.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.engine.whatif.WhatIfRunner;
import org.warden.simulator.model.Scenario;

/**
 * {@code --whatif}: a scenario run under the first policy with the engine journaling into memory, then the recorded
 * history replayed by the engine's {@link WhatIfRunner} under each other policy, as an operator would ask before
 * swapping. Unlike running the other policy live, the replay keeps the recorded run's auctions and outcomes: it says
 * what the candidate would have judged on what happened, not what would have happened under it.
 */
public final class WhatIf {

    private WhatIf() {
    }

    /**
     * One candidate's figures on one seed's recorded run.
     *
     * @param bansAdded          bans the candidate imposes and the recorded policy does not (the report lists at most
     *                           {@link WhatIfReport#LISTED}; so are the honest/adversary counts)
     * @param addedHonest        of those, on honest workers
     * @param addedAdversaries   of those, on adversaries
     * @param removedHonest      of the bans removed, on honest workers
     * @param removedAdversaries of the bans removed, on adversaries
     */
    public record Row(long seed, String candidate, long entriesReplayed, long workers, int bansAdded, int addedHonest,
            int addedAdversaries, int bansRemoved, int removedHonest, int removedAdversaries, int eligibilityChanges,
            double shiftMean, double shiftP10, double shiftP90, long auctions, double topChoiceDiffersShare,
            long noEligibleCandidate, long noEligibleRecorded, int pendingBans, long baselineMismatches,
            double recordSeconds, double replaySeconds) {
    }

    /** Every seed's rows, seed after seed, candidates in the order given. */
    public record Result(Scenario scenario, Strategy recorded, List<Strategy> candidates, List<Long> seeds,
            List<Row> rows) {
    }

    /**
     * Records {@code scenario} under {@code policies.get(0)} on each seed and replays it under each other policy.
     *
     * @param policies Warden policies only (a baseline has no engine to record or replay), at least two
     * @param seeds    the seeds; null or empty: the file's
     * @param jobs     a job count replacing the file's; null: the file's
     * @param threads  seeds recorded and replayed in parallel (≥ 1)
     * @throws IllegalArgumentException naming the policy, if one is a baseline, or if fewer than two are given
     */
    public static Result run(Scenario scenario, List<Strategy> policies, List<Long> seeds, Integer jobs,
            int threads) {
        check(policies);
        Scenario base = jobs == null ? scenario : scenario.withJobs(jobs);
        List<Long> seedList = seeds == null || seeds.isEmpty() ? List.of(base.seed()) : List.copyOf(seeds);
        Strategy recorded = policies.get(0);
        List<Strategy> candidates = List.copyOf(policies.subList(1, policies.size()));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, seedList.size())));
        try {
            List<Future<List<Row>>> futures = new ArrayList<>();
            for (long seed : seedList) {
                Scenario s = base.withSeed(seed);
                futures.add(pool.submit(() -> seed(s, recorded, candidates)));
            }
            List<Row> rows = new ArrayList<>();
            for (Future<List<Row>> f : futures) {
                rows.addAll(f.get());
            }
            return new Result(base, recorded, candidates, seedList, rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("what-if failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Refuses a list a what-if cannot run: a baseline, or no candidate. */
    public static void check(List<Strategy> policies) {
        for (Strategy p : policies) {
            if (!p.warden()) {
                throw new IllegalArgumentException("--whatif replays Warden policies only (default, strict, bayesian); "
                        + p.cliName() + " is a baseline without Warden");
            }
        }
        if (policies.size() < 2) {
            throw new IllegalArgumentException("--whatif needs two policies or more: the first is recorded, the others "
                    + "replayed");
        }
    }

    /** One seed: the recorded run, then one replay per candidate. */
    static List<Row> seed(Scenario scenario, Strategy recorded, List<Strategy> candidates) {
        long started = System.nanoTime();
        Simulation.Recording run = Simulation.record(scenario, recorded);
        double recordSeconds = (System.nanoTime() - started) / 1e9;
        List<Row> rows = new ArrayList<>();
        for (Strategy candidate : candidates) {
            long t = System.nanoTime();
            WhatIfReport r = replay(run, recorded, candidate);
            rows.add(row(scenario.seed(), run, r, recordSeconds, (System.nanoTime() - t) / 1e9));
        }
        return rows;
    }

    /**
     * The recorded history replayed under {@code candidate}, the baseline being {@code recorded} as it ran (a new
     * instance of it with the same settings: the shipped policies keep no state of their own between calls).
     */
    static WhatIfReport replay(Simulation.Recording run, Strategy recorded, Strategy candidate) {
        WhatIfRunner.Side baseline = new WhatIfRunner.Side(recorded.cliName(), recorded.newPolicy(),
                recorded.policyProperties());
        WhatIfRunner.Side cand = new WhatIfRunner.Side(candidate.cliName(), candidate.newPolicy(),
                candidate.policyProperties());
        return new WhatIfRunner(Simulation.SETTINGS).run(run.history(), run.history().retained().orElseThrow().since(),
                baseline, cand, Map.of(), run.engine(), WhatIfProgress.NONE);
    }

    private static Row row(long seed, Simulation.Recording run, WhatIfReport r, double recordSeconds,
            double replaySeconds) {
        int addedAdversaries = (int) r.bansAdded().stream().filter(b -> run.adversarial(b.workerId())).count();
        int removedAdversaries = (int) r.bansRemoved().stream().filter(b -> run.adversarial(b.workerId())).count();
        WhatIfReport.Distribution shift = r.reputationShift();
        return new Row(seed, r.policy(), r.entriesReplayed(), r.workers(), r.bansAdded().size(),
                r.bansAdded().size() - addedAdversaries, addedAdversaries, r.bansRemoved().size(),
                r.bansRemoved().size() - removedAdversaries, removedAdversaries, r.eligibilityChanges().size(),
                shift.mean(), shift.p10(), shift.p90(), r.auctions().recorded(), r.auctions().topChoiceDiffersShare(),
                r.auctions().noEligibleBidder(), r.auctions().noEligibleRecorded(), r.pendingBans(),
                r.baselineMismatches(), recordSeconds, replaySeconds);
    }
}
