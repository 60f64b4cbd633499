package org.warden.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Auction;
import org.warden.engine.state.Change;
import org.warden.engine.state.History;
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
 * (nothing is acknowledged that is not recorded) and the backlog is bounded. When the database was unavailable
 * at start, the record is read back once it is available, and what was recorded in memory meanwhile is applied on
 * top of it, worker by worker.
 *
 * <p>Checkpoints keep restarts short and the journal small: a second thread, on its own connection, writes every
 * record with its watermarks (the last ticket of this node's and the last row of another node's changes it holds)
 * and the row from which the journal must be read after it. A restart loads the checkpoint, then replays only the
 * rows after it, skipping the changes a record already holds. Rows that no node's checkpoint or follower needs
 * any more are deleted, unless written within the history's retention: then they are kept, with the auctions the
 * distributor ranked, for a what-if to replay (issue 16).
 *
 * <p>This class is the journal as the engine sees it (refusals, appends, receipts, status) and the wiring of its
 * rooms, each with one reason to change: {@link JournalQueue} (the hand-over to the writer), {@link JournalWriter}
 * (the writer thread), {@link JournalFollower} (the other nodes' rows), {@link JournalRestorer} (reading the record
 * back, with the late merge), {@link RowReplay} (what a row holds that a record does not), {@link Checkpointer} (the
 * checkpoint thread), {@link AuctionRecorder} (the auctions kept, or dropped and counted), {@link JournalHistory}
 * (the history read back), and {@link Sql} (every statement).
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
            Duration checkpointInterval, long checkpointMinEntries, Timeouts timeouts, Duration historyRetention) {

        /** The longest history kept: a year, as far back as a what-if may ask. */
        public static final Duration MAX_HISTORY_RETENTION = Duration.ofHours(8784);

        /** Keeping no history (rows are compacted as soon as no node needs them). */
        public Settings(String nodeId, boolean outcomesSync, boolean healthSync, Duration asyncWindow,
                Duration followInterval, Duration retryInterval, Duration syncTimeout, int maxBacklog, int maxBatch,
                Duration checkpointInterval, long checkpointMinEntries, Timeouts timeouts) {
            this(nodeId, outcomesSync, healthSync, asyncWindow, followInterval, retryInterval, syncTimeout, maxBacklog,
                    maxBatch, checkpointInterval, checkpointMinEntries, timeouts, Duration.ZERO);
        }

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
                    syncTimeout, maxBacklog, maxBatch, checkpointInterval, checkpointMinEntries, t, historyRetention);
        }

        /** These settings keeping the history written within {@code retention} (zero: none). */
        public Settings withHistoryRetention(Duration retention) {
            return new Settings(nodeId, outcomesSync, healthSync, asyncWindow, followInterval, retryInterval,
                    syncTimeout, maxBacklog, maxBatch, checkpointInterval, checkpointMinEntries, timeouts, retention);
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
            if (historyRetention == null || historyRetention.isNegative()
                    || historyRetention.compareTo(MAX_HISTORY_RETENTION) > 0) {
                throw new IllegalArgumentException("historyRetention must be in [0, " + MAX_HISTORY_RETENTION
                        + "], was " + historyRetention);
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

    /**
     * What network health shows of the store. {@code committedEntries} counts every entry written, auctions
     * included; {@code committedAuctions} the auctions among them, {@code droppedAuctions} those not kept (the store
     * unavailable or its backlog full).
     */
    public record Status(String backend, String nodeId, boolean available, long backlog, long committedEntries,
            Instant lastCommitAt, String problem, long committedAuctions, long droppedAuctions) {
    }

    /** What a checkpoint wrote: the rows after {@code fromSeq} are what a restart reads after it. */
    public record Checkpoint(long workers, long fromSeq, long deletedRows) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    /** The most entries in one row: an entry's index in its row takes 16 bits of its {@link #position}. */
    static final int MAX_BATCH = 0xFFFF;

    private final String backend;
    private final Settings settings;
    private final Redactor redactor;
    private final Availability availability;
    private final JournalQueue queue;
    private final JournalWriter writerLoop;
    private final Checkpointer checkpointer;
    private final JournalHistory history;
    private final AuctionRecorder auctions;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Journal.Target target;
    private Thread writer;
    private Thread checkpointThread;

    public JdbcJournal(Connector connector, String backend, Settings settings, Clock clock) {
        this(connector, backend, settings, clock, Redactor.NONE);
    }

    /** With {@code redactor} applied to every message and exception the store logs or shows. */
    public JdbcJournal(Connector connector, String backend, Settings settings, Clock clock, Redactor redactor) {
        this.backend = backend;
        this.settings = settings;
        this.redactor = redactor;
        this.queue = new JournalQueue(settings, this::awaitCommit);
        this.availability = new Availability(backend, settings, clock, redactor, queue::backlog);
        NodeLease lease = new NodeLease(settings.nodeId());
        EntryCodec codec = new EntryCodec();
        Checkpoints checkpoints = new Checkpoints(codec);
        RowReplay replay = new RowReplay(codec);
        JournalFollower follower = new JournalFollower(settings, clock, lease, availability, replay);
        JournalRestorer restorer = new JournalRestorer(backend, settings.nodeId(), checkpoints, replay, queue, follower);
        // a connection bounded by the configured timeouts, for the writer or the checkpointer
        Checkpointer.Opener open = () -> settings.timeouts().apply(connector.connect());
        this.writerLoop = new JournalWriter(settings, backend, clock, lease, availability, codec, queue, follower,
                restorer, open, () -> target, closing);
        // auctions are not changes: they do not call for a checkpoint
        this.checkpointer = new Checkpointer(settings, backend, clock, redactor, availability, checkpoints, queue,
                follower, restorer, () -> writerLoop.committedEntries() - writerLoop.committedAuctions(),
                () -> target, open, closing);
        this.history = new JournalHistory(open, codec, settings.historyRetention(), backend, redactor);
        this.auctions = new AuctionRecorder(settings, backend, availability, queue, closing);
    }

    /**
     * Connects and reads the journal back into {@code target} (before the engine serves anything), then starts the
     * writer. If the database cannot be used now, says why in the log and returns: the engine then serves from
     * memory, and the writer restores and writes once it can.
     */
    public void start(Journal.Target target) {
        this.target = target;
        try {
            writerLoop.connect();
        } catch (Throwable e) { // the engine starts whatever the database does: any failure is an outage
            writerLoop.down(e);
        }
        startThreads();
    }

    /**
     * Starts the writer (which is also the follower and the retry loop) and the checkpointer, or the one of them
     * that is no longer alive: each catches every throwable in its loop, so this restarts one only when even that
     * failed (an {@link Error} while handling an error).
     */
    private synchronized void startThreads() {
        if (closing.get() || target == null) {
            return;
        }
        if (writer == null || !writer.isAlive()) {
            boolean restart = writer != null;
            writer = new Thread(() -> {
                if (restart) {
                    writerLoop.down(new IllegalStateException("the store's writer thread had stopped; restarted"));
                }
                writerLoop.run();
            }, "warden-store-writer");
            writer.setDaemon(true);
            writer.start();
        }
        if (checkpointThread == null || !checkpointThread.isAlive()) {
            checkpointThread = new Thread(checkpointer::loop, "warden-store-checkpoint");
            checkpointThread.setDaemon(true);
            checkpointThread.start();
        }
    }

    /** Restarts a thread that died (see {@link #startThreads()}). */
    private void keepThreadsAlive() {
        if (!closing.get() && writer != null && (!writer.isAlive() || !checkpointThread.isAlive())) {
            startThreads();
        }
    }

    // ------------------------------------------------------------------ Journal (engine threads)

    @Override
    public void checkAccepting(boolean critical) {
        keepThreadsAlive();
        String why = availability.reason();
        if (why != null) {
            if (critical) {
                throw new IllegalStateException("the durable store (" + backend + ") is unavailable: " + why
                        + "; bans, unbans, penalties, malicious reports and imports are refused until it is back, "
                        + "so that nothing is acknowledged that is not recorded");
            }
            long backlog = queue.backlog();
            if (backlog >= settings.maxBacklog()) {
                throw new IllegalStateException("the durable store (" + backend + ") is unavailable: " + why
                        + "; " + backlog + " records already wait for it, the most kept in memory (maxBacklog): "
                        + "refused");
            }
            return;
        }
        // hold callers back when the writer falls behind: an acknowledged asynchronous record is committed within
        // the window, so a crash loses at most the window's records
        if (queue.behind()) {
            queue.waitForWriter(settings.syncTimeout().toNanos(), () -> availability.usable() && !closing.get());
            // still full after waiting (a writer slower than the callers, a database that answers slowly): refused,
            // never queued beyond the limit
            long backlog = queue.backlog();
            if (backlog >= settings.maxBacklog()) {
                throw new IllegalStateException("the durable store (" + backend + ") is behind: " + backlog
                        + " records wait to be written, the most kept in memory (maxBacklog): refused");
            }
        }
    }

    @Override
    public Receipt append(JournalEntry entry) {
        return queue.add(entry, entry.critical() || requiresSync(entry), writer);
    }

    /**
     * Keeps the auction for the history, if the store keeps one ({@link AuctionRecorder}): never waits, never
     * refuses; dropped and counted ({@link Status#droppedAuctions()}) while the store cannot take it.
     *
     * @throws NullPointerException for a null auction (a bug of the caller's, not a state of the store)
     */
    @Override
    public void record(Auction auction) {
        auctions.record(Objects.requireNonNull(auction, "auction"));
    }

    /** The rows kept within the retention, read on a connection of their own. */
    @Override
    public History history() {
        return history;
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

    private void awaitCommit(JournalQueue.Pending p) {
        CompletableFuture<Void> committed = p.committed;
        try {
            committed.get(settings.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
        keepThreadsAlive();
        String why = availability.reason();
        return new Status(backend, settings.nodeId(), why == null, queue.backlog(), writerLoop.committedEntries(),
                writerLoop.lastCommitAt(), why, writerLoop.committedAuctions(), auctions.dropped());
    }

    /**
     * Where an entry is in the journal: its row and its index in the row, as one number that grows with both (see
     * {@link RowReplay#position}).
     */
    static long position(long seq, int index) {
        return RowReplay.position(seq, index);
    }

    /**
     * Writes a checkpoint now, on a connection of its own (the writer goes on), and deletes the journal rows no
     * node needs any more.
     */
    public Checkpoint checkpoint() throws SQLException {
        return checkpointer.checkpoint();
    }

    /**
     * Stops the writer after it has written what is queued (if the database is available), waiting at most
     * {@code timeout}.
     */
    public void close(Duration timeout) {
        closing.set(true);
        checkpointer.wake();
        Thread w = writer;
        LockSupport.unpark(w);
        if (w == null) {
            return;
        }
        queue.signalProgress();
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
}
