package org.warden.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.warden.engine.WardenEngine;

/** Goal 3: ranking n bids vs sorting n doubles (the least any ranking must do). Goal: 10,000 bids in at most 3x the sort. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RankBidsBenchmark {

    @Param({ "100", "1000", "10000" })
    int bids;

    WardenEngine engine;
    List<Bid> list;
    double[] scores;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Workload.engine();
        Workload.populate(engine, bids, 5);
        SplittableRandom random = new SplittableRandom(3);
        list = new ArrayList<>(bids);
        scores = new double[bids];
        for (int i = 0; i < bids; i++) {
            list.add(Bid.of(Workload.id(i), 1_000 + random.nextInt(100_000), 500 + random.nextInt(5_000)));
            scores[i] = random.nextDouble();
        }
    }

    @Benchmark
    public Object rank() {
        return engine.rank("job", list);
    }

    @Benchmark
    public double[] sortDoubles() {
        double[] copy = scores.clone();
        Arrays.sort(copy);
        return copy;
    }
}
