package org.warden.engine.state;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where the engine hands every change it applies, for the durable store to write. The engine calls
 * {@link #append} inside the worker's atomic update, so one worker's entries reach the journal in the order they
 * were applied, and stamps the record with the receipt's ticket; it waits on the receipt after the update.
 */
public interface Journal {

    /** No journal: memory only (unit tests, the simulator, a store switched off). */
    Journal NONE = new Journal() {
        @Override
        public void checkAccepting(boolean critical) {
            // memory only: always accepting
        }

        @Override
        public Receipt append(JournalEntry entry) {
            return Receipt.DONE;
        }
    };

    /**
     * Refuses, before anything is changed, what the journal cannot take now, with an {@link IllegalStateException}
     * saying why: a critical change (ban, unban, penalty, malicious report, import) while the store is unavailable,
     * or anything once the backlog waiting for an unavailable store is full.
     */
    void checkAccepting(boolean critical);

    /** Takes an entry; must not block (it runs inside the worker's atomic update). */
    Receipt append(JournalEntry entry);

    /**
     * Keeps an auction for the history a what-if replays, if the store keeps history: never blocks, never throws (an
     * auction that cannot be kept now, the backlog being full, is dropped and counted, and the distributor's ranking
     * goes on). Nothing for a journal that keeps no history.
     */
    default void record(Auction auction) {
        // no history kept
    }

    /** The history this journal keeps for a what-if replay; {@link History#NONE} if none. */
    default History history() {
        return History.NONE;
    }

    /** The acknowledgement of one entry. */
    interface Receipt {

        Receipt DONE = new Receipt() {
            @Override
            public void await() {
                // nothing to wait for
            }

            @Override
            public long ticket() {
                return 0;
            }
        };

        /**
         * Returns once the entry may be acknowledged: at once for an asynchronous one, after its commit for a
         * synchronous one.
         *
         * @throws IllegalStateException if the commit did not happen in time; the entry stays queued and is written
         *                               when the store is back, but it is not durable yet
         */
        void await();

        /** This node's number for the entry, increasing in the order entries were appended; 0 without a journal. */
        long ticket();
    }

    /** What the durable store restores into and follows other nodes into: the engine's records. */
    interface Target {

        /**
         * Applies an entry journaled before a restart or by another node, unless the record already holds it:
         * this node's entry of ticket {@code ticket} ({@code own}), or another node's entry at journal position
         * {@code position} (row and index in it). A clear is applied as it comes (the store decides which to
         * replay).
         */
        void applyJournaled(JournalEntry entry, boolean own, long ticket, long position);

        /** Takes a record from a checkpoint, with its watermarks, replacing any. */
        void loadRecord(WorkerRecord record);

        /** After a restore: network totals recounted from the records. */
        void restored();

        /** Every record, for a checkpoint; each one is a consistent published state. */
        void forEachRecord(Consumer<WorkerRecord> action);

        /** The history sizes changes are applied with. */
        Change.Limits limits();

        /** Replaces a worker's record atomically with {@code change.apply(current)}, journaling nothing. */
        void replace(String workerId, UnaryOperator<WorkerRecord> change);

        /**
         * A target with the same settings over records of its own, empty: where a restore that comes late (the
         * database was unavailable at start, and changes were recorded in memory meanwhile) reads the record first.
         */
        Target scratch();
    }
}
