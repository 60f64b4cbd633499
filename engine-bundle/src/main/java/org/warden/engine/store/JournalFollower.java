package org.warden.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

import org.warden.engine.state.Journal;

/**
 * Follows the other nodes' rows on a shared database: applies those committed since the last look, and moves past
 * this node's own (already in memory; read without their payload), so every row up to {@link #followedSeq()} is in
 * memory, which is what a checkpoint needs to know. Runs on the writer's thread and connection. Changes when how
 * nodes see each other's changes changes.
 */
final class JournalFollower {

    private final JdbcJournal.Settings settings;
    private final Clock clock;
    private final NodeLease lease;
    private final Availability availability;
    private final RowReplay replay;
    /** Every row up to this one is in memory (this node's, and the others' followed or restored). */
    private volatile long followedSeq;
    // writer thread only
    private long nextFollowNanos = System.nanoTime();

    JournalFollower(JdbcJournal.Settings settings, Clock clock, NodeLease lease, Availability availability,
            RowReplay replay) {
        this.settings = settings;
        this.clock = clock;
        this.lease = lease;
        this.availability = availability;
        this.replay = replay;
    }

    long followedSeq() {
        return followedSeq;
    }

    /** A restore read every row up to {@code seq}. */
    void restoredUpTo(long seq) {
        followedSeq = Math.max(followedSeq, seq);
    }

    /** The next look is due at once (after a reconnection: the store is back only once it has followed again). */
    void lookNow() {
        nextFollowNanos = System.nanoTime();
    }

    /** Applies the other nodes' rows committed since the last look, if a look is due. */
    void follow(Connection connection, Journal.Target target) throws SQLException {
        if (System.nanoTime() - nextFollowNanos < 0) {
            return;
        }
        nextFollowNanos = System.nanoTime() + settings.followInterval().toNanos();
        availability.busy();
        try {
            followRows(connection, target);
        } finally {
            availability.idle();
        }
    }

    private void followRows(Connection connection, Journal.Target target) throws SQLException {
        boolean more = true;
        while (more) {
            more = false;
            try (PreparedStatement q = connection.prepareStatement(Sql.FOLLOW_ROWS)) {
                q.setString(1, settings.nodeId());
                q.setLong(2, followedSeq);
                try (ResultSet rs = q.executeQuery()) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        long seq = rs.getLong(1);
                        byte[] payload = rs.getBytes(3);
                        if (payload != null) {
                            replay.apply(target, seq, rs.getString(2), payload, null, 0, 0);
                        }
                        followedSeq = seq;
                    }
                    more = rows == Sql.FOLLOW_BATCH;
                }
            }
            connection.commit();
        }
        lease.confirm(connection, clock.instant());
        try (PreparedStatement u = connection.prepareStatement(Sql.SET_FOLLOWED)) {
            u.setLong(1, followedSeq);
            u.setString(2, settings.nodeId());
            u.executeUpdate();
        }
        connection.commit();
    }
}
