package org.warden.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import org.warden.engine.state.Journal;
import org.warden.engine.state.WorkerRecord;

/**
 * The checkpoint tables: every worker's record as of a consistent cut, with its watermarks, and the mark saying
 * from which journal row to read after it; and the compaction of the journal they allow. Plain JDBC on the
 * connection given: the journal decides when, on which connection, in which transaction.
 */
final class Checkpoints {

    /**
     * Where a node's checkpoint stands: the journal rows after {@code fromSeq} are to be read after it; this node's
     * changes up to {@code ticket} are in it, and a clear of its up to {@code clearTicket}; the other nodes' rows up
     * to {@code followed}.
     */
    record Mark(String node, long fromSeq, long ticket, long clearTicket, long followed, Instant takenAt) {
    }

    private final EntryCodec codec;

    Checkpoints(EntryCodec codec) {
        this.codec = codec;
    }

    /** {@code node}'s mark, else the newest other one (a new node starts from it), else {@code null}. */
    Mark mark(Connection c, String node) throws SQLException {
        Mark best = null;
        try (PreparedStatement q = c.prepareStatement(Sql.MARKS)) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Mark m = new Mark(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getTimestamp(6).toInstant());
                    if (m.node().equals(node)) {
                        return m;
                    }
                    if (best == null || m.fromSeq() > best.fromSeq()) {
                        best = m;
                    }
                }
            }
        }
        return best;
    }

    /** Hands every record of the mark's checkpoint, with its watermarks, to {@code target}; returns how many. */
    long load(Connection c, Mark mark, Journal.Target target) throws SQLException {
        long n = 0;
        try (PreparedStatement q = c.prepareStatement(Sql.CHECKPOINT_RECORDS)) {
            q.setFetchSize(500);
            q.setString(1, mark.node());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    WorkerRecord r;
                    try {
                        r = WorkerRecord.fromSnapshot(codec.decodeRecord(rs.getBytes(4)));
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("checkpoint record of worker '" + rs.getString(1) + "' (node "
                                + mark.node() + ") is unreadable: " + e.getMessage(), e);
                    }
                    r.resetJournal(rs.getLong(2), rs.getLong(3));
                    target.loadRecord(r);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Replaces {@code node}'s checkpoint with every record of {@code source} and {@code mark} (not committed: the
     * caller commits, so a failure leaves the previous checkpoint whole); returns how many records.
     */
    long write(Connection c, String node, Mark mark, Journal.Target source) throws SQLException {
        try (PreparedStatement d = c.prepareStatement(Sql.DELETE_CHECKPOINT)) {
            d.setString(1, node);
            d.executeUpdate();
        }
        long[] n = new long[1];
        try (PreparedStatement insert = c.prepareStatement(Sql.INSERT_CHECKPOINT_RECORD)) {
            SQLException[] failure = new SQLException[1];
            source.forEachRecord(r -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    insert.setString(1, node);
                    insert.setString(2, r.workerId());
                    insert.setLong(3, r.journalTicket());
                    insert.setLong(4, r.journalFollowed());
                    insert.setBytes(5, codec.encodeRecord(r.toSnapshot()));
                    insert.addBatch();
                    if (++n[0] % 500 == 0) {
                        insert.executeBatch();
                    }
                } catch (SQLException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            insert.executeBatch();
        }
        try (PreparedStatement d = c.prepareStatement(Sql.DELETE_MARK)) {
            d.setString(1, node);
            d.executeUpdate();
        }
        try (PreparedStatement m = c.prepareStatement(Sql.INSERT_MARK)) {
            m.setString(1, node);
            m.setLong(2, mark.fromSeq());
            m.setLong(3, mark.ticket());
            m.setLong(4, mark.clearTicket());
            m.setLong(5, mark.followed());
            m.setTimestamp(6, Timestamp.from(mark.takenAt()));
            m.setLong(7, n[0]);
            m.executeUpdate();
        }
        return n[0];
    }

    /**
     * Deletes the rows every node can do without: those before every checkpoint's starting row, and already read by
     * every node's follower; and, with {@code keepSince} (the history's retention), only those before the first row
     * written at or after it, so the history keeps every row of its retention. Keeps the highest row deleted (not
     * committed: the caller commits). (A node no longer in use holds the journal back: remove its rows from
     * warden_node and warden_checkpoint_mark.)
     *
     * @param keepSince the oldest time the history keeps, or {@code null} for none
     */
    long compact(Connection c, Instant keepSince) throws SQLException {
        long bound;
        try (PreparedStatement q = c.prepareStatement(Sql.COMPACT_BOUNDS); ResultSet rs = q.executeQuery()) {
            rs.next();
            long checkpointed = rs.getLong(1);
            boolean noCheckpoint = rs.wasNull();
            long followed = rs.getLong(2);
            if (noCheckpoint || rs.wasNull()) {
                return 0; // a node without a checkpoint reads the journal from its start
            }
            bound = Math.min(checkpointed, followed);
        }
        if (keepSince != null) {
            try (PreparedStatement q = c.prepareStatement(Sql.FIRST_SINCE)) {
                q.setTimestamp(1, Timestamp.from(keepSince));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    long first = rs.getLong(1);
                    if (!rs.wasNull()) {
                        bound = Math.min(bound, first - 1);
                    }
                }
            }
        }
        long deleted;
        try (PreparedStatement d = c.prepareStatement(Sql.COMPACT)) {
            d.setLong(1, bound);
            deleted = d.executeUpdate();
        }
        if (deleted > 0) {
            try (PreparedStatement u = c.prepareStatement(Sql.SET_COMPACTED)) {
                u.setLong(1, bound);
                u.setLong(2, bound);
                u.executeUpdate();
            }
        }
        return deleted;
    }
}
