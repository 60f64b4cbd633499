package org.warden.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.warden.api.Bid;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.WardenEngine;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/**
 * Goal 6: the latency of a selection call (20 bids) while another thread swaps the policy back and forth as fast
 * as it can (bind the new one, then unbind the old one, as SCR does for a greedy reference), against the same call
 * with no swapping. Sample mode: look at the percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Group)
public class PolicySwapBenchmark {

    WardenEngine engine;
    List<Bid> bids;
    final WardenPolicy a = new DefaultPolicy(DefaultPolicySettings.SEED);
    final WardenPolicy b = new DefaultPolicy(DefaultPolicySettings.SEED);
    boolean aInForce = true;
    /**
     * The engine judges with the highest-ranked of its bound policies (automatic choice, as its OSGi reference does):
     * each swap binds the next one ranked above every earlier one, so it takes over, then unbinds the previous one.
     */
    int ranking;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Workload.engine();
        engine.bindPolicy(a, Map.of(WardenPolicy.NAME_PROPERTY, "a", "service.ranking", ++ranking));
        Workload.populate(engine, 1_000, 5);
        bids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bids.add(Bid.of(Workload.id(i * 37), 1_000 + i, 1_000 + i * 10));
        }
    }

    @Benchmark
    @Group("swapping")
    @GroupThreads(1)
    public Object selectWhileSwapping() {
        return engine.rank("job", bids);
    }

    @Benchmark
    @Group("swapping")
    @GroupThreads(1)
    public void swapper() {
        WardenPolicy next = aInForce ? b : a;
        WardenPolicy previous = aInForce ? a : b;
        engine.bindPolicy(next, Map.of(WardenPolicy.NAME_PROPERTY, aInForce ? "b" : "a", "service.ranking", ++ranking));
        engine.unbindPolicy(previous);
        aInForce = !aInForce;
    }

    @Benchmark
    @Group("steady")
    @GroupThreads(1)
    public Object selectSteady() {
        return engine.rank("job", bids);
    }
}
