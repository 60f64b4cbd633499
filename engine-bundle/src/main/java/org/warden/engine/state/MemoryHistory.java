package org.warden.engine.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A journal that keeps its whole history in memory: every entry appended and every auction recorded, with the time it
 * was written, never compacted ({@link History.Retained#fromStart()}). For a plain-Java engine that records a run to
 * replay it under another policy (tests, the simulator's what-if); memory grows with the run, so not for Karaf,
 * where the durable store keeps the history within its retention.
 */
public final class MemoryHistory implements Journal, History {

    private record Written(JournalEntry entry, Instant at) {
    }

    private final Clock clock;
    private final Instant created;
    /** Guarded by itself: appended to from inside workers' atomic updates, on many threads. */
    private final List<Written> entries = new ArrayList<>();

    /** @param clock the time entries are written at: the engine's clock */
    public MemoryHistory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.created = clock.instant();
    }

    @Override
    public void checkAccepting(boolean critical) {
        // memory: always accepting
    }

    @Override
    public Receipt append(JournalEntry entry) {
        long ticket = add(Objects.requireNonNull(entry, "entry"));
        return new Receipt() {
            @Override
            public void await() {
                // kept already
            }

            @Override
            public long ticket() {
                return ticket;
            }
        };
    }

    @Override
    public void record(Auction auction) {
        add(JournalEntry.auction(auction));
    }

    /** Keeps the entry; returns its number, from 1, in the order written. */
    private long add(JournalEntry entry) {
        Instant at = clock.instant();
        synchronized (entries) {
            entries.add(new Written(entry, at));
            return entries.size();
        }
    }

    @Override
    public History history() {
        return this;
    }

    /** Entries kept so far. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Since the first entry (since this history was made while there is none), everything, from the start. */
    @Override
    public Optional<Retained> retained() {
        synchronized (entries) {
            Instant since = entries.isEmpty() ? created : entries.get(0).at();
            return Optional.of(new Retained(since, true, entries.size()));
        }
    }

    /**
     * Every entry written at or after {@code since}, in the order written, those appended during the read included.
     * The visitor is called with no lock held (it replays into an engine, which calls a policy).
     */
    @Override
    public void read(Instant since, Visitor visitor) {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(visitor, "visitor");
        for (int i = 0;; i++) {
            Written w;
            synchronized (entries) {
                if (i >= entries.size()) {
                    return;
                }
                w = entries.get(i);
            }
            if (!w.at().isBefore(since) && !visitor.visit(w.entry(), w.at())) {
                return;
            }
        }
    }
}
