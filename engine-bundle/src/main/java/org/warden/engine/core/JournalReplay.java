package org.warden.engine.core;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.warden.engine.state.Change;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.WorkerStore;

/**
 * What the durable store restores and replays into: entries journaled elsewhere (another node sharing the database,
 * or this node before a restart) applied as they were applied there, with no policy asked and nothing journaled
 * again, keeping the network's job totals in step. Changes when the store's replay contract ({@link Journal.Target})
 * changes.
 */
final class JournalReplay implements Journal.Target {

    private final WorkerStore store;
    private final Supplier<Change.Limits> limits;
    private final NetworkView network;
    private final RestoreState restore;

    JournalReplay(WorkerStore store, Supplier<Change.Limits> limits, NetworkView network, RestoreState restore) {
        this.store = store;
        this.limits = limits;
        this.network = network;
        this.restore = restore;
    }

    @Override
    public Change.Limits limits() {
        return limits.get();
    }

    @Override
    public void applyJournaled(JournalEntry entry, boolean own, long ticket, long position) {
        if (entry.isAuction()) {
            return; // kept for a what-if replay; it changes no record
        }
        if (entry.isClear()) {
            store.clear();
            recountJobTotals();
            return;
        }
        Change.Limits l = limits();
        long[] delta = new long[2];
        store.update(entry.workerId(), current -> {
            delta[0] = 0;
            delta[1] = 0;
            if (current != null && (own ? ticket <= current.journalTicket() : position <= current.journalFollowed())) {
                return current; // already in this record (it came from a checkpoint that holds it)
            }
            WorkerRecord next = entry.applyTo(current, l);
            next.stampJournal(current, own ? ticket : 0, own ? 0 : position);
            delta[0] = next.jobsCompleted() - (current == null ? 0 : current.jobsCompleted());
            delta[1] = next.jobsFailed() - (current == null ? 0 : current.jobsFailed());
            return next;
        });
        if (network != null) {
            network.addTotals(delta[0], delta[1]);
            for (Change c : entry.changes()) {
                if (!(c instanceof Change.Outcome) && !(c instanceof Change.Health)) {
                    network.invalidate();
                    break;
                }
            }
        }
    }

    @Override
    public void loadRecord(WorkerRecord record) {
        store.update(record.workerId(), current -> record);
    }

    @Override
    public void restored() {
        restore.done();
        recountJobTotals();
    }

    @Override
    public void forEachRecord(Consumer<WorkerRecord> action) {
        store.forEach(action);
    }

    @Override
    public void replace(String workerId, UnaryOperator<WorkerRecord> change) {
        store.update(workerId, change);
    }

    /** A target of its own in memory, with no network to keep in step: the store's late restore reads into it. */
    @Override
    public Journal.Target scratch() {
        return new JournalReplay(new InMemoryWorkerStore(), limits, null, new RestoreState());
    }

    /**
     * Sets the network-wide job totals to the sums over every stored worker, and forgets the cached network health:
     * after the store was changed wholesale (an import, a restore). Outcomes recorded while this runs may be counted
     * twice or not at all; a wholesale change is an operator's action or a start, not the hot path.
     */
    void recountJobTotals() {
        if (network == null) {
            return;
        }
        long[] sums = new long[2];
        store.forEach(r -> {
            sums[0] += r.jobsCompleted();
            sums[1] += r.jobsFailed();
        });
        network.resetTotals(sums[0], sums[1]);
    }
}
