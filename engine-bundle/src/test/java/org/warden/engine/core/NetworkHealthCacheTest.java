package org.warden.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.warden.api.NetworkHealth;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.FallbackPolicy;

class NetworkHealthCacheTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** Refreshes wait here until the test runs them: a reader must never wait for one. */
    private final List<Runnable> pending = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final NetworkHealthCache cache = new NetworkHealthCache(pending::add, nanos::get);
    private final AtomicInteger scans = new AtomicInteger();
    private final BoundPolicy policy = new BoundPolicy("p", new FallbackPolicy());
    /** Each scan returns the scan count as totalWorkers, and takes scanNanos. */
    private long scanNanos = 1_000_000;
    private final Function<Instant, NetworkHealth> scan = now -> {
        nanos.addAndGet(scanNanos);
        return health(scans.incrementAndGet(), now);
    };

    private static NetworkHealth health(long n, Instant at) {
        return new NetworkHealth(n, 0, 0, 0, 0, 0, 0, 0, "p", false, 0, at);
    }

    @Test
    void theFirstReadScansAndYoungFiguresAreReused() {
        assertThat(cache.get(T0, policy, MAX_AGE, scan).totalWorkers()).isEqualTo(1);
        assertThat(cache.get(T0.plusMillis(999), policy, MAX_AGE, scan).totalWorkers()).isEqualTo(1);
        assertThat(scans).hasValue(1);
        assertThat(pending).isEmpty();
    }

    @Test
    void onASmallNetworkOldOrStaleFiguresAreRescannedForTheReader() {
        cache.get(T0, policy, MAX_AGE, scan); // a 1 ms scan
        assertThat(cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan).totalWorkers()).isEqualTo(2);
        cache.invalidate();
        assertThat(cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan).totalWorkers()).isEqualTo(3);
        assertThat(pending).isEmpty();
    }

    @Test
    void onALargeNetworkOldOrStaleFiguresAreRefreshedInTheBackgroundOnceWhileReadersGetTheLastOnes() {
        scanNanos = Duration.ofMillis(50).toNanos();
        cache.get(T0, policy, MAX_AGE, scan);
        NetworkHealth old = cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan);
        assertThat(old.totalWorkers()).as("the reader does not wait").isEqualTo(1);
        cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan);
        assertThat(pending).as("one refresh at a time").hasSize(1);
        pending.remove(0).run();
        assertThat(cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan).totalWorkers()).isEqualTo(2);

        cache.invalidate();
        assertThat(cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan).totalWorkers()).isEqualTo(2);
        assertThat(pending).hasSize(1);
        pending.remove(0).run();
        assertThat(cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan).totalWorkers()).isEqualTo(3);
    }

    @Test
    void aNewPolicyOrAZeroMaximumAgeScansBeforeAnswering() {
        cache.get(T0, policy, MAX_AGE, scan);
        BoundPolicy other = new BoundPolicy("q", new FallbackPolicy());
        assertThat(cache.get(T0, other, MAX_AGE, scan).totalWorkers()).isEqualTo(2);
        assertThat(cache.get(T0, other, Duration.ZERO, scan).totalWorkers()).isEqualTo(3);
        assertThat(pending).isEmpty();
    }

    @Test
    void slowScansAreSpacedByTenTimesTheirDuration() {
        scanNanos = Duration.ofMillis(800).toNanos(); // a network where a scan takes 0.8 s
        cache.get(T0, policy, MAX_AGE, scan);
        cache.get(T0.plusSeconds(7), policy, MAX_AGE, scan);
        assertThat(pending).as("7 s < 10 x 0.8 s: no refresh yet").isEmpty();
        cache.get(T0.plusMillis(8_001), policy, MAX_AGE, scan);
        assertThat(pending).hasSize(1);
    }

    @Test
    void aRefreshStuckPastItsTimeIsAbandonedAndItsLateFiguresDiscarded() {
        scanNanos = Duration.ofMillis(50).toNanos();
        cache.stuckAfter(Duration.ofSeconds(2));
        cache.get(T0, policy, MAX_AGE, scan);
        cache.get(T0.plusSeconds(2), policy, MAX_AGE, scan);
        assertThat(pending).as("a refresh, which never runs: stuck").hasSize(1);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        cache.get(T0.plusSeconds(3), policy, MAX_AGE, scan);
        assertThat(pending).as("1 s: not deemed stuck yet").hasSize(1);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        cache.get(T0.plusSeconds(5), policy, MAX_AGE, scan);
        assertThat(pending).as("3 s > 2 s: abandoned, another started").hasSize(2);
        pending.remove(1).run();
        assertThat(cache.get(T0.plusSeconds(5), policy, MAX_AGE, scan).computedAt()).isEqualTo(T0.plusSeconds(5));
        // the abandoned one finishes at last: its figures (of T0 + 2 s) are older, and discarded
        pending.remove(0).run();
        NetworkHealth h = cache.get(T0.plusSeconds(5), policy, MAX_AGE, scan);
        assertThat(h.computedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(h.totalWorkers()).isEqualTo(2);
    }
}
