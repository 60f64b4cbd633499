package org.warden.engine.core;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.Ban;
import org.warden.api.PendingBan;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.WorkerStore;

/**
 * The one path by which the engine changes a worker's record and journals the change: refused first if the journal
 * cannot take it, applied atomically per worker, handed to the journal inside the same atomic update (so one
 * worker's entries reach the journal in the order they were applied), acknowledged by the receipt.
 *
 * <p>A change the policy must judge (a failure or a penalty may trip its auto-ban rule) is decided <em>outside</em>
 * the worker's atomic update: the change is applied to a private copy of the record as it is now, the policy is asked
 * about that copy with no lock held, and the result is published only if the record is still the one the copy was
 * made from; otherwise the change is decided again on the new record. A policy is somebody else's code: a slow or
 * stuck one then holds its caller's thread only, never the worker's map bin, another caller, or a writer. After
 * {@link #MAX_ATTEMPTS} attempts that each lost the race, the change is applied without the policy's decision (a
 * change is never dropped; an automatic ban may be, and is counted in {@link #decisionsDropped()} and logged: the
 * policy is asked again on the worker's next failure or penalty).
 */
final class WorkerUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerUpdates.class);

    /** Attempts at publishing a decided change before it is applied without the decision. */
    static final int MAX_ATTEMPTS = 4;
    private static final long DROP_LOG_INTERVAL_MS = 60_000;

    private final WorkerStore store;
    private final Supplier<Journal> journal;
    private final Supplier<Change.Limits> limits;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong nextDropLogAtMs = new AtomicLong(Long.MIN_VALUE);
    private final Clock clock;

    WorkerUpdates(Clock clock, WorkerStore store, Supplier<Journal> journal, Supplier<Change.Limits> limits) {
        this.clock = clock;
        this.store = store;
        this.journal = journal;
        this.limits = limits;
    }

    /**
     * What the policy decided about a private copy of a record with the change applied, made with no lock held.
     * The copy may be changed further (e.g. an expired ban ended), as any private copy.
     */
    interface Decider {
        Decision decide(WorkerRecord next);
    }

    /**
     * A policy's automatic ban, validated and built before anything is taken: {@code ban} is imposed if the ban budget
     * has a unit left, else {@code held} waits for an operator. {@code view} is what the policy judged (for the
     * shadow). {@code asked} is false when the policy was not asked (e.g. a ban is already in force).
     */
    record Decision(boolean asked, WorkerRecord view, Ban ban, PendingBan held) {
        static final Decision NOT_ASKED = new Decision(false, null, null, null);

        static Decision noBan(WorkerRecord view) {
            return new Decision(true, view, null, null);
        }
    }

    /** The ban budget, taken inside the atomic update (only if the update publishes), given back if it fails after. */
    interface BanGate {
        boolean tryTake();

        void giveBack();
    }

    /**
     * The result of an update: the record before and after, the decision it was published with ({@code null} if
     * none was asked for, or it was dropped), the automatic ban imposed or held back, and the journal's receipt (the
     * caller awaits it when its acknowledgement must wait for the commit).
     */
    record Applied(WorkerRecord before, WorkerRecord after, Decision decision, Ban imposed, PendingBan held,
            Journal.Receipt receipt) {
    }

    /** Automatic-ban decisions that lost the race {@link #MAX_ATTEMPTS} times and were not applied, since start. */
    long decisionsDropped() {
        return dropped.sum();
    }

    /**
     * Applies {@code change} to its worker.
     *
     * @param known   the worker must be known (an {@link IllegalArgumentException} otherwise, nothing changed)
     * @param decider asked, outside the atomic update, what the policy decides after the change; {@code null} for a
     *                change the policy does not judge
     * @param gate    the ban budget (used only if the decider proposes a ban)
     * @throws IllegalStateException from the journal, refusing the change before anything is changed
     */
    Applied apply(Change change, boolean known, Decider decider, BanGate gate) {
        Journal j = journal.get();
        j.checkAccepting(change.critical());
        Change.Limits l = limits.get();
        if (decider != null) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                WorkerRecord seen = store.get(change.workerId());
                if (known && seen == null) {
                    throw unknown(change.workerId());
                }
                WorkerRecord next = change.begin(seen);
                change.applyTo(next, l);
                Decision decision = decider.decide(next); // the policy: no lock held
                Applied applied = publishIfUnchanged(change, seen, next, decision, gate, j, l);
                if (applied != null) {
                    return applied;
                }
            }
            dropped(change);
        }
        return publish(change, known, j, l);
    }

    /**
     * Applies a change the policy does not judge and waits for its receipt: acknowledged once the journal says so
     * (at once for what may be written asynchronously, after the commit for what must not be lost).
     *
     * @return the worker's record after the change
     */
    WorkerRecord commit(Change change, boolean known) {
        Applied a = apply(change, known, null, null);
        a.receipt().await();
        return a.after();
    }

    /** Publishes {@code next} (and the decision) if the worker's record is still {@code seen}; else {@code null}. */
    private Applied publishIfUnchanged(Change change, WorkerRecord seen, WorkerRecord next, Decision decision,
            BanGate gate, Journal j, Change.Limits l) {
        AtomicReference<Applied> applied = new AtomicReference<>();
        store.update(change.workerId(), current -> {
            applied.set(null);
            if (current != seen) {
                return current; // changed since the copy was made: the decision may no longer hold
            }
            Ban imposed = null;
            PendingBan held = null;
            Change.BanChange banChange = null;
            if (decision.ban() != null) {
                // taken here, where the update is sure to publish: a budget unit is never spent on a lost update
                if (gate.tryTake()) {
                    banChange = new Change.BanChange(decision.ban());
                    banChange.applyTo(next, l);
                    imposed = decision.ban();
                } else {
                    held = decision.held();
                }
            }
            Journal.Receipt receipt;
            try {
                // an automatic ban is journaled with the change that caused it, as durable as it: if a crash loses
                // the change, it loses the ban too, and the record is as if the change never happened
                receipt = journal(j, change, banChange, current, next);
            } catch (RuntimeException e) {
                if (imposed != null) {
                    gate.giveBack(); // the update is not published: neither is the ban
                }
                throw e;
            }
            applied.set(new Applied(current, next, decision, imposed, held, receipt));
            return next;
        });
        return applied.get();
    }

    /** Publishes the change alone, in one atomic update of the worker's record. */
    private Applied publish(Change change, boolean known, Journal j, Change.Limits l) {
        AtomicReference<Applied> applied = new AtomicReference<>();
        store.update(change.workerId(), current -> {
            if (known && current == null) {
                throw unknown(change.workerId());
            }
            WorkerRecord next = change.begin(current);
            change.applyTo(next, l);
            applied.set(new Applied(current, next, null, null, null, journal(j, change, null, current, next)));
            return next;
        });
        return applied.get();
    }

    /** Journals the change (and the ban it caused) from inside the worker's update; stamps the new record. */
    private static Journal.Receipt journal(Journal j, Change change, Change.BanChange ban, WorkerRecord current,
            WorkerRecord next) {
        if (j == Journal.NONE) {
            return Journal.Receipt.DONE; // memory only: the hot path allocates no entry
        }
        return append(j, ban == null ? JournalEntry.of(change) : JournalEntry.of(change, ban), current, next);
    }

    /**
     * Journals an entry from inside the worker's atomic update and stamps the new record with its ticket: the one
     * place a change meets the journal (an import's whole records too, see {@link SnapshotBook}).
     */
    static Journal.Receipt append(Journal j, JournalEntry entry, WorkerRecord current, WorkerRecord next) {
        Journal.Receipt receipt = j.append(entry);
        next.stampJournal(current, receipt.ticket(), 0);
        return receipt;
    }

    static IllegalArgumentException unknown(String workerId) {
        return new IllegalArgumentException("workerId: unknown worker '" + workerId + "'");
    }

    private void dropped(Change change) {
        dropped.increment();
        long now = clock.millis();
        long next = nextDropLogAtMs.get();
        if (now >= next && nextDropLogAtMs.compareAndSet(next, now + DROP_LOG_INTERVAL_MS)) {
            LOG.warn("Worker '{}' changed {} times while the policy judged it: its change was applied without the "
                    + "policy's automatic-ban decision, which is asked again on its next failure or penalty ({} such "
                    + "decisions dropped so far; logged at most once a minute)", change.workerId(), MAX_ATTEMPTS,
                    dropped.sum());
        }
    }
}
