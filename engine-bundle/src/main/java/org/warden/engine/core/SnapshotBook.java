package org.warden.engine.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.WorkerStore;

/**
 * Export and import of every worker's record, exactly as stored: decayed counters as of their own
 * {@code decayedAt}, never brought to now, so export then import gives back the same state.
 */
public final class SnapshotBook {

    private final WorkerBook book;

    public SnapshotBook(WorkerBook book) {
        this.book = book;
    }

    /** Every worker, sorted by id (an export of the same state is the same file); each record consistent. */
    public Snapshot export() {
        List<WorkerSnapshot> workers = new ArrayList<>(book.store().size());
        book.store().forEach(r -> workers.add(r.toSnapshot()));
        workers.sort(Comparator.comparing(WorkerSnapshot::workerId));
        return new Snapshot(Snapshot.FORMAT, book.clock().instant(), workers);
    }

    /**
     * Checks every worker first (a refused import changes nothing), then takes them: {@link ImportMode#MERGE}
     * replaces the workers with the same ids and keeps the others, {@link ImportMode#REPLACE} forgets every worker
     * first. The network job totals are recounted from the records afterwards.
     *
     * @return the number of workers imported
     * @throws IllegalArgumentException naming the first worker that breaks {@link SnapshotRules} (a count that could
     *                                  wrap, a time after the engine's clock, an inconsistent ban), and the field
     */
    public int importSnapshot(Snapshot snapshot, ImportMode mode) {
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot must not be null");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        Instant now = book.clock().instant();
        List<WorkerRecord> records = new ArrayList<>(snapshot.workers().size());
        for (int i = 0; i < snapshot.workers().size(); i++) {
            WorkerSnapshot w = snapshot.workers().get(i);
            records.add(SnapshotRules.toRecord(i, w, now));
        }
        WorkerStore store = book.store();
        Journal journal = book.journal();
        journal.checkAccepting(true);
        List<Journal.Receipt> receipts = new ArrayList<>(records.size() + 1);
        if (mode == ImportMode.REPLACE) {
            store.clear();
            receipts.add(journal.append(JournalEntry.clear()));
        }
        for (int i = 0; i < records.size(); i++) {
            WorkerRecord r = records.get(i);
            Change.Put put = new Change.Put(snapshot.workers().get(i), now);
            store.update(r.workerId(), current -> {
                receipts.add(WorkerUpdates.append(journal, JournalEntry.of(put), current, r));
                return r;
            });
        }
        book.recountJobTotals();
        for (Journal.Receipt receipt : receipts) {
            receipt.await();
        }
        return records.size();
    }
}
