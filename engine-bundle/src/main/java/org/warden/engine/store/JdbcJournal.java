package org.warden.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;

/**
 * The durable journal: every entry the engine applies in memory goes through a queue to one writer thread, which
 * writes whatever has accumulated as one row in one transaction (group commit). Entries that must not be lost
 * (bans, unbans, penalties, malicious reports, imports) are acknowledged once committed; outcomes and health
 * reports, unless configured synchronous, at once, with the writer committing them within the asynchronous window
 * (callers are held back when the writer falls behind it, so a crash loses at most that window).
 *
 * <p>On (re)connection the writer first reads back the journal into the engine (once: a restart's restore), then
 * writes what queued meanwhile. With several nodes on one PostgreSQL database it also follows the other nodes' rows:
 * they are applied as they were journaled, counters as deltas, so nodes never overwrite each other. A transaction
 * lock orders the nodes' commits, so row numbers are committed in order and a follower never skips one.
 *
 * <p>An unreachable or unreadable database never stops the engine: it serves from memory, the writer retries, the
 * problem is logged and shown in network health, and nothing queued is dropped; critical changes are refused
 * (nothing is acknowledged that is not recorded) and the backlog is bounded. When the database was unavailable
 * at start, the record is read back once it is available, and what was recorded in memory meanwhile is applied on
 * top of it, worker by worker.
 *
 * <p>Checkpoints keep restarts short and the journal small: a second thread, on its own connection, writes every
 * record with its watermarks (the last ticket of this node's and the last row of another node's changes it holds)
 * and the row from which the journal must be read after it. A restart loads the checkpoint, then replays only the
 * rows after it, skipping the changes a record already holds. Rows that no node's checkpoint or follower needs
 * any more are deleted.
 */
public final class JdbcJournal implements Journal, AutoCloseable {

    /** Opens a connection to the store's database. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    /** How the journal behaves; see the store configuration for each setting. */
    public record Settings(String nodeId, boolean outcomesSync, boolean healthSync, Duration asyncWindow,
            Duration followInterval, Duration retryInterval, Duration syncTimeout, int maxBacklog, int maxBatch,
            Duration checkpointInterval, long checkpointMinEntries, Timeouts timeouts) {

        /** With checkpoints every 10 minutes when at least 10,000 changes were committed since the last one. */
        public Settings(String nodeId, boolean outcomesSync, boolean healthSync, Duration asyncWindow,
                Duration followInterval, Duration retryInterval, Duration syncTimeout, int maxBacklog, int maxBatch) {
            this(nodeId, outcomesSync, healthSync, asyncWindow, followInterval, retryInterval, syncTimeout, maxBacklog,
                    maxBatch, Duration.ofMinutes(10), 10_000);
        }

        /** With the default {@link Timeouts}. */
        public Settings(String nodeId, boolean outcomesSync, boolean healthSync, Duration asyncWindow,
                Duration followInterval, Duration retryInterval, Duration syncTimeout, int maxBacklog, int maxBatch,
                Duration checkpointInterval, long checkpointMinEntries) {
            this(nodeId, outcomesSync, healthSync, asyncWindow, followInterval, retryInterval, syncTimeout, maxBacklog,
                    maxBatch, checkpointInterval, checkpointMinEntries, Timeouts.DEFAULTS);
        }

        /** These settings with {@code t}. */
        public Settings withTimeouts(Timeouts t) {
            return new Settings(nodeId, outcomesSync, healthSync, asyncWindow, followInterval, retryInterval,
                    syncTimeout, maxBacklog, maxBatch, checkpointInterval, checkpointMinEntries, t);
        }

        public Settings {
            if (nodeId == null || nodeId.isBlank() || nodeId.length() > 64) {
                throw new IllegalArgumentException("nodeId must be 1 to 64 characters, was '" + nodeId + "'");
            }
            positive("asyncWindow", asyncWindow);
            positive("followInterval", followInterval);
            positive("retryInterval", retryInterval);
            positive("syncTimeout", syncTimeout);
            positive("checkpointInterval", checkpointInterval);
            if (checkpointMinEntries < 0) {
                throw new IllegalArgumentException("checkpointMinEntries must not be negative");
            }
            if (timeouts == null) {
                throw new IllegalArgumentException("timeouts must be given");
            }
            if (maxBacklog < 1 || maxBatch < 1 || maxBatch > MAX_BATCH) {
                throw new IllegalArgumentException("maxBacklog must be positive and maxBatch in [1, " + MAX_BATCH + "]");
            }
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    /** What network health shows of the store. */
    public record Status(String backend, String nodeId, boolean available, long backlog, long committedEntries,
            Instant lastCommitAt, String problem) {
    }

    /** What a checkpoint wrote: the rows after {@code fromSeq} are what a restart reads after it. */
    public record Checkpoint(long workers, long fromSeq, long deletedRows) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    /** The most entries in one row: an entry's index in its row takes 16 bits of its {@link #position}. */
    static final int MAX_BATCH = 0xFFFF;
    private static final long JOURNAL_LOCK = 0x5741524445_4e32L;

    private final Connector connector;
    private final String backend;
    private final Settings settings;
    private final Clock clock;
    private final Redactor redactor;
    private final NodeLease lease;
    private final Availability availability;
    private final EntryCodec codec = new EntryCodec();
    private final Checkpoints checkpoints = new Checkpoints(codec);
    /**
     * Entries waiting for the writer. Lock-free, and nobody is signalled on an add: the writer looks every
     * {@link #groupCommitNanos} (and at once for an entry a caller waits for), so a call costs an add, not a
     * wake-up of another thread.
     */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final LongAdder queued = new LongAdder();
    /** Entries the writer took from the queue (only the writer writes it). */
    private volatile long taken;
    /** {@link System#nanoTime()} when the writer last took from the queue (or found it empty). */
    private volatile long lastTakeNanos;
    private final long groupCommitNanos;
    private final Object progress = new Object();
    private final AtomicLong committedEntries = new AtomicLong();
    private final long asyncWindowNanos;
    private volatile Journal.Target target;
    private final AtomicLong tickets = new AtomicLong();
    /** The ticket of this node's last clear (an import replacing every worker). */
    private final AtomicLong lastClearTicket = new AtomicLong();
    /** Every row up to this one is in memory (this node's, and the others' the writer followed). */
    private volatile long followedSeq;
    private final Object checkpointLock = new Object();
    private long entriesAtLastCheckpoint;
    private Thread checkpointer;
    private volatile boolean restored;
    private volatile Instant lastCommitAt;
    /** {@link System#nanoTime()} when the oldest entry of the batch being written was queued; 0 when none is. */
    private volatile long inFlightSince;
    private volatile boolean closing;
    private Thread writer;

    // writer thread only
    private Connection connection;
    private Schema.Dialect dialect;
    private long nodeSeq;
    private long nextFollowNanos;
    private volatile List<Pending> carry;
    private long carrySeq;

    public JdbcJournal(Connector connector, String backend, Settings settings, Clock clock) {
        this(connector, backend, settings, clock, Redactor.NONE);
    }

    /** With {@code redactor} applied to every message and exception the store logs or shows. */
    public JdbcJournal(Connector connector, String backend, Settings settings, Clock clock, Redactor redactor) {
        this.connector = connector;
        this.backend = backend;
        this.settings = settings;
        this.clock = clock;
        this.redactor = redactor;
        this.lease = new NodeLease(settings.nodeId());
        this.availability = new Availability(backend, settings, clock, redactor, this::backlog);
        this.asyncWindowNanos = settings.asyncWindow().toNanos();
        // a tenth of the window, at most 10 ms: commits are large, callers never wait for one, and the window holds
        this.groupCommitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(TimeUnit.MILLISECONDS.toNanos(10), asyncWindowNanos / 10));
        this.lastTakeNanos = System.nanoTime();
        this.nextFollowNanos = System.nanoTime();
        // tickets must grow across restarts, also for changes recorded before the journal could be read back (the
        // database unavailable at start): they start at the wall clock's microseconds (an identifier, not a time
        // rule, hence not the injected clock), and after a restore above the largest one journaled
        Instant wall = Instant.now();
        tickets.set(wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1_000);
    }

    /**
     * Connects and reads the journal back into {@code target} (before the engine serves anything), then starts the
     * writer. If the database cannot be used now, says why in the log and returns: the engine then serves from
     * memory, and the writer restores and writes once it can.
     */
    public void start(Journal.Target target) {
        this.target = target;
        try {
            connect();
        } catch (Throwable e) { // the engine starts whatever the database does: any failure is an outage
            down(e);
        }
        startThreads();
    }

    /**
     * Starts the writer (which is also the follower and the retry loop) and the checkpointer, or the one of them
     * that is no longer alive: each catches every throwable in its loop, so this restarts one only when even that
     * failed (an {@link Error} while handling an error).
     */
    private synchronized void startThreads() {
        if (closing || target == null) {
            return;
        }
        if (writer == null || !writer.isAlive()) {
            boolean restart = writer != null;
            writer = new Thread(() -> {
                if (restart) {
                    down(new IllegalStateException("the store's writer thread had stopped; restarted"));
                }
                run();
            }, "warden-store-writer");
            writer.setDaemon(true);
            writer.start();
        }
        if (checkpointer == null || !checkpointer.isAlive()) {
            checkpointer = new Thread(this::checkpointLoop, "warden-store-checkpoint");
            checkpointer.setDaemon(true);
            checkpointer.start();
        }
    }

    // ------------------------------------------------------------------ Journal (engine threads)

    @Override
    public void checkAccepting(boolean critical) {
        if (!closing && writer != null && (!writer.isAlive() || !checkpointer.isAlive())) {
            startThreads();
        }
        String why = availability.reason();
        if (why != null) {
            if (critical) {
                throw new IllegalStateException("the durable store (" + backend + ") is unavailable: " + why
                        + "; bans, unbans, penalties, malicious reports and imports are refused until it is back, "
                        + "so that nothing is acknowledged that is not recorded");
            }
            long backlog = backlog();
            if (backlog >= settings.maxBacklog()) {
                throw new IllegalStateException("the durable store (" + backend + ") is unavailable: " + why
                        + "; " + backlog + " records already wait for it, the most kept in memory (maxBacklog): "
                        + "refused");
            }
            return;
        }
        // hold callers back when the writer falls behind: an acknowledged asynchronous record is committed within
        // the window, so a crash loses at most the window's records
        if (behind()) {
            waitForWriter();
            // still full after waiting (a writer slower than the callers, a database that answers slowly): refused,
            // never queued beyond the limit
            long backlog = backlog();
            if (backlog >= settings.maxBacklog()) {
                throw new IllegalStateException("the durable store (" + backend + ") is behind: " + backlog
                        + " records wait to be written, the most kept in memory (maxBacklog): refused");
            }
        }
    }

    /** Records applied in memory and not yet taken by the writer, plus those it is writing. */
    private long backlog() {
        List<Pending> c = carry;
        long t = taken; // before the sum, which only grows: never more taken than counted
        return Math.max(0, queued.sum() - t) + (c == null ? 0 : c.size());
    }

    /**
     * Whether the writer is behind: a batch older than half the window is still being written, it has not taken
     * from the queue for half the window (not scheduled, on a loaded machine), or the backlog is at its limit.
     */
    private boolean behind() {
        long now = System.nanoTime();
        long since = inFlightSince;
        long t = taken;
        long waiting = queued.sum() - t;
        return (since != 0 && now - since > asyncWindowNanos / 2)
                || (now - lastTakeNanos > asyncWindowNanos / 2 && waiting > 0)
                || waiting >= settings.maxBacklog();
    }

    private void waitForWriter() {
        long deadline = System.nanoTime() + settings.syncTimeout().toNanos();
        synchronized (progress) {
            while (availability.usable() && !closing) {
                long left = deadline - System.nanoTime();
                if (!behind() || left <= 0) {
                    return;
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, asyncWindowNanos))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the durable store to catch up", e);
                }
            }
        }
    }

    @Override
    public Receipt append(JournalEntry entry) {
        boolean sync = entry.critical() || requiresSync(entry);
        Pending p = new Pending(entry, sync ? new CompletableFuture<>() : null, System.nanoTime(),
                tickets.incrementAndGet());
        if (entry.isClear()) {
            lastClearTicket.accumulateAndGet(p.ticket, Math::max);
        }
        queued.increment(); // before the add: the writer may take it at once, and the backlog is queued - taken
        queue.add(p);
        if (sync) {
            // the caller waits for this commit: no need to wait for the next look
            LockSupport.unpark(writer);
        }
        return p;
    }

    private boolean requiresSync(JournalEntry entry) {
        for (Change c : entry.changes()) {
            if ((c instanceof Change.Outcome && settings.outcomesSync())
                    || (c instanceof Change.Health && settings.healthSync())) {
                return true;
            }
        }
        return false;
    }

    private void awaitCommit(Pending p) {
        try {
            p.committed.get(settings.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String why = availability.pendingReason();
            throw new IllegalStateException("recorded in memory but not committed to the durable store (" + backend
                    + ") within " + settings.syncTimeout().toMillis() + " ms (" + why + "): it stays queued and "
                    + "is written when the store is back, but it is not durable yet", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the durable store's commit", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the durable store failed: " + redactor.redact(String.valueOf(e.getCause())),
                    redactor.redact(e.getCause()));
        }
    }

    public Status status() {
        if (!closing && writer != null && (!writer.isAlive() || !checkpointer.isAlive())) {
            startThreads();
        }
        String why = availability.reason();
        return new Status(backend, settings.nodeId(), why == null, backlog(), committedEntries.get(), lastCommitAt,
                why);
    }

    // ------------------------------------------------------------------ the writer thread

    private void run() {
        while (true) {
            try {
                availability.rethrowFailure();
                if (connection == null) {
                    if (closing) {
                        break;
                    }
                    connect();
                }
                List<Pending> batch = carry;
                if (batch == null) {
                    batch = take();
                }
                if (!batch.isEmpty()) {
                    write(batch);
                } else if (closing) {
                    break;
                }
                follow();
                availability.passed();
            } catch (Throwable e) {
                // whatever it is (an SQLException, a corrupt row, an OutOfMemoryError): the store says it is
                // unavailable and why, what is queued stays queued, and the loop retries. The writer never dies
                // while the store claims to be available.
                down(e);
                if (closing) {
                    break;
                }
                pause(settings.retryInterval());
            }
        }
        disconnect();
        long lost = backlog();
        if (lost > 0) {
            LOG.error("Warden store ({}): stopped with {} records not written, because the database was unavailable: {}",
                    backend, lost, availability.reason());
        }
    }

    /**
     * The next batch: what has queued, after waiting (unless closing) for the group commit interval or an entry a
     * caller waits for; empty if nothing came.
     */
    private List<Pending> take() {
        if (!closing && queue.isEmpty()) {
            LockSupport.parkNanos(this, groupCommitNanos);
        }
        if (Thread.interrupted()) {
            // close() interrupts a waiting writer: it then drains what is left and stops
            closing = true;
        }
        List<Pending> batch = new ArrayList<>();
        // added before it is removed from the queue (the writer is its only taker): an Error between the two (an
        // OutOfMemoryError growing the list) leaves the entry queued, not lost
        for (Pending p = queue.peek(); p != null; p = batch.size() < settings.maxBatch() ? queue.peek() : null) {
            batch.add(p);
            queue.poll();
        }
        taken += batch.size();
        lastTakeNanos = System.nanoTime();
        return batch;
    }

    private void write(List<Pending> batch) throws SQLException {
        if (carry != batch) {
            carry = batch;
            carrySeq = ++nodeSeq;
        }
        inFlightSince = batch.get(0).queuedAt;
        List<EntryCodec.Journaled> entries = new ArrayList<>(batch.size());
        long lastTicket = 0;
        for (Pending p : batch) {
            entries.add(new EntryCodec.Journaled(p.ticket, p.entry));
            lastTicket = Math.max(lastTicket, p.ticket);
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
        carry = null;
        lastCommitAt = now;
        committedEntries.addAndGet(batch.size());
        for (Pending p : batch) {
            if (p.committed != null) {
                p.committed.complete(null);
            }
        }
        inFlightSince = 0;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** On PostgreSQL, orders the nodes' commits: rows are then committed in the order of their numbers. */
    private void lockJournal() throws SQLException {
        if (dialect == Schema.Dialect.POSTGRESQL) {
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + JOURNAL_LOCK + ")");
            }
        }
    }

    /**
     * Applies the other nodes' rows committed since the last look, and moves past this node's own (already in
     * memory; read without their payload): every row up to {@link #followedSeq} is then in memory, which is what a
     * checkpoint needs to know.
     */
    private void follow() throws SQLException {
        if (System.nanoTime() - nextFollowNanos < 0) {
            return;
        }
        nextFollowNanos = System.nanoTime() + settings.followInterval().toNanos();
        availability.busy();
        try {
            followRows();
        } finally {
            availability.idle();
        }
    }

    private void followRows() throws SQLException {
        boolean more = true;
        while (more) {
            more = false;
            try (PreparedStatement q = connection.prepareStatement("SELECT seq, node_id, CASE WHEN node_id = ? "
                    + "THEN NULL ELSE payload END FROM warden_journal WHERE seq > ? ORDER BY seq LIMIT 200")) {
                q.setString(1, settings.nodeId());
                q.setLong(2, followedSeq);
                try (ResultSet rs = q.executeQuery()) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        long seq = rs.getLong(1);
                        byte[] payload = rs.getBytes(3);
                        if (payload != null) {
                            apply(target, seq, rs.getString(2), payload, null, 0, 0);
                        }
                        followedSeq = seq;
                    }
                    more = rows == 200;
                }
            }
            connection.commit();
        }
        lease.confirm(connection, clock.instant());
        try (PreparedStatement u = connection.prepareStatement(
                "UPDATE warden_node SET followed_seq = ? WHERE node_id = ?")) {
            u.setLong(1, followedSeq);
            u.setString(2, settings.nodeId());
            u.executeUpdate();
        }
        connection.commit();
    }

    /**
     * Applies one row's entries. {@code asNode}'s entries count as the target's own, filtered by ticket: those up to
     * {@code clearTicket} (its last clear before the checkpoint) are in the checkpoint or were wiped by that clear,
     * later ones are in a record if its ticket says so. The others' are filtered by row: a clear up to
     * {@code clearSeq} is in the checkpoint, other entries are in a record if its row watermark says so. With
     * {@code asNode} {@code null} every entry is another node's and no clear is held yet (following).
     */
    private void apply(Journal.Target t, long seq, String node, byte[] payload, String asNode, long clearTicket,
            long clearSeq) {
        List<EntryCodec.Journaled> entries;
        try {
            entries = codec.decode(payload);
        } catch (RuntimeException e) {
            throw new IllegalStateException("journal row " + seq + " is unreadable (" + e.getMessage() + "); it is "
                    + "left as it is, and nothing after it is read until it is repaired", e);
        }
        boolean own = node.equals(asNode);
        for (int i = 0; i < entries.size(); i++) {
            EntryCodec.Journaled j = entries.get(i);
            if (own && j.ticket() <= clearTicket) {
                continue;
            }
            if (!j.entry().isClear() || own || asNode == null || seq > clearSeq) {
                t.applyJournaled(j.entry(), own, j.ticket(), position(seq, i));
            }
        }
    }

    /** Opens the database, brings its schema up to date, and restores the journal into the engine once. */
    private void connect() throws SQLException {
        Connection c = open();
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
            if (!restored) {
                restore();
            }
        } catch (Throwable e) {
            connection = null;
            close(c);
            throw e;
        }
        // after a failure the store is back only once the writer has written and followed again: a database that
        // takes connections but fails every commit, or a corrupt row met on every follow, is not available
        nextFollowNanos = System.nanoTime();
        availability.connectedOnce();
    }

    /** A connection bounded by the configured {@link Timeouts}, for the writer or the checkpointer. */
    private Connection open() throws SQLException {
        return settings.timeouts().apply(connector.connect());
    }

    /**
     * Reads the record back: this node's latest checkpoint (or, for a node without one, the newest of another
     * node's, so a node can join a database whose journal was compacted), then the rows after it, in order.
     */
    private void restore() throws SQLException {
        if (queue.isEmpty()) {
            restoreInto(target);
        } else {
            restoreLate();
        }
        target.restored();
        restored = true;
    }

    /**
     * The restore of a store that was unavailable at start: the record is read into a scratch target, then each of
     * its workers replaces the one in memory, with the changes recorded in memory meanwhile (all still queued: none
     * is written before the restore; and only outcomes and health reports, as the others were refused) applied on
     * top, in the order they were applied.
     */
    private void restoreLate() throws SQLException {
        Journal.Target scratch = target.scratch();
        restoreInto(scratch);
        Map<String, List<Pending>> meanwhile = new HashMap<>();
        for (Pending p : queue) {
            meanwhile.computeIfAbsent(p.entry.workerId(), k -> new ArrayList<>()).add(p);
        }
        Change.Limits limits = target.limits();
        long[] merged = new long[1];
        scratch.forEachRecord(stored -> target.replace(stored.workerId(), current -> {
            if (current == null) {
                return stored;
            }
            List<Pending> mine = new ArrayList<>(meanwhile.getOrDefault(stored.workerId(), List.of()));
            long seen = mine.isEmpty() ? 0 : mine.get(mine.size() - 1).ticket;
            if (current.journalTicket() > seen) {
                // recorded after the grouping above: still in the queue, in order
                for (Pending p : queue) {
                    if (p.ticket > seen && stored.workerId().equals(p.entry.workerId())) {
                        mine.add(p);
                    }
                }
            }
            WorkerRecord next = stored;
            for (Pending p : mine) {
                next = p.entry.applyTo(next, limits);
            }
            next.stampJournal(stored, current.journalTicket(), 0);
            merged[0]++;
            return next;
        }));
        LOG.info("Warden store ({}): {} workers recorded in memory while the database was unavailable were merged "
                + "with their record", backend, merged[0]);
    }

    private void restoreInto(Journal.Target target) throws SQLException {
        long started = System.nanoTime();
        Checkpoints.Mark mark = checkpoints.mark(connection, settings.nodeId());
        String asNode = mark == null ? settings.nodeId() : mark.node();
        long fromSeq = mark == null ? 0 : mark.fromSeq();
        long loaded = mark == null ? 0 : checkpoints.load(connection, mark, target);
        long rows = 0;
        long last = fromSeq;
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT seq, node_id, payload FROM warden_journal WHERE seq > ? ORDER BY seq")) {
            q.setFetchSize(100);
            q.setLong(1, fromSeq);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    apply(target, last, rs.getString(2), rs.getBytes(3), asNode,
                            mark == null ? 0 : mark.clearTicket(), mark == null ? 0 : mark.followed());
                    rows++;
                }
            }
        }
        if (!asNode.equals(settings.nodeId())) {
            // the records hold another node's watermarks: in this node's terms, they hold every row read
            long upTo = last;
            target.forEachRecord(r -> {
                WorkerRecord copy = r.copy();
                copy.resetJournal(0, position(upTo, MAX_BATCH));
                target.loadRecord(copy);
            });
        }
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT COALESCE(MAX(last_ticket), 0) FROM warden_journal WHERE node_id = ?")) {
            q.setString(1, settings.nodeId());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long ownTicket = mark != null && asNode.equals(settings.nodeId()) ? mark.ticket() : 0;
                tickets.accumulateAndGet(Math.max(rs.getLong(1), ownTicket), Math::max);
            }
        }
        connection.commit();
        followedSeq = Math.max(followedSeq, last);
        LOG.info("Warden store ({}): restored {} workers from the checkpoint{} and {} journal rows after it in {} ms",
                backend, loaded, mark == null ? " (none)" : " of " + mark.node() + " taken at " + mark.takenAt(), rows,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Where an entry is in the journal: its row and its index in the row, as one number that grows with both (a
     * record's watermark for the other nodes' entries; a row holds many entries of one worker).
     */
    static long position(long seq, int index) {
        return (seq << 16) | index;
    }

    // ------------------------------------------------------------------ checkpoints (their own thread)

    private void checkpointLoop() {
        while (!closing) {
            synchronized (checkpointLock) {
                try {
                    checkpointLock.wait(settings.checkpointInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (closing || !availability.usable() || !restored
                    || committedEntries.get() - entriesAtLastCheckpoint < settings.checkpointMinEntries()) {
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

    /**
     * Writes a checkpoint now, on a connection of its own (the writer goes on), and deletes the journal rows no
     * node needs any more.
     */
    public Checkpoint checkpoint() throws SQLException {
        synchronized (checkpointLock) {
            if (!restored) {
                throw new IllegalStateException("no checkpoint before the record has been read back");
            }
            // the cut: every row up to followed, and every change this node journaled up to ticket, are in memory
            long followed = followedSeq;
            long ticket = tickets.get();
            // after the ticket: a clear with a ticket up to it was appended before, so this is at least its ticket
            long clearTicket = lastClearTicket.get();
            long entries = committedEntries.get();
            Instant now = clock.instant();
            try (Connection c = open()) {
                c.setAutoCommit(false);
                long workers = checkpoints.write(c, settings.nodeId(), new Checkpoints.Mark(settings.nodeId(),
                        followed, ticket, clearTicket, followed, now), target);
                c.commit();
                long deleted = checkpoints.compact(c);
                c.commit();
                entriesAtLastCheckpoint = entries;
                LOG.info("Warden store ({}): checkpoint of {} workers up to journal row {}; {} rows no longer needed "
                        + "deleted", backend, workers, followed, deleted);
                return new Checkpoint(workers, followed, deleted);
            }
        }
    }

    /** Unavailable because of {@code e} (logged, shown), disconnected; callers waiting for progress look again. */
    private void down(Throwable e) {
        availability.down(e);
        try {
            disconnect();
        } finally {
            synchronized (progress) {
                progress.notifyAll();
            }
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
        synchronized (progress) {
            try {
                progress.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                closing = true;
            }
        }
    }

    /**
     * Stops the writer after it has written what is queued (if the database is available), waiting at most
     * {@code timeout}.
     */
    public void close(Duration timeout) {
        closing = true;
        synchronized (checkpointLock) {
            checkpointLock.notifyAll();
        }
        Thread w = writer;
        LockSupport.unpark(w);
        if (w == null) {
            return;
        }
        synchronized (progress) {
            progress.notifyAll();
        }
        try {
            w.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (w.isAlive()) {
            w.interrupt();
            LOG.warn("Warden store ({}): the writer did not finish within {} ms", backend, timeout.toMillis());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * An entry waiting for its commit, and its receipt (one object per call); {@code committed} only for one that
     * must be acknowledged after it.
     */
    private final class Pending implements Receipt {
        final JournalEntry entry;
        final CompletableFuture<Void> committed;
        final long queuedAt;
        final long ticket;

        Pending(JournalEntry entry, CompletableFuture<Void> committed, long queuedAt, long ticket) {
            this.entry = entry;
            this.committed = committed;
            this.queuedAt = queuedAt;
            this.ticket = ticket;
        }

        @Override
        public void await() {
            if (committed != null) {
                awaitCommit(this);
            }
        }

        @Override
        public long ticket() {
            return ticket;
        }
    }
}
