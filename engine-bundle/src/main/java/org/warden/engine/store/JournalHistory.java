package org.warden.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.warden.engine.state.History;

/**
 * The journal as kept for a what-if replay (issue 16): the rows the checkpoints' compaction left, which with a
 * retention are at least every row written within it. Read on a connection of its own (the writer goes on), a
 * few rows at a time in journal order, each row's entries handed over with the time it was written; the rows of a
 * batch are read before any is handed over, so a slow reader holds no statement open. Changes when what the history
 * keeps, or how it is read, changes.
 */
final class JournalHistory implements History {

    /** The configuration key, named in refusals. */
    static final String RETENTION_KEY = "historyRetentionHours";

    private final Checkpointer.Opener opener;
    private final EntryCodec codec;
    private final Duration retention;
    private final String backend;
    private final Redactor redactor;

    JournalHistory(Checkpointer.Opener opener, EntryCodec codec, Duration retention, String backend,
            Redactor redactor) {
        this.opener = opener;
        this.codec = codec;
        this.retention = retention;
        this.backend = backend;
        this.redactor = redactor;
    }

    /**
     * What is kept now: the time of the oldest row ({@code null} if there is none), and whether no row was ever
     * compacted away.
     */
    private record Kept(Instant oldestAt, boolean fromStart) {
    }

    @Override
    public Optional<Retained> retained() {
        if (retention.isZero()) {
            return Optional.empty();
        }
        try (Connection c = opener.open()) {
            Kept kept = kept(c);
            if (kept.oldestAt() == null) {
                return Optional.empty();
            }
            try (PreparedStatement q = c.prepareStatement(Sql.ENTRIES); ResultSet rs = q.executeQuery()) {
                rs.next();
                return Optional.of(new Retained(kept.oldestAt(), kept.fromStart(), rs.getLong(1)));
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    @Override
    public void read(Instant since, Visitor visitor) {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(visitor, "visitor");
        if (retention.isZero()) {
            throw new IllegalStateException("no history is kept: the durable store keeps none (" + RETENTION_KEY
                    + "=0 in " + StoreComponent.PID + ")");
        }
        try (Connection c = opener.open()) {
            Kept kept = kept(c);
            if (kept.oldestAt() == null) {
                if (kept.fromStart()) {
                    return; // nothing was ever journaled: the history is whole, and empty
                }
                throw new IllegalStateException("history since " + since + " is not retained: every journal row "
                        + "was compacted away (" + RETENTION_KEY + "=" + retention.toHours() + ")");
            }
            if (!kept.fromStart() && since.isBefore(kept.oldestAt())) {
                throw new IllegalStateException("history since " + since + " is not retained: the oldest retained "
                        + "entry was written at " + kept.oldestAt() + " (" + RETENTION_KEY + "="
                        + retention.toHours() + ")");
            }
            Long first = firstSince(c, since);
            if (first != null) {
                stream(c, first, visitor);
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    private static Kept kept(Connection c) throws SQLException {
        long compacted;
        try (PreparedStatement q = c.prepareStatement(Sql.COMPACTED_SEQ); ResultSet rs = q.executeQuery()) {
            compacted = rs.next() ? rs.getLong(1) : 0;
        }
        try (PreparedStatement q = c.prepareStatement(Sql.OLDEST_ROW); ResultSet rs = q.executeQuery()) {
            return new Kept(rs.next() ? rs.getTimestamp(2).toInstant() : null, compacted == 0);
        }
    }

    private static Long firstSince(Connection c, Instant since) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(Sql.FIRST_SINCE)) {
            q.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? null : first;
            }
        }
    }

    /** A row as read, before its entries are decoded. */
    private record Row(long seq, Instant writtenAt, byte[] payload) {
    }

    /** Hands every entry of the rows from {@code first} on to {@code visitor}, a batch of rows at a time. */
    private void stream(Connection c, long first, Visitor visitor) throws SQLException {
        long next = first;
        while (true) {
            List<Row> batch = new ArrayList<>(Sql.HISTORY_BATCH);
            try (PreparedStatement q = c.prepareStatement(Sql.HISTORY_ROWS)) {
                q.setLong(1, next);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        batch.add(new Row(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getBytes(3)));
                    }
                }
            }
            for (Row row : batch) {
                if (!visit(row, visitor)) {
                    return;
                }
                next = row.seq() + 1;
            }
            if (batch.size() < Sql.HISTORY_BATCH) {
                return;
            }
        }
    }

    private boolean visit(Row row, Visitor visitor) {
        List<EntryCodec.Journaled> entries;
        try {
            entries = codec.decode(row.payload());
        } catch (RuntimeException e) {
            throw new IllegalStateException("journal row " + row.seq() + " is unreadable (" + e.getMessage()
                    + "): the history cannot be read past it", e);
        }
        for (EntryCodec.Journaled j : entries) {
            if (!visitor.visit(j.entry(), row.writtenAt())) {
                return false;
            }
        }
        return true;
    }

    private IllegalStateException unreadable(SQLException e) {
        return new IllegalStateException("the history cannot be read from the durable store (" + backend + "): "
                + redactor.redact(String.valueOf(e.getMessage())), redactor.redact(e));
    }
}
