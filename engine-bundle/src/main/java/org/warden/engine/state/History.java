package org.warden.engine.state;

import java.time.Instant;
import java.util.Optional;

/**
 * The journal as kept for a what-if replay: every entry (changes, clears, auctions) written within the durable store's
 * retention, read back in the order it was journaled. The store provides it; a memory-only engine keeps none.
 */
public interface History {

    /** No history: memory only. */
    History NONE = new History() {
        @Override
        public Optional<Retained> retained() {
            return Optional.empty();
        }

        @Override
        public void read(Instant since, Visitor visitor) {
            throw new IllegalStateException("no history is kept: the durable store is off (memory only)");
        }
    };

    /**
     * What is retained now: empty if nothing is.
     *
     * @param since     the time the oldest retained entry was written
     * @param fromStart whether nothing was ever compacted away (the history holds every entry since the store was
     *                  created)
     * @param entries   how many entries are retained, or -1 if not known without reading them
     */
    record Retained(Instant since, boolean fromStart, long entries) {
    }

    Optional<Retained> retained();

    /**
     * Streams every entry written at or after {@code since}, in journal order, with the time it was written, to
     * {@code visitor}, until it returns {@code false}. Reads in bounded memory, whatever the history's length.
     *
     * @throws IllegalStateException if the history since then is not retained (the message says since when it is),
     *                               or none is kept
     */
    void read(Instant since, Visitor visitor);

    /** Takes the entries of a {@link #read}. */
    @FunctionalInterface
    interface Visitor {
        /** @return {@code false} to stop reading */
        boolean visit(JournalEntry entry, Instant writtenAt);
    }
}
