package org.warden.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.engine.WardenEngine;
import org.warden.engine.state.InMemoryWorkerStore;

/**
 * Whatever the numbers: settings are either refused with an {@link IllegalArgumentException} naming the keys, or
 * accepted and then every read of an engine running with them answers (none throws from clock arithmetic).
 */
class EngineSettingsPropertyTest {

    private static final BigInteger CENTURY_NANOS = BigInteger.valueOf(Duration.ofDays(36_500).getSeconds())
            .multiply(BigInteger.valueOf(1_000_000_000L));

    @Property(tries = 1_000)
    void settingsAreRefusedOrEveryReadAnswers(@ForAll("durations") Duration interval,
            @ForAll @IntRange(min = 1) int intervals, @ForAll("durations") Duration window) {
        Throwable thrown = catchThrowable(() -> new EngineSettings(interval, intervals, Duration.ZERO, 10, 5,
                Duration.ofSeconds(60)).withBanBudget(0.1, window));
        Statistics.collect(thrown == null ? "accepted" : "refused");
        BigInteger product = BigInteger.valueOf(interval.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(interval.getNano())).multiply(BigInteger.valueOf(intervals));
        if (product.compareTo(CENTURY_NANOS) > 0) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("healthCheckIntervalSeconds * activityWindowIntervals");
            return;
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(36_500)) > 0) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("banBudgetWindowMinutes must be");
            return;
        }
        assertThat(thrown).isNull();
        EngineSettings settings = new EngineSettings(interval, intervals, Duration.ZERO, 10, 5,
                Duration.ofSeconds(60)).withBanBudget(0.1, window);
        for (Instant now : List.of(Instant.parse("2026-12-05T09:25:00Z"), Instant.EPOCH.plusSeconds(1))) {
            WardenEngine engine = new WardenEngine(Clock.fixed(now, ZoneOffset.UTC), new InMemoryWorkerStore(), settings,
                    EventSink.NONE);
            engine.reportHealth("w1", HealthMetrics.of(150, 20, 30, 40, 20));
            engine.recordOutcome(JobOutcome.of("w1", true, 1000, BigInteger.TEN, null));
            engine.reportMalicious("w1", "counted against the ban budget window");
            assertThat(engine.networkHealth().totalWorkers()).isEqualTo(1);
            assertThat(engine.eligibility("w1").workerId()).isEqualTo("w1");
            assertThat(engine.rank(null, List.of(Bid.of("w1", 1, 1)))).hasSizeLessThanOrEqualTo(1);
        }
    }

    /** From a nanosecond to far beyond any Instant, with the edges (a minute, a century) common. */
    @Provide
    Arbitrary<Duration> durations() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(Duration::ofSeconds),
                Arbitraries.longs().between(1, 3_153_600_000L * 2).map(Duration::ofSeconds),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(Duration::ofNanos),
                Arbitraries.of(Duration.ofMinutes(1), Duration.ofDays(36_500), Duration.ofDays(36_500).plusNanos(1),
                        Duration.ofSeconds(60)));
    }
}
