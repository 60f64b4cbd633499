package org.warden.engine.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The engine-wide ban budget: automatic bans within a sliding window may not exceed a share of the active workers,
 * whatever the policy. Keeps the times of the recent automatic bans; only touched when a policy decides a ban, which
 * is rare, so one lock is enough. {@link #tryTake} is atomic across workers: two workers' updates deciding a ban at
 * the same time never both take the last unit.
 *
 * <p>The budget is {@code max(1, floor(share × active))}: at least one, so that a tiny network (or one whose first
 * scan found no active worker yet) can still ban one worker automatically per window. A share of 1 allows as many
 * bans as there are active workers, which disables the limit in effect.
 */
public final class BanBudget {

    private final ArrayDeque<Instant> taken = new ArrayDeque<>();

    /** The number of automatic bans allowed per window for {@code activeWorkers} active workers. */
    public static long limit(double share, long activeWorkers) {
        long byShare = (long) Math.floor(share * Math.max(0, activeWorkers) + 1e-9);
        return Math.max(1, byShare);
    }

    /**
     * Takes one unit of the budget for an automatic ban at {@code now}, if any is left.
     *
     * @return {@code true} if the ban may be imposed (and is now counted), {@code false} if the budget is spent
     */
    public synchronized boolean tryTake(Instant now, long activeWorkers, double share, Duration window) {
        expire(now, window);
        if (taken.size() >= limit(share, activeWorkers)) {
            return false;
        }
        taken.addLast(now);
        return true;
    }

    /** Gives back the unit taken at {@code at} by {@link #tryTake}: the ban it was taken for was not imposed. */
    public synchronized void giveBack(Instant at) {
        taken.removeLastOccurrence(at);
    }

    /** Automatic bans counted in the window ending at {@code now}. */
    public synchronized int used(Instant now, Duration window) {
        expire(now, window);
        return taken.size();
    }

    /** Forgets every counted ban. */
    public synchronized void clear() {
        taken.clear();
    }

    private void expire(Instant now, Duration window) {
        Instant start = now.minus(window);
        // times are taken from one clock, nearly in order; a late one behind an earlier-expiring one expires later
        while (!taken.isEmpty() && !taken.peekFirst().isAfter(start)) {
            taken.pollFirst();
        }
    }
}
