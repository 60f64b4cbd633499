package org.warden.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.WorkerRecord;

/**
 * Reads the record back into the engine, once: this node's latest checkpoint (or, for a node without one, the
 * newest of another node's, so a node can join a database whose journal was compacted), then the rows after it, in
 * order; when the database was unavailable at start, merged with what was recorded in memory meanwhile. Runs on the
 * writer's thread and connection. Changes when what a restart reads back, or how, changes.
 */
final class JournalRestorer {

    /** The store's one logger name, as before its rooms were split: operators' log settings keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);

    private final String backend;
    private final String nodeId;
    private final Checkpoints checkpoints;
    private final RowReplay replay;
    private final JournalQueue queue;
    private final JournalFollower follower;
    private volatile boolean restored;

    JournalRestorer(String backend, String nodeId, Checkpoints checkpoints, RowReplay replay, JournalQueue queue,
            JournalFollower follower) {
        this.backend = backend;
        this.nodeId = nodeId;
        this.checkpoints = checkpoints;
        this.replay = replay;
        this.queue = queue;
        this.follower = follower;
    }

    /** Whether the record has been read back (a checkpoint is only written after that). */
    boolean restored() {
        return restored;
    }

    /** Reads the record back into {@code target}, unless it already was. */
    void restoreOnce(Connection connection, Journal.Target target) throws SQLException {
        if (restored) {
            return;
        }
        if (queue.isEmpty()) {
            restoreInto(connection, target);
        } else {
            restoreLate(connection, target);
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
    private void restoreLate(Connection connection, Journal.Target target) throws SQLException {
        Journal.Target scratch = target.scratch();
        restoreInto(connection, scratch);
        Map<String, List<JournalQueue.Pending>> meanwhile = new HashMap<>();
        for (JournalQueue.Pending p : queue.queued()) {
            meanwhile.computeIfAbsent(p.entry.workerId(), k -> new ArrayList<>()).add(p);
        }
        Change.Limits limits = target.limits();
        long[] merged = new long[1];
        scratch.forEachRecord(stored -> target.replace(stored.workerId(), current -> {
            if (current == null) {
                return stored;
            }
            List<JournalQueue.Pending> mine = new ArrayList<>(meanwhile.getOrDefault(stored.workerId(), List.of()));
            long seen = mine.isEmpty() ? 0 : mine.get(mine.size() - 1).ticket;
            if (current.journalTicket() > seen) {
                // recorded after the grouping above: still in the queue, in order
                for (JournalQueue.Pending p : queue.queued()) {
                    if (p.ticket > seen && stored.workerId().equals(p.entry.workerId())) {
                        mine.add(p);
                    }
                }
            }
            WorkerRecord next = stored;
            for (JournalQueue.Pending p : mine) {
                next = p.entry.applyTo(next, limits);
            }
            next.stampJournal(stored, current.journalTicket(), 0);
            merged[0]++;
            return next;
        }));
        LOG.info("Warden store ({}): {} workers recorded in memory while the database was unavailable were merged "
                + "with their record", backend, merged[0]);
    }

    private void restoreInto(Connection connection, Journal.Target target) throws SQLException {
        long started = System.nanoTime();
        Checkpoints.Mark mark = checkpoints.mark(connection, nodeId);
        String asNode = mark == null ? nodeId : mark.node();
        long fromSeq = mark == null ? 0 : mark.fromSeq();
        long loaded = mark == null ? 0 : checkpoints.load(connection, mark, target);
        long rows = 0;
        long last = fromSeq;
        try (PreparedStatement q = connection.prepareStatement(Sql.ROWS_AFTER)) {
            q.setFetchSize(100);
            q.setLong(1, fromSeq);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    replay.apply(target, last, rs.getString(2), rs.getBytes(3), asNode,
                            mark == null ? 0 : mark.clearTicket(), mark == null ? 0 : mark.followed());
                    rows++;
                }
            }
        }
        if (!asNode.equals(nodeId)) {
            // the records hold another node's watermarks: in this node's terms, they hold every row read
            long upTo = last;
            target.forEachRecord(r -> {
                WorkerRecord copy = r.copy();
                copy.resetJournal(0, RowReplay.position(upTo, JdbcJournal.MAX_BATCH));
                target.loadRecord(copy);
            });
        }
        try (PreparedStatement q = connection.prepareStatement(Sql.LAST_TICKET)) {
            q.setString(1, nodeId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long ownTicket = mark != null && asNode.equals(nodeId) ? mark.ticket() : 0;
                queue.ticketsAbove(Math.max(rs.getLong(1), ownTicket));
            }
        }
        connection.commit();
        follower.restoredUpTo(last);
        LOG.info("Warden store ({}): restored {} workers from the checkpoint{} and {} journal rows after it in {} ms",
                backend, loaded, mark == null ? " (none)" : " of " + mark.node() + " taken at " + mark.takenAt(), rows,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
