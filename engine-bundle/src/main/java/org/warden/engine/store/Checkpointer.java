package org.warden.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Journal;

/**
 * Keeps restarts short and the journal small: on its own thread and connection, every checkpoint interval (when
 * enough was committed since the last one), writes every record with its watermarks (the last ticket of this node's
 * and the last row of another node's changes it holds) and the row from which the journal must be read after it,
 * then deletes the rows no node's checkpoint or follower needs any more, nor the history's retention keeps. Changes when when or what a checkpoint
 * writes changes.
 */
final class Checkpointer {

    /** The store's one logger name, as before its rooms were split: operators' log settings keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);

    /** Opens a connection bounded by the store's timeouts. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final JdbcJournal.Settings settings;
    private final String backend;
    private final java.time.Clock clock;
    private final Redactor redactor;
    private final Availability availability;
    private final Checkpoints checkpoints;
    private final JournalQueue queue;
    private final JournalFollower follower;
    private final JournalRestorer restorer;
    private final LongSupplier committedEntries;
    private final Supplier<Journal.Target> target;
    private final Opener opener;
    private final AtomicBoolean closing;
    private final Object lock = new Object();
    private long entriesAtLastCheckpoint;

    Checkpointer(JdbcJournal.Settings settings, String backend, java.time.Clock clock, Redactor redactor,
            Availability availability, Checkpoints checkpoints, JournalQueue queue, JournalFollower follower,
            JournalRestorer restorer, LongSupplier committedEntries, Supplier<Journal.Target> target, Opener opener,
            AtomicBoolean closing) {
        this.settings = settings;
        this.backend = backend;
        this.clock = clock;
        this.redactor = redactor;
        this.availability = availability;
        this.checkpoints = checkpoints;
        this.queue = queue;
        this.follower = follower;
        this.restorer = restorer;
        this.committedEntries = committedEntries;
        this.target = target;
        this.opener = opener;
        this.closing = closing;
    }

    /** The checkpoint thread's loop, until the store closes. */
    void loop() {
        while (!closing.get()) {
            synchronized (lock) {
                try {
                    lock.wait(settings.checkpointInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (closing.get() || !availability.usable() || !restorer.restored()
                    || committedEntries.getAsLong() - entriesAtLastCheckpoint < settings.checkpointMinEntries()) {
                continue;
            }
            try {
                checkpoint();
            } catch (SQLException | RuntimeException e) {
                // not an outage: the writer decides that; the next checkpoint tries again
                LOG.warn("Warden store ({}): checkpoint failed: {}", backend, availability.describe(e),
                        redactor.redact(e));
            } catch (Throwable e) {
                // an Error (out of memory): the writer goes down on it, says why, and retries; this loop goes on
                availability.fail(new IllegalStateException("checkpoint failed: " + e, e));
            }
        }
    }

    /** Wakes the loop (to see that the store closes). */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Writes a checkpoint now, on a connection of its own (the writer goes on), and deletes the journal rows no
     * node needs any more.
     */
    JdbcJournal.Checkpoint checkpoint() throws SQLException {
        synchronized (lock) {
            if (!restorer.restored()) {
                throw new IllegalStateException("no checkpoint before the record has been read back");
            }
            // the cut: every row up to followed, and every change this node journaled up to ticket, are in memory
            long followed = follower.followedSeq();
            long ticket = queue.lastTicket();
            // after the ticket: a clear with a ticket up to it was appended before, so this is at least its ticket
            long clearTicket = queue.lastClearTicket();
            long entries = committedEntries.getAsLong();
            Instant now = clock.instant();
            try (Connection c = opener.open()) {
                c.setAutoCommit(false);
                long workers = checkpoints.write(c, settings.nodeId(), new Checkpoints.Mark(settings.nodeId(),
                        followed, ticket, clearTicket, followed, now), target.get());
                c.commit();
                // the history's retention counts back from the checkpoint's time, the clock rows are written by
                Instant keepSince = settings.historyRetention().isZero() ? null : now.minus(settings.historyRetention());
                long deleted = checkpoints.compact(c, keepSince);
                c.commit();
                entriesAtLastCheckpoint = entries;
                LOG.info("Warden store ({}): checkpoint of {} workers up to journal row {}; {} rows no longer needed "
                        + "deleted", backend, workers, followed, deleted);
                return new JdbcJournal.Checkpoint(workers, followed, deleted);
            }
        }
    }
}
