package org.warden.benchmarks;

import java.time.Instant;
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
import org.warden.engine.WardenEngine;
import org.warden.engine.core.NetworkHealthScan;

/**
 * Goal 5: reading network health at 10,000 and 1,000,000 workers. {@code read} is what a caller pays (the engine
 * caches the figures for networkHealthMaxAgeMs, 1 s by default); {@code scan} is the full pass the cache saves,
 * paid at most once per maximum age whatever the number of readers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@State(Scope.Benchmark)
public class NetworkHealthBenchmark {

    @Param({ "10000", "1000000" })
    int workers;

    WardenEngine engine;
    NetworkHealthScan scan;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Workload.engine();
        Workload.populate(engine, workers, 2);
        scan = new NetworkHealthScan(engine.book());
    }

    @Benchmark
    public Object read() {
        return engine.networkHealth();
    }

    @Benchmark
    public Object scan() {
        return scan.compute(Instant.now());
    }
}
