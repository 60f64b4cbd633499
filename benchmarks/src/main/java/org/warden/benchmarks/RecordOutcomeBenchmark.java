package org.warden.benchmarks;

import java.math.BigInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.warden.api.JobOutcome;
import org.warden.engine.WardenEngine;

/**
 * Goal 1: recording an outcome in the engine vs a bare {@link ConcurrentHashMap#compute} updating the same
 * counters, with the same Zipf-skewed keys over 100,000 workers, at 1, 2 and 8 threads. Goal: engine at least
 * 0.3x the bare map's throughput.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordOutcomeBenchmark {

    static final int WORKERS = 100_000;
    static final int KEYS = 1 << 20;

    /** The counters the engine keeps per outcome, kept the plainest way: an immutable record per worker. */
    record Counters(long completed, long failed, long timeSum, BigInteger earnings) {
        Counters add(JobOutcome o) {
            return new Counters(completed + (o.success() ? 1 : 0), failed + (o.success() ? 0 : 1),
                    timeSum + o.executionTimeMs(), earnings.add(o.earnings()));
        }
    }

    @State(Scope.Benchmark)
    public static class Shared {
        WardenEngine engine;
        ConcurrentHashMap<String, Counters> map;
        JobOutcome[] outcomes;

        @Setup(Level.Trial)
        public void setUp() {
            engine = Workload.engine();
            map = new ConcurrentHashMap<>();
            int[] keys = Workload.zipf(WORKERS, 1.0, KEYS, 7);
            outcomes = new JobOutcome[KEYS];
            for (int i = 0; i < KEYS; i++) {
                outcomes[i] = new JobOutcome(Workload.id(keys[i]), i % 10 != 0, 500 + i % 1000, BigInteger.TEN,
                        0.9, 1000L, null);
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().getId() * 7919);

        JobOutcome take(JobOutcome[] outcomes) {
            return outcomes[next++ & (KEYS - 1)];
        }
    }

    private static Object engine(Shared s, Cursor c) {
        return s.engine.recordOutcome(c.take(s.outcomes));
    }

    private static Object bare(Shared s, Cursor c) {
        JobOutcome o = c.take(s.outcomes);
        return s.map.compute(o.workerId(), (k, v) -> (v == null ? new Counters(0, 0, 0, BigInteger.ZERO) : v).add(o));
    }

    @Benchmark
    @Threads(1)
    public Object engine1(Shared s, Cursor c) {
        return engine(s, c);
    }

    @Benchmark
    @Threads(1)
    public Object bareMap1(Shared s, Cursor c) {
        return bare(s, c);
    }

    @Benchmark
    @Threads(2)
    public Object engine2(Shared s, Cursor c) {
        return engine(s, c);
    }

    @Benchmark
    @Threads(2)
    public Object bareMap2(Shared s, Cursor c) {
        return bare(s, c);
    }

    @Benchmark
    @Threads(8)
    public Object engine8(Shared s, Cursor c) {
        return engine(s, c);
    }

    @Benchmark
    @Threads(8)
    public Object bareMap8(Shared s, Cursor c) {
        return bare(s, c);
    }
}
