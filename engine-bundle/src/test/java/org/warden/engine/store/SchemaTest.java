package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.engine.state.Change;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.Journal;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.JournalEntry;

/**
 * The schema is created on first start and a newer build upgrades an older database, keeping its rows; a database
 * newer than the build is left alone. On H2 and on PostgreSQL.
 */
class SchemaTest {

    @TempDir
    Path dir;

    private Connection h2() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("w").toAbsolutePath() + ";WRITE_DELAY=0");
    }

    @Test
    void h2IsUpgradedFromVersion1KeepingItsJournal() throws Exception {
        upgradedFromVersion1(this::h2);
    }

    @Test
    void postgresqlIsUpgradedFromVersion1KeepingItsJournal() throws Exception {
        DataSource ds = LocalPostgres.get().freshDatabase("schema");
        upgradedFromVersion1(ds::getConnection);
    }

    @Test
    void aDatabaseNewerThanTheBuildIsNotUsed() throws Exception {
        try (Connection c = h2(); Statement s = c.createStatement()) {
            Schema.migrate(c, Schema.Dialect.H2, Schema.LATEST);
            s.execute("UPDATE warden_schema SET version = " + (Schema.LATEST + 1));
        }
        JdbcStore store = new JdbcStore(this::h2, "h2", settings(), Clock.systemUTC());
        try {
            store.start(new Recorder(new ArrayList<>()));
            assertThat(store.health().available()).isFalse();
            assertThat(store.health().problem()).contains("schema is version " + (Schema.LATEST + 1))
                    .contains("newer than this build's " + Schema.LATEST);
        } finally {
            store.close();
        }
        try (Connection c = h2(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM warden_schema")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Schema.LATEST + 1);
        }
    }

    /**
     * Version 5 keeps the highest row compacted away (issue 16): a database a version-4 build checkpointed may have
     * been compacted, so its history does not start at its first row; one without a checkpoint never was.
     */
    @Test
    void version5KnowsWhetherAnOlderBuildMayHaveCompactedTheJournal() throws Exception {
        assertThat(compactedAfterUpgrade("never", false, false)).isZero();
        assertThat(compactedAfterUpgrade("compacted", true, true)).as("the rows before the oldest").isEqualTo(3);
        assertThat(compactedAfterUpgrade("emptied", true, false)).as("the checkpoint's row").isEqualTo(7);
    }

    private long compactedAfterUpgrade(String name, boolean checkpoint, boolean rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + name); Statement s = c.createStatement()) {
            Schema.migrate(c, Schema.Dialect.H2, 4);
            c.setAutoCommit(true);
            if (rows) {
                for (int seq = 4; seq <= 6; seq++) {
                    s.execute("INSERT INTO warden_journal (seq, node_id, node_seq, written_at, entries, payload) "
                            + "VALUES (" + seq + ", 'old', " + seq + ", CURRENT_TIMESTAMP, 0, X'02')");
                }
            }
            if (checkpoint) {
                s.execute("INSERT INTO warden_checkpoint_mark VALUES ('old', 7, 0, 0, 7, CURRENT_TIMESTAMP, 0)");
            }
            assertThat(Schema.migrate(c, Schema.Dialect.H2, Schema.LATEST)).isEqualTo(4);
            try (ResultSet rs = s.executeQuery(Sql.COMPACTED_SEQ)) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private void upgradedFromVersion1(JdbcJournal.Connector db) throws Exception {
        List<JournalEntry> written = EntryCodecTest.everyKind();
        try (Connection c = db.connect()) {
            Schema.Dialect dialect = Schema.Dialect.of(c);
            assertThat(Schema.migrate(c, dialect, 1)).isZero();
            c.setAutoCommit(true);
            // a row as version 1 wrote it
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO warden_journal "
                    + "(node_id, node_seq, written_at, entries, payload) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, "old-node");
                insert.setLong(2, 1);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.setInt(4, written.size());
                insert.setBytes(5, new EntryCodec().encode(EntryCodecTest.withTickets(written)));
                insert.executeUpdate();
            }
        }
        List<JournalEntry> read = new ArrayList<>();
        JdbcStore store = new JdbcStore(db, "test", settings(), Clock.systemUTC());
        try {
            store.start(new Recorder(read));
            assertThat(store.health().available()).as(store.health().problem()).isTrue();
        } finally {
            store.close();
        }
        assertThat(read).isEqualTo(written);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version FROM warden_schema")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(Schema.LATEST).isEqualTo(5);
            }
            try (ResultSet rs = s.executeQuery("SELECT node_id FROM warden_node")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("new-node");
            }
            // and a second start finds nothing to do
            assertThat(Schema.migrate(c, Schema.Dialect.of(c), Schema.LATEST)).isEqualTo(Schema.LATEST);
        }
        // the replay of what was read works on a store
        InMemoryWorkerStore mem = new InMemoryWorkerStore();
        Change.Limits limits = new Change.Limits(10, 5);
        for (JournalEntry e : read) {
            if (e.isClear()) {
                mem.clear();
            } else {
                mem.update(e.workerId(), current -> e.applyTo(current, limits));
            }
        }
        assertThat(mem.size()).isEqualTo(1); // the clear, then the imported worker
    }

    /** Records what a restore applies. */
    static final class Recorder extends StubTarget {
        private final List<JournalEntry> applied;

        Recorder(List<JournalEntry> applied) {
            this.applied = applied;
        }

        @Override
        public void applyJournaled(JournalEntry entry, boolean own, long ticket, long seq) {
            applied.add(entry);
        }

        @Override
        public void loadRecord(WorkerRecord record) {
            throw new AssertionError("no checkpoint expected");
        }

        @Override
        public void replace(String workerId, java.util.function.UnaryOperator<WorkerRecord> change) {
            throw new AssertionError("no late restore expected");
        }

        @Override
        public Journal.Target scratch() {
            throw new AssertionError("no late restore expected");
        }
    }

    private static JdbcJournal.Settings settings() {
        return new JdbcJournal.Settings("new-node", false, false, Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofSeconds(5), 1000, 100);
    }
}
