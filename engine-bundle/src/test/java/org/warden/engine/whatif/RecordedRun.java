package org.warden.engine.whatif;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.PendingBan;
import org.warden.api.PenaltyType;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.Change;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.MemoryHistory;

/**
 * A live engine on a hand-moved clock recording everything into a {@link MemoryHistory}, and a seeded random driver
 * calling every write path (health, outcomes, penalties, malicious reports, operator bans and unbans, pending bans
 * confirmed and dismissed, imports) and the distributor's rankings, as a distributor and an operator would.
 */
final class RecordedRun {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final HealthMetrics GOOD = HealthMetrics.of(150, 20, 30, 40, 20);
    static final HealthMetrics OVERLOADED = HealthMetrics.of(900, 95, 90, 40, 20);

    final ReplayClock clock = new ReplayClock(T0);
    final MemoryHistory history = new MemoryHistory(clock);
    final WardenEngine live;
    final String policyName;
    final WardenPolicy policy;

    RecordedRun(String policyName, WardenPolicy policy, EngineSettings settings) {
        this.policyName = policyName;
        this.policy = policy;
        live = new WardenEngine(clock, new InMemoryWorkerStore(), settings, EventSink.NONE);
        live.bindPolicy(policy, Map.of(WardenPolicy.NAME_PROPERTY, policyName));
        live.useJournal(history);
    }

    WhatIfRunner.Side side() {
        return new WhatIfRunner.Side(policyName, policy, Map.of());
    }

    void advance(Duration d) {
        clock.set(clock.instant().plus(d));
    }

    void outcomes(String worker, boolean success, int n) {
        for (int i = 0; i < n; i++) {
            advance(Duration.ofSeconds(1));
            live.recordOutcome(JobOutcome.of(worker, success, 1000, BigInteger.TEN, null));
        }
    }

    /**
     * Worked out by hand in the tests: a succeeds 5 times, b fails 3 times in a row then succeeds once, c succeeds
     * twice and fails twice; all report health first (at T0 + 1 to 3 s), then one call a second; two auctions, {b, c}
     * after b's third failure (T0 + 11 s) and {a, b} at the end (T0 + 16 s). 18 entries.
     */
    RecordedRun playHandScenario() {
        for (String w : List.of("a", "b", "c")) {
            advance(Duration.ofSeconds(1));
            live.reportHealth(w, GOOD);
        }
        outcomes("a", true, 5);
        outcomes("b", false, 3);
        live.rank("job-1", List.of(Bid.of("b", 10, 1000), Bid.of("c", 20, 1000)));
        outcomes("b", true, 1);
        outcomes("c", true, 2);
        outcomes("c", false, 2);
        live.rank("job-2", List.of(Bid.of("a", 10, 1000), Bid.of("b", 20, 1000)));
        return this;
    }

    /**
     * {@code steps} random calls, each up to 3 s after the last, and every worker's health report once a minute, over {@code workers} workers of four qualities;
     * a call the live engine refuses (e.g. an unban of a worker it does not know yet) is refused there, journaled
     * nowhere, and the driver goes on.
     */
    void drive(long seed, int steps, int workers) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] quality = { 0.97, 0.85, 0.5, 0.15 };
        Instant nextHealthRound = clock.instant();
        for (int step = 0; step < steps; step++) {
            advance(Duration.ofMillis(1 + rnd.nextLong(3_000)));
            if (!clock.instant().isBefore(nextHealthRound)) {
                // every worker reports health once a minute, as a real one does: most of them stay eligible
                for (int i = 0; i < workers; i++) {
                    live.reportHealth(String.format("w%02d", i), rnd.nextDouble() < 0.05 ? OVERLOADED : GOOD);
                }
                nextHealthRound = nextHealthRound.plus(Duration.ofSeconds(60));
            }
            String w = String.format("w%02d", rnd.nextInt(workers));
            double p = quality[Integer.parseInt(w.substring(1)) % quality.length];
            double r = rnd.nextDouble();
            try {
                if (r < 0.25) {
                    live.reportHealth(w, rnd.nextDouble() < 0.1 ? OVERLOADED : GOOD);
                } else if (r < 0.68) {
                    boolean ok = rnd.nextDouble() < p;
                    live.recordOutcome(new JobOutcome(w, ok, 200 + rnd.nextLong(5000), BigInteger.valueOf(rnd.nextInt(100)),
                            rnd.nextBoolean() ? null : rnd.nextDouble(), rnd.nextBoolean() ? null : 1000L + rnd.nextLong(3000),
                            "job-" + step));
                } else if (r < 0.85) {
                    live.rank("job-" + step, bids(rnd, workers));
                } else if (r < 0.89) {
                    PenaltyType type = PenaltyType.values()[rnd.nextInt(PenaltyType.values().length - 2)];
                    live.applyPenalty(w, type, rnd.nextDouble(), "penalty at step " + step, null);
                } else if (r < 0.93) {
                    // mostly the worst workers (every fourth), whom the default policy bans at the third report
                    String cheat = rnd.nextInt(5) == 0 ? w : String.format("w%02d", 4 * rnd.nextInt(workers / 4) + 3);
                    live.reportMalicious(cheat, "malicious at step " + step);
                } else if (r < 0.945) {
                    live.ban(w, "operator ban at step " + step, rnd.nextInt(10) == 0 ? null : Duration.ofMinutes(20));
                } else if (r < 0.96) {
                    live.unban(w, "operator unban at step " + step);
                } else if (r < 0.975) {
                    answerPending(rnd, step);
                } else if (r < 0.985) {
                    reimport(w);
                } else if (r < 0.987) {
                    live.importSnapshot(live.export(), ImportMode.REPLACE); // a clear, then every worker's record
                } else {
                    live.reportHealth(w, GOOD);
                }
            } catch (IllegalArgumentException e) {
                // an unknown worker: the live engine refused it and journaled nothing
            }
        }
    }

    private List<Bid> bids(SplittableRandom rnd, int workers) {
        List<Bid> bids = new ArrayList<>();
        List<String> taken = new ArrayList<>();
        int n = 2 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            String id = rnd.nextInt(10) == 0 ? "stranger" + rnd.nextInt(3) : String.format("w%02d", rnd.nextInt(workers));
            if (!taken.contains(id)) {
                taken.add(id);
                bids.add(Bid.of(id, 10 + rnd.nextInt(90), 500 + rnd.nextInt(5000)));
            }
        }
        return bids;
    }

    /** The oldest pending ban confirmed or dismissed (a dismissal is not journaled: it changes no record). */
    private void answerPending(SplittableRandom rnd, int step) {
        List<PendingBan> pending = live.pendingBans();
        if (pending.isEmpty()) {
            return;
        }
        String w = pending.get(0).workerId();
        if (rnd.nextBoolean()) {
            live.confirmPendingBan(w, "confirmed at step " + step);
        } else {
            live.dismissPendingBan(w, "dismissed at step " + step);
        }
    }

    /** The worker's record exported and imported again (merge): a Put in the journal. */
    private void reimport(String w) {
        Snapshot all = live.export();
        List<WorkerSnapshot> one = all.workers().stream().filter(s -> s.workerId().equals(w)).toList();
        live.importSnapshot(new Snapshot(Snapshot.FORMAT, all.exportedAt(), one), ImportMode.MERGE);
    }

    /** Every entry of the history, for the test to look at what was recorded. */
    List<JournalEntry> entries() {
        List<JournalEntry> all = new ArrayList<>();
        history.read(T0, (e, at) -> all.add(e));
        return all;
    }

    long count(Predicate<JournalEntry> which) {
        return entries().stream().filter(which).count();
    }

    static boolean automaticBan(JournalEntry e) {
        return e.changes().stream().anyMatch(c -> c instanceof Change.BanChange b && b.ban().automatic());
    }
}
