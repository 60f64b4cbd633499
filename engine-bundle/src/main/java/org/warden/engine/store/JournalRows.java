package org.warden.engine.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;

/**
 * This node's rows of {@code warden_journal}: the insert of a group commit, with a hash of its bytes beside its
 * number, and what a unique violation on the number means. A commit whose acknowledgement was lost is written again
 * under the same number; the row found there is that commit only if it holds the same bytes (issue 12, row 3: taking
 * any row under that number for it silently dropped another writer's batch, acknowledged bans and penalties in it).
 */
final class JournalRows {

    /** The row under this node's number holds other bytes: the batch being written was not committed there. */
    static final class ForeignRowException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ForeignRowException(String message) {
            super(message);
        }
    }

    private JournalRows() {
    }

    static byte[] hash(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e); // every Java has it
        }
    }

    /** Inserts the row (not committed: the caller commits). */
    static void insert(Connection c, String node, long nodeSeq, Instant at, int entries, byte[] payload,
            long lastTicket) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(Sql.INSERT_ROW)) {
            insert.setString(1, node);
            insert.setLong(2, nodeSeq);
            insert.setTimestamp(3, Timestamp.from(at));
            insert.setInt(4, entries);
            insert.setBytes(5, payload);
            insert.setLong(6, lastTicket);
            insert.setBytes(7, hash(payload));
            insert.executeUpdate();
        }
    }

    static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState()); // unique violation, in both H2 and PostgreSQL
    }

    /**
     * After a unique violation on ({@code node}, {@code nodeSeq}), on a connection whose transaction was rolled
     * back: whether the row there is {@code payload} (an earlier attempt's commit went through). Commits its read.
     *
     * @throws ForeignRowException if the row there holds other bytes: another writer used this node id
     */
    static boolean alreadyWritten(Connection c, String node, long nodeSeq, byte[] payload) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(Sql.ROW_HASH)) {
            q.setString(1, node);
            q.setLong(2, nodeSeq);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return false; // the violation was another row's: not this batch's
                }
                if (Arrays.equals(rs.getBytes(1), hash(payload))) {
                    return true;
                }
            } finally {
                c.commit();
            }
        }
        throw new ForeignRowException("journal row " + nodeSeq + " of node '" + node + "' holds another writer's "
                + "batch, not this one: two writers have used this node id. This batch was not committed; it is "
                + "written under a new number");
    }

    /** The highest number of {@code node}'s rows, 0 if none. */
    static long lastNodeSeq(Connection c, String node) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(Sql.LAST_NODE_SEQ)) {
            q.setString(1, node);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
