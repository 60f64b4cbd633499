package org.warden.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;

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
 * (nothing is acknowledged that is not recorded) and the backlog is bounded.
 */
public final class JdbcJournal implements Journal, AutoCloseable {

    /** Opens a connection to the store's database. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    /** How the journal behaves; see the store configuration for each setting. */
    public record Settings(String nodeId, boolean outcomesSync, boolean healthSync, Duration asyncWindow,
            Duration followInterval, Duration retryInterval, Duration syncTimeout, int maxBacklog, int maxBatch) {
        public Settings {
            if (nodeId == null || nodeId.isBlank() || nodeId.length() > 64) {
                throw new IllegalArgumentException("nodeId must be 1 to 64 characters, was '" + nodeId + "'");
            }
            positive("asyncWindow", asyncWindow);
            positive("followInterval", followInterval);
            positive("retryInterval", retryInterval);
            positive("syncTimeout", syncTimeout);
            if (maxBacklog < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("maxBacklog and maxBatch must be positive");
            }
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    /** What network health shows of the store. */
    public record Status(String backend, String nodeId, boolean available, boolean restored, long backlog,
            long committedEntries, Instant lastCommitAt, String problem) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    private static final long JOURNAL_LOCK = 0x5741524445_4e32L;
    private static final Duration PROBLEM_LOG_INTERVAL = Duration.ofMinutes(1);

    private final Connector connector;
    private final String backend;
    private final Settings settings;
    private final Clock clock;
    private final EntryCodec codec = new EntryCodec();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Object progress = new Object();
    private final AtomicLong committedEntries = new AtomicLong();
    private final long asyncWindowNanos;
    private volatile Consumer<JournalEntry> target;
    private volatile boolean available;
    private volatile boolean restored;
    private volatile String problem = "not connected yet";
    private volatile Instant lastCommitAt;
    /** {@link System#nanoTime()} when the oldest entry of the batch being written was queued; 0 when none is. */
    private volatile long inFlightSince;
    private volatile boolean closing;
    private Thread writer;

    // writer thread only
    private Connection connection;
    private Schema.Dialect dialect;
    private long nodeSeq;
    private long followedSeq;
    private long nextFollowNanos;
    private List<Pending> carry;
    private long carrySeq;
    private Instant lastProblemLog;

    public JdbcJournal(Connector connector, String backend, Settings settings, Clock clock) {
        this.connector = connector;
        this.backend = backend;
        this.settings = settings;
        this.clock = clock;
        this.asyncWindowNanos = settings.asyncWindow().toNanos();
        this.nextFollowNanos = System.nanoTime();
    }

    /**
     * Connects and reads the journal back into {@code target} (before the engine serves anything), then starts the
     * writer. If the database cannot be used now, says why in the log and returns: the engine then serves from
     * memory, and the writer restores and writes once it can.
     */
    public void start(Consumer<JournalEntry> target) {
        this.target = target;
        try {
            connect();
        } catch (SQLException | RuntimeException e) {
            down(e);
        }
        writer = new Thread(this::run, "warden-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    // ------------------------------------------------------------------ Journal (engine threads)

    @Override
    public void checkAccepting(boolean critical) {
        if (!available) {
            if (critical) {
                throw new IllegalStateException("the durable store (" + backend + ") is unavailable: " + problem
                        + "; bans, unbans, penalties, malicious reports and imports are refused until it is back, "
                        + "so that nothing is acknowledged that is not recorded");
            }
            if (queue.size() >= settings.maxBacklog()) {
                throw new IllegalStateException("the durable store (" + backend + ") is unavailable: " + problem
                        + "; " + queue.size() + " records already wait for it, the most kept in memory: refused");
            }
            return;
        }
        // hold callers back when the writer falls behind: an acknowledged asynchronous record is committed within
        // the window, so a crash loses at most the window's records
        long since = inFlightSince;
        if ((since != 0 && System.nanoTime() - since > asyncWindowNanos / 2) || queue.size() >= settings.maxBacklog()) {
            waitForWriter();
        }
    }

    private void waitForWriter() {
        long deadline = System.nanoTime() + settings.syncTimeout().toNanos();
        synchronized (progress) {
            while (available && !closing) {
                long since = inFlightSince;
                boolean behind = (since != 0 && System.nanoTime() - since > asyncWindowNanos / 2)
                        || queue.size() >= settings.maxBacklog();
                long left = deadline - System.nanoTime();
                if (!behind || left <= 0) {
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
        Pending p = new Pending(entry, sync ? new CompletableFuture<>() : null, System.nanoTime());
        queue.add(p);
        return sync ? () -> awaitCommit(p) : Receipt.DONE;
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
            throw new IllegalStateException("recorded in memory but not committed to the durable store (" + backend
                    + ") within " + settings.syncTimeout().toMillis() + " ms (" + problem + "): it stays queued and "
                    + "is written when the store is back, but it is not durable yet", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the durable store's commit", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the durable store failed: " + e.getCause(), e.getCause());
        }
    }

    public Status status() {
        return new Status(backend, settings.nodeId(), available, restored, queue.size(), committedEntries.get(),
                lastCommitAt, available ? null : problem);
    }

    // ------------------------------------------------------------------ the writer thread

    private void run() {
        while (true) {
            try {
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
            } catch (SQLException | RuntimeException e) {
                down(e);
                if (closing) {
                    break;
                }
                pause(settings.retryInterval());
            }
        }
        disconnect();
        int lost = queue.size() + (carry == null ? 0 : carry.size());
        if (lost > 0) {
            LOG.error("Warden store ({}): stopped with {} records not written, because the database was unavailable: {}",
                    backend, lost, problem);
        }
    }

    /** The next batch: what has queued, waiting at most until the next follow is due; empty if nothing came. */
    private List<Pending> take() {
        List<Pending> batch = new ArrayList<>();
        try {
            long wait = closing ? 0 : Math.max(1, nextFollowNanos - System.nanoTime());
            Pending first = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
            }
        } catch (InterruptedException e) {
            // close() interrupts a waiting writer: it then drains what is left and stops
            Thread.currentThread().interrupt();
        }
        if (Thread.interrupted()) {
            closing = true;
        }
        return batch;
    }

    private void write(List<Pending> batch) throws SQLException {
        if (carry != batch) {
            carry = batch;
            carrySeq = ++nodeSeq;
        }
        inFlightSince = batch.get(0).queuedAt;
        List<JournalEntry> entries = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            entries.add(p.entry);
        }
        byte[] payload = codec.encode(entries);
        Instant now = clock.instant();
        try {
            lockJournal();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO warden_journal "
                    + "(node_id, node_seq, written_at, entries, payload) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, settings.nodeId());
                insert.setLong(2, carrySeq);
                insert.setTimestamp(3, Timestamp.from(now));
                insert.setInt(4, entries.size());
                insert.setBytes(5, payload);
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            if (!alreadyWritten(e)) {
                throw e;
            }
            // the commit of an earlier attempt went through though its acknowledgement was lost
            LOG.info("Warden store ({}): batch {} was already committed", backend, carrySeq);
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

    private boolean alreadyWritten(SQLException e) throws SQLException {
        if (!"23505".equals(e.getSQLState())) { // unique violation, in both H2 and PostgreSQL
            return false;
        }
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT COUNT(*) FROM warden_journal WHERE node_id = ? AND node_seq = ?")) {
            q.setString(1, settings.nodeId());
            q.setLong(2, carrySeq);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            } finally {
                connection.commit();
            }
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

    /** Applies the other nodes' rows committed since the last look (PostgreSQL only: H2 has one node). */
    private void follow() throws SQLException {
        if (System.nanoTime() - nextFollowNanos < 0) {
            return;
        }
        nextFollowNanos = System.nanoTime() + settings.followInterval().toNanos();
        if (dialect != Schema.Dialect.POSTGRESQL) {
            return;
        }
        boolean more = true;
        while (more) {
            more = false;
            try (PreparedStatement q = connection.prepareStatement("SELECT seq, payload FROM warden_journal "
                    + "WHERE seq > ? AND node_id <> ? ORDER BY seq LIMIT 200")) {
                q.setLong(1, followedSeq);
                q.setString(2, settings.nodeId());
                try (ResultSet rs = q.executeQuery()) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        apply(rs.getLong(1), rs.getBytes(2));
                    }
                    more = rows == 200;
                }
            }
            connection.commit();
        }
        try (PreparedStatement u = connection.prepareStatement(
                "UPDATE warden_node SET last_seen = ?, followed_seq = ? WHERE node_id = ?")) {
            u.setTimestamp(1, Timestamp.from(clock.instant()));
            u.setLong(2, followedSeq);
            u.setString(3, settings.nodeId());
            u.executeUpdate();
        }
        connection.commit();
    }

    private void apply(long seq, byte[] payload) {
        List<JournalEntry> entries;
        try {
            entries = codec.decode(payload);
        } catch (RuntimeException e) {
            throw new IllegalStateException("journal row " + seq + " is unreadable (" + e.getMessage() + "); it is "
                    + "left as it is, and nothing after it is read until it is repaired", e);
        }
        Consumer<JournalEntry> t = target;
        for (JournalEntry e : entries) {
            t.accept(e);
        }
        followedSeq = seq;
    }

    /** Opens the database, brings its schema up to date, and restores the journal into the engine once. */
    private void connect() throws SQLException {
        Connection c = connector.connect();
        try {
            c.setAutoCommit(false);
            Schema.Dialect d = Schema.Dialect.of(c);
            Schema.migrate(c, d, Schema.LATEST);
            connection = c;
            dialect = d;
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT COALESCE(MAX(node_seq), 0) FROM warden_journal WHERE node_id = ?")) {
                q.setString(1, settings.nodeId());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    nodeSeq = Math.max(nodeSeq, rs.getLong(1));
                }
            }
            registerNode();
            c.commit();
            if (!restored) {
                restore();
            }
        } catch (SQLException | RuntimeException e) {
            connection = null;
            close(c);
            throw e;
        }
        boolean wasDown = !available && lastProblemLog != null;
        available = true;
        problem = null;
        if (wasDown) {
            LOG.info("Warden store ({}): the database is available again; {} queued records are being written",
                    backend, queue.size() + (carry == null ? 0 : carry.size()));
        }
    }

    private void registerNode() throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement u = connection.prepareStatement(
                "UPDATE warden_node SET last_seen = ? WHERE node_id = ?")) {
            u.setTimestamp(1, now);
            u.setString(2, settings.nodeId());
            if (u.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement i = connection.prepareStatement(
                "INSERT INTO warden_node (node_id, first_seen, last_seen, followed_seq) VALUES (?, ?, ?, 0)")) {
            i.setString(1, settings.nodeId());
            i.setTimestamp(2, now);
            i.setTimestamp(3, now);
            i.executeUpdate();
        }
    }

    /** Reads every row, this node's and the others', in order: the state as the journal records it. */
    private void restore() throws SQLException {
        long started = System.nanoTime();
        long rows = 0;
        long entries = 0;
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT seq, payload, entries FROM warden_journal WHERE seq > ? ORDER BY seq")) {
            q.setFetchSize(100);
            q.setLong(1, followedSeq);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    apply(rs.getLong(1), rs.getBytes(2));
                    rows++;
                    entries += rs.getInt(3);
                }
            }
        }
        connection.commit();
        restored = true;
        LOG.info("Warden store ({}): restored {} journaled changes ({} commits) in {} ms", backend, entries, rows,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void down(Exception e) {
        boolean wasAvailable = available;
        available = false;
        problem = describe(e);
        disconnect();
        Instant now = clock.instant();
        if (wasAvailable || lastProblemLog == null
                || !now.isBefore(lastProblemLog.plus(PROBLEM_LOG_INTERVAL))) {
            lastProblemLog = now;
            LOG.error("Warden store ({}) is unavailable: {}. Warden keeps serving from memory and retries every {} ms; "
                    + "{} records wait to be written (none is dropped). Bans, penalties and imports are refused "
                    + "meanwhile.", backend, problem, settings.retryInterval().toMillis(),
                    queue.size() + (carry == null ? 0 : carry.size()), e);
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private static String describe(Exception e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !s.toString().contains(cause.getMessage())) {
            s.append(" (").append(cause.getMessage()).append(')');
        }
        return s.toString().replaceAll("\\s+", " ");
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
        Thread w = writer;
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

    /** An entry waiting for its commit; {@code committed} only for one that must be acknowledged after it. */
    private record Pending(JournalEntry entry, CompletableFuture<Void> committed, long queuedAt) {
    }
}
