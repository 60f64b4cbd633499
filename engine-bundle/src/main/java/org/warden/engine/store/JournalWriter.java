package org.warden.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Journal;

/**
 * The writer thread: connects (bringing the schema up to date, claiming the node id, restoring the record once),
 * writes whatever has queued as one row in one transaction (group commit), follows the other nodes, and on any
 * failure says the store is unavailable, keeps what is queued, and retries. Everything here but the counters is
 * the writer thread's own. Changes when how rows are written, or how an outage is met, changes.
 */
final class JournalWriter {

    /** The store's one logger name, as before its rooms were split: operators' log settings keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    private static final long JOURNAL_LOCK = 0x5741524445_4e32L;

    private final JdbcJournal.Settings settings;
    private final String backend;
    private final Clock clock;
    private final NodeLease lease;
    private final Availability availability;
    private final EntryCodec codec;
    private final JournalQueue queue;
    private final JournalFollower follower;
    private final JournalRestorer restorer;
    private final Checkpointer.Opener opener;
    private final Supplier<Journal.Target> target;
    private final AtomicBoolean closing;
    private final AtomicLong committedEntries = new AtomicLong();
    private final AtomicLong committedAuctions = new AtomicLong();
    private volatile Instant lastCommitAt;

    // writer thread only
    private Connection connection;
    private Schema.Dialect dialect;
    private long nodeSeq;
    private long carrySeq;

    JournalWriter(JdbcJournal.Settings settings, String backend, Clock clock, NodeLease lease,
            Availability availability, EntryCodec codec, JournalQueue queue, JournalFollower follower,
            JournalRestorer restorer, Checkpointer.Opener opener, Supplier<Journal.Target> target,
            AtomicBoolean closing) {
        this.settings = settings;
        this.backend = backend;
        this.clock = clock;
        this.lease = lease;
        this.availability = availability;
        this.codec = codec;
        this.queue = queue;
        this.follower = follower;
        this.restorer = restorer;
        this.opener = opener;
        this.target = target;
        this.closing = closing;
    }

    long committedEntries() {
        return committedEntries.get();
    }

    /** The auctions among {@link #committedEntries()}. */
    long committedAuctions() {
        return committedAuctions.get();
    }

    Instant lastCommitAt() {
        return lastCommitAt;
    }

    /** The writer thread's loop, until the store closes (after writing what is queued, if it can). */
    void run() {
        while (true) {
            try {
                availability.rethrowFailure();
                if (connection == null) {
                    if (closing.get()) {
                        break;
                    }
                    connect();
                }
                List<JournalQueue.Pending> batch = queue.carry();
                if (batch == null) {
                    batch = take();
                }
                if (!batch.isEmpty()) {
                    write(batch);
                } else if (closing.get()) {
                    break;
                }
                follower.follow(connection, target.get());
                availability.passed();
            } catch (Throwable e) {
                // whatever it is (an SQLException, a corrupt row, an OutOfMemoryError): the store says it is
                // unavailable and why, what is queued stays queued, and the loop retries. The writer never dies
                // while the store claims to be available.
                down(e);
                if (closing.get()) {
                    break;
                }
                pause(settings.retryInterval());
            }
        }
        disconnect();
        long lost = queue.backlog();
        if (lost > 0) {
            LOG.error("Warden store ({}): stopped with {} records not written, because the database was unavailable: {}",
                    backend, lost, availability.reason());
        }
    }

    private List<JournalQueue.Pending> take() {
        List<JournalQueue.Pending> batch = queue.take(closing.get());
        if (Thread.interrupted()) {
            // close() interrupts a waiting writer: it then drains what is left and stops
            closing.set(true);
        }
        return batch;
    }

    /** Opens the database, brings its schema up to date, and restores the journal into the engine once. */
    void connect() throws SQLException {
        Connection c = opener.open();
        try {
            c.setAutoCommit(false);
            Schema.Dialect d = Schema.Dialect.of(c);
            Schema.migrate(c, d, Schema.LATEST);
            connection = c;
            dialect = d;
            // before anything is read or written under this node id: it must be this writer's
            lease.claim(c, d, clock.instant());
            nodeSeq = Math.max(nodeSeq, JournalRows.lastNodeSeq(c, settings.nodeId()));
            c.commit();
            restorer.restoreOnce(c, target.get());
        } catch (Throwable e) {
            connection = null;
            close(c);
            throw e;
        }
        // after a failure the store is back only once the writer has written and followed again: a database that
        // takes connections but fails every commit, or a corrupt row met on every follow, is not available
        follower.lookNow();
        availability.connectedOnce();
    }

    private void write(List<JournalQueue.Pending> batch) throws SQLException {
        if (queue.carry() != batch) {
            carrySeq = ++nodeSeq;
        }
        queue.writing(batch);
        List<EntryCodec.Journaled> entries = new ArrayList<>(batch.size());
        long lastTicket = 0;
        int auctions = 0;
        for (JournalQueue.Pending p : batch) {
            entries.add(new EntryCodec.Journaled(p.ticket, p.entry));
            lastTicket = Math.max(lastTicket, p.ticket);
            if (p.entry.isAuction()) {
                auctions++;
            }
        }
        byte[] payload = codec.encode(entries);
        Instant now = clock.instant();
        availability.busy();
        try {
            lockJournal();
            lease.confirm(connection, now);
            JournalRows.insert(connection, settings.nodeId(), carrySeq, now, entries.size(), payload, lastTicket);
            connection.commit();
        } catch (SQLException e) {
            rollback();
            if (!JournalRows.isDuplicate(e)) {
                throw e;
            }
            try {
                if (!JournalRows.alreadyWritten(connection, settings.nodeId(), carrySeq, payload)) {
                    throw e;
                }
            } catch (JournalRows.ForeignRowException foreign) {
                // not this batch's row: it is still to be written, under a number past every row of this node's
                nodeSeq = Math.max(nodeSeq, JournalRows.lastNodeSeq(connection, settings.nodeId()));
                carrySeq = ++nodeSeq;
                connection.commit();
                throw foreign;
            }
            // the commit of an earlier attempt went through though its acknowledgement was lost
            LOG.info("Warden store ({}): batch {} was already committed", backend, carrySeq);
        } finally {
            availability.idle();
        }
        lastCommitAt = now;
        committedEntries.addAndGet(batch.size());
        committedAuctions.addAndGet(auctions);
        queue.committed(batch);
    }

    /** On PostgreSQL, orders the nodes' commits: rows are then committed in the order of their numbers. */
    private void lockJournal() throws SQLException {
        if (dialect == Schema.Dialect.POSTGRESQL) {
            try (Statement s = connection.createStatement()) {
                s.execute(Sql.lockJournalPostgres(JOURNAL_LOCK));
            }
        }
    }

    /** Unavailable because of {@code e} (logged, shown), disconnected; callers waiting for progress look again. */
    void down(Throwable e) {
        availability.down(e);
        try {
            disconnect();
        } finally {
            queue.signalProgress();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Warden store ({}): rollback failed: {}", backend, e.getMessage());
        }
    }

    private void disconnect() {
        Connection c = connection;
        connection = null;
        close(c);
    }

    private void close(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Warden store ({}): closing the connection failed: {}", backend, e.getMessage());
        }
    }

    private void pause(Duration d) {
        try {
            queue.awaitProgress(d.toMillis());
        } catch (InterruptedException e) {
            closing.set(true);
        }
    }
}
