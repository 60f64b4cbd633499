package org.warden.engine.store;

import java.time.Clock;

import org.warden.api.StoreHealth;
import org.warden.engine.state.Journal;

/** A {@link WardenStore} on a JDBC database (H2 or PostgreSQL): a {@link JdbcJournal}, usable as a plain object. */
public final class JdbcStore implements WardenStore, AutoCloseable {

    private final JdbcJournal journal;

    public JdbcStore(JdbcJournal.Connector connector, String backend, JdbcJournal.Settings settings, Clock clock) {
        this(connector, backend, settings, clock, Redactor.NONE);
    }

    /** With {@code redactor} applied to all the store logs and shows (the database password kept out). */
    public JdbcStore(JdbcJournal.Connector connector, String backend, JdbcJournal.Settings settings, Clock clock,
            Redactor redactor) {
        this.journal = new JdbcJournal(connector, backend, settings, clock, redactor);
    }

    @Override
    public Journal start(Journal.Target target) {
        journal.start(target);
        return journal;
    }

    @Override
    public StoreHealth health() {
        JdbcJournal.Status s = journal.status();
        return new StoreHealth(s.backend(), s.nodeId(), s.available(), s.backlog(), s.lastCommitAt(), s.problem(),
                s.droppedAuctions());
    }

    public JdbcJournal journal() {
        return journal;
    }

    @Override
    public void close() {
        journal.close();
    }
}
