package org.warden.engine.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.NetworkHealth;
import org.warden.engine.policy.BoundPolicy;

/**
 * Network health with bounded staleness, so that reading it costs the same at 10,000 workers as at 1,000,000.
 * A scan of every worker computes it; readers get the last result while it is young enough. When it is older,
 * or a ban made it stale: if the last scan was quick (under {@value #QUICK_SCAN_MS} ms, a network of some ten
 * thousand workers), the reader scans again and gets exact figures; otherwise one background scan refreshes them
 * and readers keep getting the last result meanwhile, so on a large network no reader waits for a scan (except
 * the very first and the first after a policy change, whose figures would be another policy's). Scans are spaced
 * by at least ten times the previous scan's duration, so they never take more than about a tenth of one core.
 *
 * <p>A background refresh that has not finished after ten scan durations, and at least the time after which it is
 * deemed stuck (twice the policy call budget: a policy call in it that never returns), is abandoned: the next read
 * starts another (which finds the stuck policy's breaker open and completes), and the abandoned one's figures, if it
 * ever finishes, are discarded as older. Without this, one stuck call would freeze network health for good.
 */
final class NetworkHealthCache {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkHealthCache.class);
    /** A scan may use at most 1/SPACING of the time. */
    private static final int SPACING = 10;
    /** A scan quicker than this is worth making a reader wait for, to give it exact figures. */
    static final long QUICK_SCAN_MS = 20;

    private record Cached(NetworkHealth health, BoundPolicy policy, Duration scanTime, boolean stale) {
    }

    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private static final long IDLE = Long.MIN_VALUE;
    /** When the background refresh in flight started ({@link #nanoTime}), or {@link #IDLE}. */
    private final AtomicLong refreshStartedNs = new AtomicLong(IDLE);
    private volatile long stuckAfterNs = EngineSettings.DEFAULT_POLICY_CALL_BUDGET.toNanos() * 2;
    private final Executor executor;
    private final LongSupplier nanoTime;

    NetworkHealthCache() {
        this(ForkJoinPool.commonPool(), System::nanoTime);
    }

    /** For tests: where refreshes run, and the clock that times scans. */
    NetworkHealthCache(Executor executor, LongSupplier nanoTime) {
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /** A background refresh running longer than this (and ten scan durations) is deemed stuck, and abandoned. */
    void stuckAfter(Duration d) {
        this.stuckAfterNs = d.toNanos();
    }

    /** Marks the figures stale: the next read starts a refresh (and still gets these figures). */
    void invalidate() {
        cached.updateAndGet(c -> c == null ? null : new Cached(c.health(), c.policy(), c.scanTime(), true));
    }

    /** Forgets the figures: the next read scans before it answers. */
    void clear() {
        cached.set(null);
    }

    NetworkHealth get(Instant now, BoundPolicy policy, Duration maxAge, Function<Instant, NetworkHealth> scan) {
        Cached c = cached.get();
        if (c == null || c.policy() != policy || maxAge.isZero()) {
            return scanNow(now, policy, scan).health();
        }
        Duration spacing = c.scanTime().multipliedBy(SPACING);
        Duration minAge = maxAge.compareTo(spacing) >= 0 ? maxAge : spacing;
        boolean old = c.health().computedAt().plus(minAge).isBefore(now);
        if ((c.stale() || old) && c.scanTime().toMillis() < QUICK_SCAN_MS) {
            return scanNow(now, policy, scan).health();
        }
        if (c.stale() || old) {
            refreshInBackground(now, policy, scan, c.scanTime());
        }
        return c.health();
    }

    private void refreshInBackground(Instant now, BoundPolicy policy, Function<Instant, NetworkHealth> scan,
            Duration lastScanTime) {
        long startNs = nanoTime.getAsLong();
        long running = refreshStartedNs.get();
        long stuckNs = Math.max(stuckAfterNs, lastScanTime.toNanos() * SPACING);
        if (running != IDLE && startNs - running <= stuckNs) {
            return; // one refresh at a time
        }
        if (!refreshStartedNs.compareAndSet(running, startNs)) {
            return; // another reader started it
        }
        if (running != IDLE) {
            LOG.warn("A network health refresh started {} ms ago has not finished (a policy call stuck in it?): it is "
                    + "abandoned and another one started", (startNs - running) / 1_000_000);
        }
        executor.execute(() -> {
            try {
                scanNow(now, policy, scan);
            } catch (RuntimeException e) {
                LOG.error("Refreshing network health failed; the previous figures stay", e);
            } finally {
                refreshStartedNs.compareAndSet(startNs, IDLE);
            }
        });
    }

    private Cached scanNow(Instant now, BoundPolicy policy, Function<Instant, NetworkHealth> scan) {
        long start = nanoTime.getAsLong();
        NetworkHealth fresh = scan.apply(now);
        Cached next = new Cached(fresh, policy, Duration.ofNanos(nanoTime.getAsLong() - start), false);
        // a scan that finished late (one abandoned as stuck) never replaces newer figures
        return cached.accumulateAndGet(next, (previous, mine) -> previous != null && previous.policy() == mine.policy()
                && previous.health().computedAt().isAfter(mine.health().computedAt()) ? previous : mine);
    }
}
