package org.warden.engine.state;

import java.util.List;
import java.util.Objects;

/**
 * What one atomic update did: the changes applied, in order, to one worker's record; or {@link #clear()}, every
 * worker forgotten (an import that replaces everything); or an {@link Auction} recorded for a what-if replay, which
 * changes no record (a restore skips it). The unit the durable store journals and replays.
 *
 * @param workerId the worker; {@code null} for a clear or an auction
 * @param changes  applied in order, the first one starting the update ({@link Change#begin}); empty for a clear or
 *                 an auction
 * @param auction  the auction, for an auction entry; {@code null} otherwise
 */
public record JournalEntry(String workerId, List<Change> changes, Auction auction) {

    public JournalEntry {
        changes = List.copyOf(changes); // the same list when it is already immutable (List.of)
        if ((workerId == null) != changes.isEmpty() || (auction != null && workerId != null)) {
            throw new IllegalArgumentException("an entry is a clear (no worker, no change), an auction (no worker, "
                    + "no change) or changes of one worker");
        }
        for (Change c : changes) {
            if (!c.workerId().equals(workerId)) {
                throw new IllegalArgumentException("change of worker " + c.workerId() + " in an entry of " + workerId);
            }
        }
    }

    /** Changes of one worker. */
    public JournalEntry(String workerId, List<Change> changes) {
        this(workerId, changes, null);
    }

    public static JournalEntry of(Change change) {
        return new JournalEntry(change.workerId(), List.of(change));
    }

    public static JournalEntry of(Change first, Change second) {
        return new JournalEntry(first.workerId(), List.of(first, second));
    }

    public static JournalEntry clear() {
        return new JournalEntry(null, List.of());
    }

    public static JournalEntry auction(Auction auction) {
        return new JournalEntry(null, List.of(), Objects.requireNonNull(auction, "auction"));
    }

    public boolean isClear() {
        return workerId == null && auction == null;
    }

    /** Whether this entry records an auction (and changes no record). */
    public boolean isAuction() {
        return auction != null;
    }

    /** Whether any change in it must be committed before it is acknowledged (see {@link Change#critical()}). */
    public boolean critical() {
        if (auction != null) {
            return false;
        }
        for (Change c : changes) {
            if (c.critical()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The record after this entry, as the engine's update made it: a private copy of {@code current} (which is
     * {@code null} for a worker not known yet) with every change applied in order. Not for a clear nor an auction.
     */
    public WorkerRecord applyTo(WorkerRecord current, Change.Limits limits) {
        WorkerRecord next = changes.get(0).begin(current);
        for (Change c : changes) {
            c.applyTo(next, limits);
        }
        return next;
    }
}
