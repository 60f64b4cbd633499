package org.warden.engine.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>Readers that must wait for a scan (the first, a new policy, a zero maximum age, a quick rescan) share one:
 * a reader takes the figures of a scan that started after it asked (they are as fresh as its own would be), and
 * otherwise scans itself, so many readers at once cost a few scans, not one each. Only while scans are quick (the
 * last one under {@value #QUICK_SCAN_MS} ms), and a reader waits for another's scan at most ten times the last
 * scan's duration, then scans itself: a scan stuck in a policy call holds no other reader longer than that.
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
    /** The synchronous scan in flight (or the last one), shared by the readers that asked before it started. */
    private final AtomicReference<Shared> shared = new AtomicReference<>();

    /** A synchronous scan: when it started ({@link #nanoTime}), for which policy, and its figures once done. */
    private record Shared(long startedNs, BoundPolicy policy, CompletableFuture<Cached> result) {
    }

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
            return scanShared(now, policy, scan, c).health();
        }
        Duration spacing = c.scanTime().multipliedBy(SPACING);
        Duration minAge = maxAge.compareTo(spacing) >= 0 ? maxAge : spacing;
        boolean old = c.health().computedAt().plus(minAge).isBefore(now);
        if ((c.stale() || old) && c.scanTime().toMillis() < QUICK_SCAN_MS) {
            return scanShared(now, policy, scan, c).health();
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

    /**
     * Figures from a scan that started after this call: one of another reader's if it started after this call
     * (waited for), else this reader's own, which the readers asking meanwhile may share.
     */
    private Cached scanShared(Instant now, BoundPolicy policy, Function<Instant, NetworkHealth> scan, Cached last) {
        if (last == null || last.scanTime().toMillis() >= QUICK_SCAN_MS) {
            return scanNow(now, policy, scan); // nothing known of how long a scan takes, or it is slow: not shared
        }
        long askedNs = nanoTime.getAsLong();
        long waitNs = Math.max(TimeUnit.MILLISECONDS.toNanos(1), last.scanTime().toNanos() * SPACING);
        while (true) {
            Shared s = shared.get();
            if (s != null && s.result().isDone() && s.policy() == policy && s.startedNs() - askedNs > 0
                    && !s.result().isCompletedExceptionally()) {
                return s.result().join(); // started after this call and done already
            }
            if (s != null && !s.result().isDone()) {
                // another reader's scan is running: fresh enough if it started after this call, else wait for it to
                // end and look again (the next scan starts after this call)
                Cached done = await(s, waitNs);
                if (done == null) {
                    return scanNow(now, policy, scan); // stuck, or failed: this reader scans itself
                }
                if (s.policy() == policy && s.startedNs() - askedNs > 0) {
                    return done;
                }
                continue;
            }
            Shared mine = new Shared(nanoTime.getAsLong(), policy, new CompletableFuture<>());
            if (!shared.compareAndSet(s, mine)) {
                continue; // another reader started one just now: it started after this call, share it
            }
            try {
                Cached result = scanNow(now, policy, scan);
                mine.result().complete(result);
                return result;
            } catch (RuntimeException | Error e) {
                mine.result().completeExceptionally(e); // the readers waiting for it scan themselves
                throw e;
            }
        }
    }

    /** The shared scan's figures, waiting at most {@code waitNs}; {@code null} if it failed or took longer. */
    private static Cached await(Shared s, long waitNs) {
        try {
            return s.result().get(waitNs, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the scan is stuck in a policy call, or failed (its reader has the exception): the caller scans itself
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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
