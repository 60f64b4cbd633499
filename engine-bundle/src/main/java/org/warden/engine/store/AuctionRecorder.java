package org.warden.engine.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Auction;
import org.warden.engine.state.JournalEntry;

/**
 * The auctions kept for the history a what-if replays (issue 16): queued for the writer like an outcome
 * acknowledged at once, when the store keeps history; never waited for, never refused. While the store is
 * unavailable or closing, or its backlog full, an auction is dropped and counted (the first of a run logged): a
 * ranking must not wait for the history, and what-if reports how many it could not see. Changes when what is kept
 * of a ranking, or when, changes.
 */
final class AuctionRecorder {

    /** The store's one logger name: operators' log settings keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);

    private final JdbcJournal.Settings settings;
    private final String backend;
    private final Availability availability;
    private final JournalQueue queue;
    private final AtomicBoolean closing;
    private final LongAdder dropped = new LongAdder();
    /** Whether the last auction was dropped: the first of a run is logged, not every one. */
    private final AtomicBoolean dropping = new AtomicBoolean();

    AuctionRecorder(JdbcJournal.Settings settings, String backend, Availability availability, JournalQueue queue,
            AtomicBoolean closing) {
        this.settings = settings;
        this.backend = backend;
        this.availability = availability;
        this.queue = queue;
        this.closing = closing;
    }

    void record(Auction auction) {
        if (settings.historyRetention().isZero()) {
            return;
        }
        String why = closing.get() ? "the store is closing" : availability.reason();
        long backlog = queue.backlog();
        if (why == null && backlog >= settings.maxBacklog()) {
            why = backlog + " records wait to be written, the most kept in memory (maxBacklog)";
        }
        if (why != null) {
            dropped.increment();
            if (dropping.compareAndSet(false, true)) {
                LOG.warn("Warden store ({}): auctions are not kept for the history while {}; they are counted "
                        + "(historyDroppedAuctions), and a what-if over this time sees fewer rankings", backend, why);
            }
            return;
        }
        dropping.set(false);
        // nobody waits for its commit: the writer takes it at its next look, not woken
        queue.add(JournalEntry.auction(auction), false, null);
    }

    /** Auctions dropped since the store started. */
    long dropped() {
        return dropped.sum();
    }
}
