package org.warden.benchmarks;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.warden.api.JobOutcome;
import org.warden.engine.WardenEngine;

/**
 * Goal 2: the seed's design as a baseline. The seed (Rust) keeps every worker in one map behind one lock and
 * decays every reputation by a periodic sweep over all of them. Here that design, faithfully small, against the
 * engine (per-worker atomic updates, lazy decay), at 10,000 and 1,000,000 workers, 2 threads recording outcomes.
 * The sweep runs every 100 ms: the seed's period is a minute, so this compresses time 600x to make the sweep's
 * cost visible in a short run; what matters is that its cost grows with the worker count and the engine's does not.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Threads(2)
public class SeedDesignBenchmark {

    /** The seed's per-worker record, updated in place under the global lock. */
    static final class SeedReputation {
        double score = 0.5;
        long completed;
        long failed;
    }

    /** One lock around a map of workers; a periodic decay sweep over all of them. */
    static final class SeedStyleSystem {
        private final Map<String, SeedReputation> workers = new HashMap<>();

        synchronized void update(String id, boolean success) {
            SeedReputation r = workers.computeIfAbsent(id, k -> new SeedReputation());
            if (success) {
                r.completed++;
                r.score = Math.min(1.0, r.score * 1.05);
            } else {
                r.failed++;
                r.score *= 0.9;
            }
        }

        synchronized void decaySweep() {
            for (SeedReputation r : workers.values()) {
                r.score *= 0.99;
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Shared {
        @Param({ "10000", "1000000" })
        int workers;

        SeedStyleSystem seed;
        WardenEngine engine;
        String[] ids;
        JobOutcome[] outcomes;
        ScheduledExecutorService sweeper;

        @Setup(Level.Trial)
        public void setUp() {
            ids = new String[workers];
            outcomes = new JobOutcome[workers];
            seed = new SeedStyleSystem();
            engine = Workload.engine();
            for (int i = 0; i < workers; i++) {
                ids[i] = Workload.id(i);
                outcomes[i] = new JobOutcome(ids[i], i % 10 != 0, 1000, BigInteger.TEN, null, null, null);
                seed.update(ids[i], true);
                engine.recordOutcome(outcomes[i]);
            }
            sweeper = Executors.newSingleThreadScheduledExecutor();
            sweeper.scheduleAtFixedRate(seed::decaySweep, 100, 100, TimeUnit.MILLISECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sweeper.shutdownNow();
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().getId() * 104_729);

        int take(int n) {
            next = (next + 7_919) % n;
            return next;
        }
    }

    @Benchmark
    public void seedDesign(Shared s, Cursor c) {
        int i = c.take(s.workers);
        s.seed.update(s.ids[i], i % 10 != 0);
    }

    @Benchmark
    public Object warden(Shared s, Cursor c) {
        return s.engine.recordOutcome(s.outcomes[c.take(s.workers)]);
    }
}
