package org.warden.benchmarks;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.MemoryHistory;
import org.warden.engine.whatif.WhatIfRunner;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;
import org.warden.policy.strict.StrictPolicy;
import org.warden.policy.strict.StrictPolicySettings;

/**
 * Goal: replaying a history under a candidate policy at least as fast as recording it live (ratio ≤ 1), in memory
 * that does not grow with the history's length beyond the workers' state.
 *
 * <p>{@code live}: an engine (default policy, {@value #WORKERS} workers) on a hand-moved clock journals into a
 * {@link MemoryHistory} until it holds {@code entries} entries, driven by a seeded synthetic stream, 100 ms of
 * simulated time apart (after one health report per worker): 58 % outcomes, 20 % health reports, 2 % penalties, 20 % rankings of 3 to 6 bids (each an
 * auction entry). {@code replay}: the same stream recorded once per trial, replayed by {@link WhatIfRunner} with the
 * default policy as the baseline and strict (or default again: {@code candidate}) as the candidate. A replay runs
 * every entry into <em>two</em> engines (baseline and candidate) and ranks every auction twice, so equal times mean a
 * replay engine costs half a live one.
 *
 * <p>Memory: before the trial of {@code replay}, one replay is made with a probe that forces a GC and reads the used
 * heap at 10 % and at 100 % of the history (both engines alive); the difference, printed, is what the replay kept
 * over 90 % of the history (the history itself is in the heap all along, its own size printed too).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = { "-Xmx4g" })
public class ReplayBenchmark {

    static final int WORKERS = 2000;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /**
     * The engine's defaults but for the network figures' maximum age: 60 s of simulated time instead of 1 s, as in the
     * simulator. The stream is 10 entries per simulated second, many times denser than a real network's; with the
     * default a read rescanned all the workers every 10 entries, live and in both replay engines, and that scan, not
     * the recording or the replay, was what the benchmark timed.
     */
    static final EngineSettings SETTINGS = new EngineSettings(EngineSettings.DEFAULTS.healthCheckInterval(),
            EngineSettings.DEFAULTS.activityWindowIntervals(), Duration.ofSeconds(60),
            EngineSettings.DEFAULTS.penaltyHistorySize(), EngineSettings.DEFAULTS.banHistorySize(),
            EngineSettings.DEFAULTS.faultLogInterval(), EngineSettings.DEFAULTS.networkMinVolume(),
            EngineSettings.DEFAULTS.policyCallBudget(), EngineSettings.DEFAULTS.slowPolicyCooldown(),
            EngineSettings.DEFAULTS.banBudgetShare(), EngineSettings.DEFAULTS.banBudgetWindow(),
            EngineSettings.DEFAULTS.eligibleBeforeRestore());
    static final HealthMetrics GOOD = HealthMetrics.of(150, 40, 50, 30, 20);
    static final HealthMetrics OVERLOADED = HealthMetrics.of(900, 95, 90, 40, 20);

    @State(Scope.Benchmark)
    public static class Recorded {
        @Param({ "100000", "1000000" })
        int entries;
        /** strict; or default, the baseline's own policy, for the replay's cost without the candidate's bans. */
        @Param({ "strict", "default" })
        String candidate;

        MemoryHistory history;
        WardenEngine live;

        @Setup(Level.Trial)
        public void setUp() {
            long before = usedAfterGc();
            Recording r = record(entries);
            history = r.history();
            live = r.engine();
            long withHistory = usedAfterGc();
            long[] probe = new long[] { -1, -1 };
            long tenth = entries / 10;
            WhatIfReport report = replay(this, (done, total) -> {
                if (probe[0] < 0 && done >= tenth) {
                    probe[0] = usedAfterGc();
                } else if (done == total) {
                    probe[1] = usedAfterGc();
                }
            });
            System.out.printf("%n[replay under %s] %,d entries, %,d workers: history + live engine %.1f MB; heap during the "
                    + "replay at 10 %% %.1f MB, at 100 %% %.1f MB: grew %.2f MB over 90 %% of the history; baseline "
                    + "mismatches %d, bans added %d, removed %d, auctions %,d%n", candidate, report.entriesReplayed(),
                    report.workers(), mb(withHistory - before), mb(probe[0]), mb(probe[1]), mb(probe[1] - probe[0]),
                    report.baselineMismatches(), report.bansAdded().size(), report.bansRemoved().size(),
                    report.auctions().recorded());
        }
    }

    @State(Scope.Benchmark)
    public static class Size {
        @Param({ "100000", "1000000" })
        int entries;
    }

    /** Recording {@code entries} journal entries live. */
    @Benchmark
    public MemoryHistory live(Size size) {
        return record(size.entries).history();
    }

    /** Replaying them under strict, default being the baseline. */
    @Benchmark
    public WhatIfReport replay(Recorded recorded) {
        return replay(recorded, WhatIfProgress.NONE);
    }

    static WhatIfReport replay(Recorded recorded, WhatIfProgress progress) {
        WhatIfRunner.Side baseline = new WhatIfRunner.Side("default", new DefaultPolicy(DefaultPolicySettings.SEED),
                Map.of());
        WhatIfRunner.Side candidate = recorded.candidate.equals("strict")
                ? new WhatIfRunner.Side("strict", new StrictPolicy(StrictPolicySettings.DEFAULTS), Map.of())
                : new WhatIfRunner.Side("default", new DefaultPolicy(DefaultPolicySettings.SEED), Map.of());
        return new WhatIfRunner(SETTINGS).run(recorded.history, T0, baseline, candidate, Map.of(),
                recorded.live, progress);
    }

    record Recording(WardenEngine engine, MemoryHistory history) {
    }

    /** The synthetic stream, until the history holds {@code entries} entries. */
    static Recording record(int entries) {
        MovedClock clock = new MovedClock();
        MemoryHistory history = new MemoryHistory(clock);
        WardenEngine engine = new WardenEngine(clock, new InMemoryWorkerStore(), SETTINGS,
                EventSink.NONE);
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
        engine.useJournal(history);
        SplittableRandom rnd = new SplittableRandom(11);
        double[] quality = { 0.97, 0.9, 0.6, 0.2 };
        PenaltyType[] penalties = { PenaltyType.JOB_TIMEOUT, PenaltyType.POOR_PERFORMANCE, PenaltyType.INVALID_RESULT };
        // every worker says hello first (the engine refuses a penalty for a worker it does not know yet)
        for (int i = 0; i < WORKERS; i++) {
            clock.advance(10);
            engine.reportHealth(Workload.id(i), GOOD);
        }
        long step = 0;
        while (history.size() < entries) {
            step++;
            clock.advance(100);
            int i = rnd.nextInt(WORKERS);
            String w = Workload.id(i);
            double r = rnd.nextDouble();
            if (r < 0.2) {
                engine.reportHealth(w, rnd.nextInt(20) == 0 ? OVERLOADED : GOOD);
            } else if (r < 0.78) {
                boolean ok = rnd.nextDouble() < quality[i % quality.length];
                engine.recordOutcome(new JobOutcome(w, ok, 200 + rnd.nextInt(3000), BigInteger.valueOf(100),
                        ok ? 0.9 : null, 1500L, "job-" + step));
            } else if (r < 0.8) {
                engine.applyPenalty(w, penalties[rnd.nextInt(penalties.length)], rnd.nextDouble(), "bench", null);
            } else {
                engine.rank("job-" + step, bids(rnd));
            }
        }
        return new Recording(engine, history);
    }

    private static List<Bid> bids(SplittableRandom rnd) {
        int n = 3 + rnd.nextInt(4);
        List<Bid> bids = new ArrayList<>(n);
        List<String> taken = new ArrayList<>(n);
        while (bids.size() < n) {
            String id = Workload.id(rnd.nextInt(WORKERS));
            if (!taken.contains(id)) {
                taken.add(id);
                bids.add(Bid.of(id, 50 + rnd.nextInt(100), 500 + rnd.nextInt(3000)));
            }
        }
        return bids;
    }

    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static double mb(long bytes) {
        return bytes / 1e6;
    }

    /** Simulated time, moved by the driver only; volatile: the engine may refresh its network scan on another thread. */
    static final class MovedClock extends Clock {
        private volatile Instant now = T0;

        void advance(long ms) {
            now = now.plus(Duration.ofMillis(ms));
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
