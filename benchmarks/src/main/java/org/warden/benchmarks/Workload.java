package org.warden.benchmarks;

import java.math.BigInteger;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;

import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/** What the benchmarks share: an engine judged by the default policy, worker ids, skewed key sequences. */
final class Workload {
    static final HealthMetrics HEALTH = HealthMetrics.of(150, 40, 50, 30, 20);

    private Workload() {
    }

    static WardenEngine engine() {
        return engine(EngineSettings.DEFAULTS);
    }

    static WardenEngine engine(EngineSettings settings) {
        WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(), settings, EventSink.NONE);
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
        return engine;
    }

    static String id(int i) {
        return "worker-" + i;
    }

    /** Worker ids in the engine: a health report and a few outcomes each (a typical short history). */
    static void populate(WardenEngine engine, int workers, int outcomesEach) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < workers; i++) {
            String id = id(i);
            // a report of its own per worker, as in real life (the engine keeps the latest one)
            engine.reportHealth(id, HealthMetrics.of(100 + random.nextInt(200), 40, 50, 30, 20));
            for (int j = 0; j < outcomesEach; j++) {
                boolean ok = random.nextInt(10) != 0;
                engine.recordOutcome(new JobOutcome(id, ok, 500 + random.nextInt(2000), BigInteger.valueOf(100),
                        ok ? 0.9 : null, 1500L, null));
            }
        }
    }

    /**
     * {@code length} worker indexes in [0, workers) drawn from a Zipf distribution with exponent {@code s}
     * (rank 1 most frequent), by inverting the cumulative distribution.
     */
    static int[] zipf(int workers, double s, int length, long seed) {
        double[] cdf = new double[workers];
        double sum = 0;
        for (int k = 0; k < workers; k++) {
            sum += 1.0 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] keys = new int[length];
        for (int i = 0; i < length; i++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = workers - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            keys[i] = lo;
        }
        return keys;
    }
}
