package org.warden.engine.store;

/**
 * Every statement the store runs against its tables (the tables themselves are made by {@link Schema}'s
 * migrations): one place to read what the store does to the database, and to change when a table changes. Plain
 * SQL that H2 and PostgreSQL both run, except where a name says which.
 */
final class Sql {

    private Sql() {
    }

    // ---------------------------------------------------------------- warden_journal

    static final String INSERT_ROW = "INSERT INTO warden_journal (node_id, node_seq, written_at, entries, payload, "
            + "last_ticket, payload_hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String ROW_HASH = "SELECT payload_hash FROM warden_journal WHERE node_id = ? AND node_seq = ?";
    static final String LAST_NODE_SEQ = "SELECT COALESCE(MAX(node_seq), 0) FROM warden_journal WHERE node_id = ?";
    static final String LAST_TICKET = "SELECT COALESCE(MAX(last_ticket), 0) FROM warden_journal WHERE node_id = ?";
    /** Every row after a given one, in order: what a restore replays. */
    static final String ROWS_AFTER = "SELECT seq, node_id, payload FROM warden_journal WHERE seq > ? ORDER BY seq";
    /** The most rows the follower reads in one query. */
    static final int FOLLOW_BATCH = 200;
    /** The next rows after a given one, without the payload of a given node's own (the follower's look). */
    static final String FOLLOW_ROWS = "SELECT seq, node_id, CASE WHEN node_id = ? THEN NULL ELSE payload END "
            + "FROM warden_journal WHERE seq > ? ORDER BY seq LIMIT " + FOLLOW_BATCH;
    /**
     * The last row every node can do without is the lower of these two: before every checkpoint's starting row,
     * and read by every follower (none while there is no checkpoint: a NULL).
     */
    static final String COMPACT_BOUNDS = "SELECT (SELECT MIN(from_seq) FROM warden_checkpoint_mark), "
            + "(SELECT MIN(followed_seq) FROM warden_node)";
    /**
     * The first row the history keeps: the first written at or after the retention's start (NULL if none is). The
     * history is a whole run of rows from there, never a row left out between two kept ones: with several nodes'
     * clocks, row order and time order may differ by a little.
     */
    static final String FIRST_SINCE = "SELECT MIN(seq) FROM warden_journal WHERE written_at >= ?";
    /** Deletes the rows up to a bound (the journal's compaction). */
    static final String COMPACT = "DELETE FROM warden_journal WHERE seq <= ?";
    /** Keeps the highest row ever compacted away: a history read from before it is not whole. */
    static final String SET_COMPACTED = "UPDATE warden_history SET compacted_seq = ? WHERE id = 1 AND compacted_seq < ?";

    // ---------------------------------------------------------------- the history (issue 16)

    static final String COMPACTED_SEQ = "SELECT compacted_seq FROM warden_history WHERE id = 1";
    /** The oldest row kept, its time, and how many entries the journal holds. */
    static final String OLDEST_ROW = "SELECT seq, written_at FROM warden_journal WHERE seq = "
            + "(SELECT MIN(seq) FROM warden_journal)";
    static final String ENTRIES = "SELECT COALESCE(SUM(entries), 0) FROM warden_journal";
    /** The most rows a history read holds at once (a row is one group commit: up to maxBatch entries). */
    static final int HISTORY_BATCH = 50;
    /** The next rows of a history read, from a given one on. */
    static final String HISTORY_ROWS = "SELECT seq, written_at, payload FROM warden_journal WHERE seq >= ? "
            + "ORDER BY seq LIMIT " + HISTORY_BATCH;

    /** PostgreSQL: a transaction lock that orders the nodes' commits of journal rows. */
    static String lockJournalPostgres(long key) {
        return "SELECT pg_advisory_xact_lock(" + key + ")";
    }

    // ---------------------------------------------------------------- warden_node

    static final String NODE_EXISTS = "SELECT 1 FROM warden_node WHERE node_id = ?";
    static final String INSERT_NODE = "INSERT INTO warden_node (node_id, first_seen, last_seen, followed_seq) "
            + "VALUES (?, ?, ?, 0)";
    static final String CLAIM_NODE = "UPDATE warden_node SET owner = ?, owner_session = ?, owner_info = ?, "
            + "owned_since = ?, last_seen = ? WHERE node_id = ?";
    static final String CONFIRM_NODE = "UPDATE warden_node SET last_seen = ? WHERE node_id = ? AND owner = ?";
    static final String SET_FOLLOWED = "UPDATE warden_node SET followed_seq = ? WHERE node_id = ?";

    /** The node's owner; {@code lock}: and the row locked until the transaction ends. */
    static String nodeOwner(boolean lock) {
        return "SELECT owner, owner_session, owner_info, owned_since FROM warden_node WHERE node_id = ?"
                + (lock ? " FOR UPDATE" : "");
    }

    /** PostgreSQL: the session lock a node's writer holds while it writes under the node id. */
    static String tryLockNodePostgres(long key) {
        return "SELECT pg_try_advisory_lock(" + key + ")";
    }

    /** PostgreSQL: asks the server to end one of its sessions (a writer's own connection left behind). */
    static String terminatePostgres(long pid) {
        return "SELECT pg_terminate_backend(" + pid + ")";
    }

    static final String SESSION_POSTGRES = "SELECT pg_backend_pid()";
    static final String SESSION_H2 = "SELECT SESSION_ID, SESSION_START FROM INFORMATION_SCHEMA.SESSIONS "
            + "WHERE SESSION_ID = SESSION_ID()";
    static final String SESSIONS_H2 = "SELECT SESSION_ID, SESSION_START FROM INFORMATION_SCHEMA.SESSIONS";

    // ---------------------------------------------------------------- checkpoints

    static final String MARKS = "SELECT node_id, from_seq, ticket, clear_ticket, followed, taken_at "
            + "FROM warden_checkpoint_mark";
    static final String CHECKPOINT_RECORDS = "SELECT worker_id, ticket, followed, record FROM warden_checkpoint "
            + "WHERE node_id = ?";
    static final String DELETE_CHECKPOINT = "DELETE FROM warden_checkpoint WHERE node_id = ?";
    static final String INSERT_CHECKPOINT_RECORD = "INSERT INTO warden_checkpoint "
            + "(node_id, worker_id, ticket, followed, record) VALUES (?, ?, ?, ?, ?)";
    static final String DELETE_MARK = "DELETE FROM warden_checkpoint_mark WHERE node_id = ?";
    static final String INSERT_MARK = "INSERT INTO warden_checkpoint_mark "
            + "(node_id, from_seq, ticket, clear_ticket, followed, taken_at, workers) VALUES (?, ?, ?, ?, ?, ?, ?)";
}
