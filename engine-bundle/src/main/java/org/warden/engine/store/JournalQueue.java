package org.warden.engine.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;

/**
 * The entries between the engine's threads and the writer: the queue, the tickets it hands out, and how far behind
 * the writer is. Engine threads add; only the writer takes. Changes when the hand-over between callers and the writer
 * changes.
 */
final class JournalQueue {

    /**
     * Entries waiting for the writer. Lock-free, and nobody is signalled on an add: the writer looks every
     * {@link #groupCommitNanos} (and at once for an entry a caller waits for), so a call costs an add, not a
     * wake-up of another thread.
     */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final LongAdder queued = new LongAdder();
    /** Entries the writer took from the queue (only the writer writes it). */
    private volatile long taken;
    /** {@link System#nanoTime()} when the writer last took from the queue (or found it empty). */
    private volatile long lastTakeNanos;
    /** The batch the writer is writing (taken, not yet committed), or {@code null}. */
    private volatile List<Pending> carry;
    /** {@link System#nanoTime()} when the oldest entry of the batch being written was queued; 0 when none is. */
    private volatile long inFlightSince;
    private final long groupCommitNanos;
    private final long asyncWindowNanos;
    private final int maxBacklog;
    private final int maxBatch;
    private final AtomicLong tickets = new AtomicLong();
    /** The ticket of this node's last clear (an import replacing every worker). */
    private final AtomicLong lastClearTicket = new AtomicLong();
    /** What the writer's progress is signalled on (a commit, an outage), for callers held back and for its pauses. */
    private final Object progress = new Object();
    /** How a caller waits for the commit of an entry that must not be lost. */
    private final Consumer<Pending> awaitCommit;

    JournalQueue(JdbcJournal.Settings settings, Consumer<Pending> awaitCommit) {
        this.asyncWindowNanos = settings.asyncWindow().toNanos();
        this.maxBacklog = settings.maxBacklog();
        this.maxBatch = settings.maxBatch();
        this.awaitCommit = awaitCommit;
        // a tenth of the window, at most 10 ms: commits are large, callers never wait for one, and the window holds
        this.groupCommitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(TimeUnit.MILLISECONDS.toNanos(10), asyncWindowNanos / 10));
        this.lastTakeNanos = System.nanoTime();
        // tickets must grow across restarts, also for changes recorded before the journal could be read back (the
        // database unavailable at start): they start at the wall clock's microseconds (an identifier, not a time
        // rule, hence not the injected clock), and after a restore above the largest one journaled
        Instant wall = Instant.now();
        tickets.set(wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1_000);
    }

    // ------------------------------------------------------------------ engine threads

    /** Queues {@code entry} with the next ticket; {@code sync}: its caller waits for the commit (the writer looks now). */
    Pending add(JournalEntry entry, boolean sync, Thread writer) {
        Pending p = new Pending(entry, sync ? new CompletableFuture<>() : null, System.nanoTime(),
                tickets.incrementAndGet());
        if (entry.isClear()) {
            lastClearTicket.accumulateAndGet(p.ticket, Math::max);
        }
        queued.increment(); // before the add: the writer may take it at once, and the backlog is queued - taken
        queue.add(p);
        if (sync) {
            // the caller waits for this commit: no need to wait for the next look
            LockSupport.unpark(writer);
        }
        return p;
    }

    /** Records applied in memory and not yet taken by the writer, plus those it is writing. */
    long backlog() {
        List<Pending> c = carry;
        long t = taken; // before the sum, which only grows: never more taken than counted
        return Math.max(0, queued.sum() - t) + (c == null ? 0 : c.size());
    }

    /**
     * Whether the writer is behind: a batch older than half the window is still being written, it has not taken
     * from the queue for half the window (not scheduled, on a loaded machine), or the backlog is at its limit.
     */
    boolean behind() {
        long now = System.nanoTime();
        long since = inFlightSince;
        long t = taken;
        long waiting = queued.sum() - t;
        return (since != 0 && now - since > asyncWindowNanos / 2)
                || (now - lastTakeNanos > asyncWindowNanos / 2 && waiting > 0)
                || waiting >= maxBacklog;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The entries still queued, in the order they were applied (a weakly consistent view). */
    Iterable<Pending> queued() {
        return queue;
    }

    // ------------------------------------------------------------------ tickets

    long lastTicket() {
        return tickets.get();
    }

    /** Tickets after a restore start above every one journaled. */
    void ticketsAbove(long journaled) {
        tickets.accumulateAndGet(journaled, Math::max);
    }

    long lastClearTicket() {
        return lastClearTicket.get();
    }

    // ------------------------------------------------------------------ the writer

    /**
     * The next batch: what has queued, after waiting (unless {@code closing}) for the group commit interval or an
     * entry a caller waits for; empty if nothing came.
     */
    List<Pending> take(boolean closing) {
        if (!closing && queue.isEmpty()) {
            LockSupport.parkNanos(this, groupCommitNanos);
        }
        List<Pending> batch = new ArrayList<>();
        // added before it is removed from the queue (the writer is its only taker): an Error between the two (an
        // OutOfMemoryError growing the list) leaves the entry queued, not lost
        for (Pending p = queue.peek(); p != null; p = batch.size() < maxBatch ? queue.peek() : null) {
            batch.add(p);
            queue.poll();
        }
        taken += batch.size();
        lastTakeNanos = System.nanoTime();
        return batch;
    }

    /** The batch taken and not yet committed (written again after a failure), or {@code null}. */
    List<Pending> carry() {
        return carry;
    }

    /** The writer is writing {@code batch}. */
    void writing(List<Pending> batch) {
        carry = batch;
        inFlightSince = batch.get(0).queuedAt;
    }

    /** The batch the writer was writing is committed: its waiting callers are released. */
    void committed(List<Pending> batch) {
        carry = null;
        for (Pending p : batch) {
            if (p.committed != null) {
                p.committed.complete(null);
            }
        }
        inFlightSince = 0;
        signalProgress();
    }

    /** Wakes whoever waits for the writer's progress. */
    void signalProgress() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Waits for the writer's progress at most {@code ms} (at least 1); throws if interrupted. */
    void awaitProgress(long ms) throws InterruptedException {
        synchronized (progress) {
            progress.wait(Math.max(1, ms));
        }
    }

    /**
     * Holds a caller back while the writer is {@link #behind()}, at most {@code timeoutNanos}, and only while
     * {@code waitable} (the store usable and not closing).
     */
    void waitForWriter(long timeoutNanos, java.util.function.BooleanSupplier waitable) {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (progress) {
            while (waitable.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (!behind() || left <= 0) {
                    return;
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, asyncWindowNanos))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the durable store to catch up", e);
                }
            }
        }
    }

    /**
     * An entry waiting for its commit, and its receipt (one object per call); {@code committed} only for one that
     * must be acknowledged after it.
     */
    final class Pending implements Journal.Receipt {
        final JournalEntry entry;
        final CompletableFuture<Void> committed;
        final long queuedAt;
        final long ticket;

        Pending(JournalEntry entry, CompletableFuture<Void> committed, long queuedAt, long ticket) {
            this.entry = entry;
            this.committed = committed;
            this.queuedAt = queuedAt;
            this.ticket = ticket;
        }

        @Override
        public void await() {
            if (committed != null) {
                awaitCommit.accept(this);
            }
        }

        @Override
        public long ticket() {
            return ticket;
        }
    }
}
