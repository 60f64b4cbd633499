package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.JobOutcome;
import org.warden.api.WorkerReputation;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.Change;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.JournalEntry;

/**
 * Issue 12, rows 2 and 3, on H2: an {@link Error} in the writer, a corrupt journal row, a writer that stops
 * answering and a row under this node's number that is not this node's batch each make the store say it is
 * unavailable and why (or refuse what it cannot keep), and nothing acknowledged is lost once the fault is gone.
 */
class StoreFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final List<JdbcStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(url());
    }

    private static JdbcJournal.Settings settings(Duration syncTimeout, int maxBacklog) {
        return new JdbcJournal.Settings("node-1", false, false, Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMillis(50), syncTimeout, maxBacklog, 10_000);
    }

    private JdbcStore store(JdbcJournal.Connector connector, JdbcJournal.Settings settings) {
        JdbcStore store = new JdbcStore(connector, "h2", settings, Clock.systemUTC());
        stores.add(store);
        return store;
    }

    private static WardenEngine engine(JdbcStore store) {
        WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                EventSink.NONE);
        engine.useStore(store);
        return engine;
    }

    /** A new engine on the database, once every other store is closed: what was committed. */
    private WardenEngine reopened() {
        stores.forEach(JdbcStore::close);
        JdbcStore store = store(this::db, settings(Duration.ofSeconds(10), 1_000_000));
        WardenEngine engine = engine(store);
        assertThat(store.health().available()).as(store.health().problem()).isTrue();
        return engine;
    }

    private static JobOutcome ok(String worker) {
        return new JobOutcome(worker, true, 100, BigInteger.ONE, null, null, null);
    }

    private static long completed(WardenEngine e, String worker) {
        return e.reputation(worker).map(WorkerReputation::jobsCompleted).orElse(0L);
    }

    @Test
    void anErrorInTheWriterMakesTheStoreUnavailableSayingWhyAndTheWriterRecoversLosingNothing() throws Exception {
        AtomicBoolean outOfMemory = new AtomicBoolean();
        JdbcStore store = store(() -> Faults.inject(db(), sql -> {
            if (outOfMemory.get() && sql.startsWith("INSERT INTO warden_journal")) {
                throw new OutOfMemoryError("Java heap space (test: injected in the writer)");
            }
        }), settings(Duration.ofSeconds(20), 1_000_000));
        WardenEngine engine = engine(store);
        engine.recordOutcome(ok("w1"));
        await().atMost(WAIT).until(() -> store.health().backlog() == 0);

        outOfMemory.set(true);
        // a ban in flight when the writer fails: applied in memory, waiting for its commit
        CompletableFuture<Void> ban = CompletableFuture.runAsync(() -> engine.ban("w1", "cheat", null));
        await().atMost(WAIT).until(() -> !store.health().available());
        assertThat(store.health().problem()).contains("OutOfMemoryError")
                .contains("Java heap space (test: injected in the writer)");
        // the store says so: a new critical call is refused at once, an outcome is kept in memory
        assertThatThrownBy(() -> engine.ban("w2", "x", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unavailable").hasMessageContaining("OutOfMemoryError");
        engine.recordOutcome(ok("w1"));
        assertThat(ban).isNotDone();

        outOfMemory.set(false); // the writer, still alive, retries and writes everything
        ban.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> store.health().available() && store.health().backlog() == 0);

        WardenEngine after = reopened();
        assertThat(completed(after, "w1")).isEqualTo(2);
        assertThat(after.reputation("w1").orElseThrow().ban()).isNotNull();
        assertThat(after.reputation("w2")).isEmpty();
    }

    /** A row as another node would write it, with {@code payload} as its bytes; returns its seq. */
    private long insertRow(String node, long nodeSeq, byte[] payload) throws SQLException {
        try (Connection c = db(); PreparedStatement i = c.prepareStatement("INSERT INTO warden_journal (node_id, "
                + "node_seq, written_at, entries, payload, last_ticket, payload_hash) VALUES (?, ?, ?, 1, ?, 1, ?)",
                java.sql.Statement.RETURN_GENERATED_KEYS)) {
            i.setString(1, node);
            i.setLong(2, nodeSeq);
            i.setTimestamp(3, Timestamp.from(Instant.now()));
            i.setBytes(4, payload);
            i.setBytes(5, JournalRows.hash(payload));
            i.executeUpdate();
            try (ResultSet keys = i.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The row of the issue: one entry whose worker name claims 2 GB. */
    private static byte[] inflatedRow() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(EntryCodec.FORMAT);
        b.writeBytes(new byte[] { 1, 0, 1, 0 }); // one entry, ticket 0, one change, a worker named now:
        b.writeBytes(new byte[] { 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'w' });
        return b.toByteArray();
    }

    private void execute(String sql, long seq) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, seq);
            s.executeUpdate();
        }
    }

    /**
     * A corrupt row of another node's, as the follower meets it: the store is unavailable saying which row and why
     * (no OutOfMemoryError, no dead writer); the row is left for the operator, and once it is repaired (here:
     * deleted) the store is back and writes what was recorded meanwhile.
     */
    @Test
    void aCorruptRowStopsTheStoreWithItsReasonUntilItIsRepaired() throws Exception {
        JdbcStore store = store(this::db, settings(Duration.ofSeconds(10), 1_000_000));
        WardenEngine engine = engine(store);
        engine.recordOutcome(ok("w1"));
        await().atMost(WAIT).until(() -> store.health().backlog() == 0);

        long seq = insertRow("node-2", 1, inflatedRow());
        await().atMost(WAIT).until(() -> !store.health().available());
        assertThat(store.health().problem()).contains("journal row " + seq + " is unreadable")
                .contains("a count of " + Integer.MAX_VALUE + " string bytes");
        assertThatThrownBy(() -> engine.ban("w1", "x", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("journal row " + seq + " is unreadable");
        engine.recordOutcome(ok("w1"));

        execute("DELETE FROM warden_journal WHERE seq = ?", seq);
        await().atMost(WAIT).until(() -> store.health().available() && store.health().backlog() == 0);
        engine.ban("w1", "cheat", null);
        assertThat(reopened().reputation("w1").orElseThrow()).satisfies(r -> {
            assertThat(r.jobsCompleted()).isEqualTo(2);
            assertThat(r.ban()).isNotNull();
        });
    }

    /** The same row met by a restore: the engine starts from memory, and reads the record once the row is repaired. */
    @Test
    void aCorruptRowAtStartIsReportedAndTheRecordIsReadOnceItIsRepaired() throws Exception {
        WardenEngine first = engine(store(this::db, settings(Duration.ofSeconds(10), 1_000_000)));
        first.recordOutcome(ok("w1"));
        first.ban("w1", "cheat", null);
        stores.forEach(JdbcStore::close);
        long seq = insertRow("node-2", 1, inflatedRow());

        JdbcStore store = store(this::db, settings(Duration.ofSeconds(10), 1_000_000));
        WardenEngine engine = engine(store);
        assertThat(store.health().available()).isFalse();
        assertThat(store.health().problem()).contains("journal row " + seq + " is unreadable");
        engine.recordOutcome(ok("w1"));

        // repaired: the row rewritten with what its node meant (an outcome of w2)
        EntryCodec codec = new EntryCodec();
        byte[] good = codec.encode(List.of(new EntryCodec.Journaled(7, JournalEntry.of(new Change.Outcome("w2", true,
                5, BigInteger.ONE, null, null, Instant.now())))));
        try (Connection c = db(); PreparedStatement u = c.prepareStatement(
                "UPDATE warden_journal SET payload = ? WHERE seq = ?")) {
            u.setBytes(1, good);
            u.setLong(2, seq);
            u.executeUpdate();
        }
        await().atMost(WAIT).until(() -> store.health().available() && store.health().backlog() == 0);
        assertThat(completed(engine, "w1")).isEqualTo(2);
        assertThat(engine.reputation("w1").orElseThrow().ban()).isNotNull();
        assertThat(completed(engine, "w2")).isEqualTo(1);
    }

    /**
     * A writer that stops answering (its insert hangs): past the sync timeout the store says it is unavailable;
     * past {@code maxBacklog} records are refused, and a refused one changes nothing; once the database answers,
     * everything accepted is written.
     */
    @Test
    void pastMaxBacklogRecordsAreRefusedNeverQueued() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicBoolean hang = new AtomicBoolean();
        JdbcStore store = store(() -> Faults.inject(db(), sql -> {
            if (hang.get() && sql.startsWith("INSERT INTO warden_journal")) {
                answer.await();
            }
        }), settings(Duration.ofMillis(500), 20));
        WardenEngine engine = engine(store);
        engine.recordOutcome(ok("w1"));
        await().atMost(WAIT).until(() -> store.health().backlog() == 0);

        hang.set(true);
        long accepted = 1;
        IllegalStateException refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            try {
                engine.recordOutcome(ok("w1"));
                accepted++;
            } catch (IllegalStateException e) {
                refused = e;
            }
        }
        assertThat(refused).as("refused once the backlog is full").isNotNull();
        assertThat(refused.getMessage()).contains("maxBacklog").doesNotContain("\n");
        assertThat(accepted).isBetween(20L, 25L); // the limit, and the batch the writer holds
        assertThat(completed(engine, "w1")).isEqualTo(accepted); // the refused one changed nothing
        assertThat(store.health().backlog()).isLessThanOrEqualTo(21);
        // once the writer has waited longer than the sync timeout, the store says so
        await().atMost(WAIT).until(() -> !store.health().available());
        assertThat(store.health().problem()).contains("no answer from the database for");
        assertThatThrownBy(() -> engine.ban("w1", "x", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no answer from the database");

        answer.countDown();
        await().atMost(WAIT).until(() -> store.health().available() && store.health().backlog() == 0);
        assertThat(completed(reopened(), "w1")).isEqualTo(accepted);
    }

    /**
     * Issue 12, row 3: a row under the number this node's next batch takes, written by another writer with this
     * node id, is not taken for the batch: the batch is written under a new number, and acknowledged only then.
     */
    @Test
    void aRetriedCommitIsRecognisedByItsBytesNotByItsNumber() throws Exception {
        JdbcStore store = store(this::db, settings(Duration.ofSeconds(20), 1_000_000));
        WardenEngine engine = engine(store);
        engine.recordOutcome(ok("w1"));
        await().atMost(WAIT).until(() -> store.health().backlog() == 0);
        long last;
        try (Connection c = db()) {
            last = JournalRows.lastNodeSeq(c, "node-1");
        }
        EntryCodec codec = new EntryCodec();
        insertRow("node-1", last + 1, codec.encode(List.of(new EntryCodec.Journaled(1, JournalEntry.of(
                new Change.Outcome("ghost", true, 5, BigInteger.ONE, null, null, Instant.now()))))));

        try (Faults.StderrCapture log = new Faults.StderrCapture()) {
            engine.ban("w1", "cheat", null); // acknowledged once committed, under last + 2
            assertThat(log.text()).contains("journal row " + (last + 1) + " of node 'node-1' holds another "
                    + "writer's batch");
        }
        try (Connection c = db(); PreparedStatement q = c.prepareStatement(
                "SELECT node_seq FROM warden_journal WHERE node_id = 'node-1' ORDER BY node_seq DESC")) {
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(last + 2);
            }
        }
        assertThat(reopened().reputation("w1").orElseThrow().ban()).isNotNull();
    }
}
