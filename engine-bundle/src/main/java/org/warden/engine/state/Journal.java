package org.warden.engine.state;

/**
 * Where the engine hands every change it applies, for the durable store to write. The engine calls
 * {@link #append} inside the worker's atomic update, so one worker's entries reach the journal in the order they
 * were applied; it waits on the returned receipt after the update, outside it.
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

    /** The acknowledgement of one entry. */
    interface Receipt {

        Receipt DONE = () -> {
        };

        /**
         * Returns once the entry may be acknowledged: at once for an asynchronous one, after its commit for a
         * synchronous one.
         *
         * @throws IllegalStateException if the commit did not happen in time; the entry stays queued and is written
         *                               when the store is back, but it is not durable yet
         */
        void await();
    }
}
