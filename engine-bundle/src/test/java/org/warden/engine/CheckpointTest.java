package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.store.JdbcJournal;
import org.warden.engine.store.JdbcStore;

/**
 * Checkpoints: after one, the journal rows it holds are deleted, and a restart (from the checkpoint and the rows
 * after it) gives back every record exactly, including changes made while it was written and an import that
 * replaced every worker after it.
 */
class CheckpointTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final List<JdbcStore> stores = new ArrayList<>();
    private final EngineSettings settings = new EngineSettings(Duration.ofSeconds(60), 3, Duration.ZERO, 10, 5,
            Duration.ofSeconds(60));

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    private JdbcStore store() {
        // checkpoints only when asked (the interval is an hour)
        JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(url()), "h2",
                new JdbcJournal.Settings("node", false, false, Duration.ofMillis(100), Duration.ofMillis(20),
                        Duration.ofMillis(50), Duration.ofSeconds(10), 1_000_000, 10_000, Duration.ofHours(1), 0),
                clock);
        stores.add(store);
        return store;
    }

    private WardenEngine engine(JdbcStore store) {
        WardenEngine engine = new WardenEngine(clock, new InMemoryWorkerStore(), settings, EventSink.NONE);
        StubPolicy policy = new StubPolicy();
        policy.banAt = 2;
        engine.bindPolicy(policy, Map.of(WardenPolicy.NAME_PROPERTY, "stub"));
        engine.useStore(store);
        return engine;
    }

    private long journalRows() throws Exception {
        try (Connection c = DriverManager.getConnection(url());
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM warden_journal")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void traffic(WardenEngine e, int round) {
        for (int i = 0; i < 200; i++) {
            String w = "w" + (i % 40);
            if (i % 10 == 0) {
                e.reportHealth(w, Fixtures.GOOD);
            }
            e.recordOutcome(new JobOutcome(w, i % 7 != round, 100 + i, BigInteger.valueOf(i), null, null, null));
        }
    }

    @Test
    void aRestartFromACheckpointAndTheRowsAfterItGivesBackEveryRecordExactly() throws Exception {
        JdbcStore store = store();
        WardenEngine engine = engine(store);
        traffic(engine, 0);
        engine.applyPenalty("w1", PenaltyType.JOB_TIMEOUT, 0.8, "late", null);
        engine.reportMalicious("w2", "forged");
        engine.reportMalicious("w2", "forged again"); // the policy's automatic ban
        engine.ban("w3", "operator", null);
        clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.health().backlog() == 0);
        long rowsBefore = journalRows();

        // the checkpoint, taken while the engine goes on recording
        Thread busy = new Thread(() -> traffic(engine, 1));
        busy.start();
        JdbcJournal.Checkpoint first = await().atMost(Duration.ofSeconds(10))
                .until(() -> store.journal().checkpoint(), c -> c.deletedRows() > 0);
        busy.join();
        assertThat(first.workers()).isGreaterThanOrEqualTo(40);
        assertThat(journalRows()).isLessThan(rowsBefore);

        // after it: more changes, an unban, and an import that replaces every worker
        clock.advance(Duration.ofMinutes(5));
        traffic(engine, 2);
        engine.unban("w3", "appeal");
        Snapshot some = new Snapshot(Snapshot.FORMAT, clock.instant(), engine.export().workers().subList(0, 5));
        engine.importSnapshot(some, ImportMode.REPLACE);
        traffic(engine, 3);
        Snapshot expected = engine.export();
        store.close();

        WardenEngine after = engine(store());
        assertThat(after.export().workers()).containsExactlyElementsOf(expected.workers());
        assertThat(after.networkHealth().successRate()).isEqualTo(engine.networkHealth().successRate());

        // and a checkpoint after the import, then a restart from it alone
        clock.advance(Duration.ofMinutes(5));
        traffic(after, 4);
        Snapshot expectedAgain = after.export();
        await().atMost(Duration.ofSeconds(10)).until(() -> stores.get(1).journal().checkpoint().deletedRows() > 0);
        stores.get(1).close();
        assertThat(engine(store()).export().workers()).containsExactlyElementsOf(expectedAgain.workers());
    }
}
