package org.warden.engine.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * A node id is owned by one writer at a time (issue 12, row 3). Two writers with one node id (a copied data
 * directory, the same {@code nodeId} configured twice, an old writer still running after a configuration change)
 * would number their rows alike, each taking the other's row for its own already-written one, and never read each
 * other's rows: the second one is refused, and the store is unavailable, saying why, until the first one stops.
 *
 * <p>The owner is a database session, so that a writer that died (a {@code kill -9}, a closed connection) frees the
 * node at once, with no lease to wait out on restart:
 * <ul>
 * <li>PostgreSQL: a session-level advisory lock on the node id, held by the writer's connection. A session the
 * server still holds for a writer whose network went away keeps it until the server ends that session; if it is an
 * earlier connection of this very writer (the owner token says so), this writer asks the server to end it.
 * <li>H2: the owner's session, recorded in {@code warden_node}, is looked up among the database's open sessions
 * ({@code INFORMATION_SCHEMA.SESSIONS}, complete for an administrator, as the user that created the database is).
 * </ul>
 * In both, {@code warden_node.owner} names the owning writer (a token made per store start), and every commit
 * {@link #confirm confirms} it in the commit's transaction: a writer whose node was taken over (its session thought
 * gone) commits nothing more.
 */
final class NodeLease {

    /** The node id is another writer's. */
    static final class NodeInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NodeInUseException(String message) {
            super(message);
        }
    }

    private final String nodeId;
    private final String token = UUID.randomUUID().toString();
    private final String info;
    private final long lockKey;

    NodeLease(String nodeId) {
        this.nodeId = nodeId;
        String host = System.getenv("HOSTNAME");
        this.info = "pid " + ProcessHandle.current().pid() + (host == null || host.isBlank() ? "" : " on " + host);
        this.lockKey = lockKey(nodeId);
    }

    /** A 64-bit key for the node id, apart from the store's other advisory locks by its first bytes' hash. */
    static long lockKey(String nodeId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("warden-node:" + nodeId)
                    .getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xFF);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e); // every Java has it
        }
    }

    String token() {
        return token;
    }

    /**
     * Takes the node for this writer on {@code c}, its connection, registering the node if new, and commits.
     *
     * @throws NodeInUseException if another live writer has it
     */
    void claim(Connection c, Schema.Dialect dialect, Instant now) throws SQLException {
        register(c, now);
        Owner owner = owner(c, dialect == Schema.Dialect.H2);
        String session;
        if (dialect == Schema.Dialect.POSTGRESQL) {
            session = pgSession(c);
            if (!query(c, Sql.tryLockNodePostgres(lockKey))) {
                c.rollback();
                if (token.equals(owner.token) && owner.session != null) {
                    // this writer's own earlier connection, which the server has not ended yet (a network that
                    // vanished under it): ask the server to end it, and claim again on the next retry
                    boolean ended = query(c, Sql.terminatePostgres(Long.parseLong(owner.session)));
                    c.rollback();
                    throw new NodeInUseException("node id '" + nodeId + "' is still held by an earlier connection of "
                            + "this writer (server process " + owner.session + "), which the server has not ended yet"
                            + (ended ? "; it was asked to end it" : " and would not end on request")
                            + "; claimed again on the next retry");
                }
                throw inUse(owner);
            }
        } else {
            session = h2Session(c);
            if (owner.token != null && !token.equals(owner.token) && h2SessionOpen(c, owner.session)) {
                c.rollback();
                throw inUse(owner);
            }
        }
        try (PreparedStatement u = c.prepareStatement(Sql.CLAIM_NODE)) {
            u.setString(1, token);
            u.setString(2, session);
            u.setString(3, info);
            u.setTimestamp(4, Timestamp.from(now));
            u.setTimestamp(5, Timestamp.from(now));
            u.setString(6, nodeId);
            u.executeUpdate();
        }
        c.commit();
    }

    /**
     * In the caller's transaction (a commit of the journal), that the node is still this writer's; the row stays
     * locked until that transaction ends, so no other writer takes it meanwhile.
     *
     * @throws NodeInUseException if another writer has taken it over
     */
    void confirm(Connection c, Instant now) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(Sql.CONFIRM_NODE)) {
            u.setTimestamp(1, Timestamp.from(now));
            u.setString(2, nodeId);
            u.setString(3, token);
            if (u.executeUpdate() == 1) {
                return;
            }
        }
        Owner owner = owner(c, false);
        c.rollback();
        throw new NodeInUseException("node id '" + nodeId + "' was taken over by another writer (" + owner.describe()
                + "): this one commits nothing more under it. Two writers must not share a node id");
    }

    private NodeInUseException inUse(Owner owner) {
        return new NodeInUseException("node id '" + nodeId + "' is in use by another writer (" + owner.describe()
                + "); this one is refused until that one stops. Give every node its own nodeId (a copied data "
                + "directory copies ${karaf.data}/warden/node-id)");
    }

    private void register(Connection c, Instant now) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(Sql.NODE_EXISTS)) {
            u.setString(1, nodeId);
            try (ResultSet rs = u.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement i = c.prepareStatement(Sql.INSERT_NODE)) {
            i.setString(1, nodeId);
            i.setTimestamp(2, Timestamp.from(now));
            i.setTimestamp(3, Timestamp.from(now));
            i.executeUpdate();
        }
        // committed now: two writers registering at once then meet on the row (one fails here and retries)
        c.commit();
    }

    private record Owner(String token, String session, String info, Instant since) {
        String describe() {
            return token == null ? "none recorded" : info + ", since " + since + ", owner " + token;
        }
    }

    private Owner owner(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(Sql.nodeOwner(lock))) {
            q.setString(1, nodeId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return new Owner(null, null, null, null);
                }
                Timestamp since = rs.getTimestamp(4);
                return new Owner(rs.getString(1), rs.getString(2), rs.getString(3),
                        since == null ? null : since.toInstant());
            }
        }
    }

    private static boolean query(Connection c, String sql) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String pgSession(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(Sql.SESSION_POSTGRES); ResultSet rs = q.executeQuery()) {
            rs.next();
            return Long.toString(rs.getLong(1));
        }
    }

    /** H2's session: its number and start (numbers are reused once the database restarts). */
    private static String h2Session(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(Sql.SESSION_H2); ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("H2 does not list this connection's own session");
            }
            return rs.getLong(1) + "@" + rs.getString(2);
        }
    }

    private static boolean h2SessionOpen(Connection c, String session) throws SQLException {
        if (session == null) {
            return false;
        }
        try (PreparedStatement q = c.prepareStatement(Sql.SESSIONS_H2); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                if (session.equals(rs.getLong(1) + "@" + rs.getString(2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
