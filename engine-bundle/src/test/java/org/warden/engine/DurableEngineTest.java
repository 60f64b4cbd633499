package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.JobOutcome;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyType;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.store.JdbcJournal;
import org.warden.engine.store.JdbcStore;

/**
 * The engine on a durable H2 store: what one engine recorded, a new engine on the same database has, exactly; an
 * unavailable or corrupt database leaves the engine serving from memory, refusing what must be durable, and
 * writing the backlog once the database is back.
 */
class DurableEngineTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final List<JdbcStore> stores = new ArrayList<>();
    private final EngineSettings settings = new EngineSettings(Duration.ofSeconds(60), 3, Duration.ZERO, 10, 5,
            Duration.ofSeconds(60)).withBanBudget(1.0, Duration.ofMinutes(60));

    @AfterEach
    void closeStores() {
        stores.forEach(JdbcStore::close);
    }

    static JdbcJournal.Settings journalSettings(String node, boolean outcomesSync) {
        return new JdbcJournal.Settings(node, outcomesSync, false, Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMillis(50), Duration.ofSeconds(10), 1_000_000, 10_000);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    private JdbcStore h2(JdbcJournal.Connector connector) {
        JdbcStore store = new JdbcStore(connector, "h2", journalSettings("test", false), clock);
        stores.add(store);
        return store;
    }

    private JdbcStore h2() {
        return h2(() -> DriverManager.getConnection(url()));
    }

    private WardenEngine engine(JdbcStore store, StubPolicy policy) {
        WardenEngine engine = new WardenEngine(clock, new InMemoryWorkerStore(), settings, EventSink.NONE);
        engine.bindPolicy(policy, Map.of(WardenPolicy.NAME_PROPERTY, "stub"));
        engine.useStore(store);
        return engine;
    }

    private static StubPolicy banning() {
        StubPolicy p = new StubPolicy();
        p.banAt = 3;
        p.banAtFailures = 4;
        p.reputation = s -> s.jobsCompleted() / (double) Math.max(1, s.jobsCompleted() + s.jobsFailed());
        return p;
    }

    /** Every kind of change, over simulated days, including automatic bans (in an outcome and in a penalty). */
    private void recordHistory(WardenEngine e) {
        for (int i = 0; i < 30; i++) {
            String w = "w" + (i % 6);
            e.reportHealth(w, Fixtures.GOOD);
            e.recordOutcome(new JobOutcome(w, i % 4 != 0, 900 + i, BigInteger.valueOf(i), 0.5 + i / 100.0,
                    1000L, "job-" + i));
            clock.advance(Duration.ofMinutes(37));
        }
        for (int i = 0; i < 4; i++) {
            e.recordOutcome(Fixtures.failed("flaky")); // the 4th in a row: an automatic ban inside an outcome
        }
        clock.advance(Duration.ofMinutes(61)); // past the ban budget's window
        e.applyPenalty("w1", PenaltyType.JOB_TIMEOUT, 0.8, "slow", "job-7");
        for (int i = 0; i < 3; i++) {
            e.reportMalicious("w2", "bad result " + i); // the 3rd: an automatic ban inside a penalty
        }
        e.ban("w3", "operator", Duration.ofHours(2));
        clock.advance(Duration.ofHours(3)); // w3's ban runs out
        e.ban("w4", "operator", null);
        e.unban("w4", "appeal");
        e.recordOutcome(Fixtures.failed("w3"));
        WorkerSnapshot imported = e.export().workers().get(0);
        e.importSnapshot(new Snapshot(Snapshot.FORMAT, clock.instant(),
                List.of(withId(imported, "imported-1"))), ImportMode.MERGE);
        clock.advance(Duration.ofDays(2));
    }

    private static WorkerSnapshot withId(WorkerSnapshot s, String id) {
        return new WorkerSnapshot(id, s.firstSeen(), s.lastSeen(), s.lastJobAt(), s.decayedAt(), s.jobsCompleted(),
                s.jobsFailed(), s.decayedSuccesses(), s.decayedFailures(), s.consecutiveSuccesses(),
                s.consecutiveFailures(), s.executionTimeMs(), s.timeToEstimateRatio(), s.resultQuality(), s.earnings(),
                s.lastHealth(), s.lastHealthAt(), s.penaltyCounts(), s.decayedPenaltySeverity(), s.maliciousReports(),
                s.banCount(), null, List.of(), List.of());
    }

    @Test
    void aNewEngineOnTheSameDatabaseHasEveryRecordExactly() {
        JdbcStore first = h2();
        WardenEngine before = engine(first, banning());
        recordHistory(before);
        Snapshot expected = before.export();
        NetworkHealth health = before.networkHealth();
        assertThat(before.pendingBans()).isEmpty();
        assertThat(before.bans("flaky")).first().satisfies(b -> assertThat(b.automatic()).isTrue());
        assertThat(before.bans("w2")).first().satisfies(b -> assertThat(b.automatic()).isTrue());
        first.close();

        WardenEngine after = engine(h2(), banning());
        assertThat(after.export().workers()).containsExactlyElementsOf(expected.workers());
        NetworkHealth restored = after.networkHealth();
        assertThat(restored.successRate()).isEqualTo(health.successRate());
        assertThat(restored.bannedWorkers()).isEqualTo(health.bannedWorkers()).isEqualTo(2);
        assertThat(restored.store().backend()).isEqualTo("h2");
        assertThat(restored.store().available()).isTrue();
    }

    @Test
    void aReplaceImportIsRestoredAsTheImportLeftIt() {
        JdbcStore first = h2();
        WardenEngine before = engine(first, banning());
        recordHistory(before);
        Snapshot one = new Snapshot(Snapshot.FORMAT, clock.instant(), List.of(before.export().workers().get(2)));
        before.importSnapshot(one, ImportMode.REPLACE);
        before.recordOutcome(Fixtures.ok("after-import"));
        Snapshot expected = before.export();
        first.close();

        WardenEngine after = engine(h2(), banning());
        assertThat(after.export().workers()).containsExactlyElementsOf(expected.workers()).hasSize(2);
    }

    @Test
    void unavailableAtStartTheEngineServesFromMemoryAndMergesWhatItRecordedWithTheRecordOnceItIsBack() {
        JdbcStore first = h2();
        WardenEngine before = engine(first, new StubPolicy());
        for (int i = 0; i < 5; i++) {
            before.recordOutcome(Fixtures.ok("w1"));
        }
        before.ban("w1", "cheat", null);
        first.close();

        AtomicBoolean down = new AtomicBoolean(true);
        JdbcStore store = h2(() -> {
            if (down.get()) {
                throw new SQLException("Connection refused (test: database down)");
            }
            return DriverManager.getConnection(url());
        });
        WardenEngine engine = engine(store, new StubPolicy());
        NetworkHealth health = engine.networkHealth();
        assertThat(health.store().available()).isFalse();
        assertThat(health.store().problem()).contains("Connection refused (test: database down)");
        for (int i = 0; i < 10; i++) {
            engine.recordOutcome(Fixtures.ok("w1"));
        }
        engine.recordOutcome(Fixtures.failed("w2"));
        assertThat(engine.reputation("w1")).get().satisfies(r -> assertThat(r.jobsCompleted()).isEqualTo(10));
        assertThatThrownBy(() -> engine.unban("w1", "appeal")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("durable store (h2) is unavailable");

        clock.advance(Duration.ofSeconds(1));
        down.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.health().available() && store.health().backlog() == 0);
        // the record read back, with what was recorded meanwhile on top
        assertThat(engine.reputation("w1")).get().satisfies(r -> {
            assertThat(r.jobsCompleted()).isEqualTo(15);
            assertThat(r.ban()).isNotNull();
        });
        assertThat(engine.reputation("w2")).get().satisfies(r -> assertThat(r.jobsFailed()).isEqualTo(1));
        assertThat(engine.networkHealth().successRate()).isEqualTo(15.0 / 16);
        Snapshot expected = engine.export();
        store.close();

        WardenEngine after = engine(h2(), new StubPolicy());
        assertThat(after.export().workers()).containsExactlyElementsOf(expected.workers());
    }

    @Test
    void whileTheDatabaseIsDownTheEngineServesFromMemoryAndItsBacklogIsWrittenWhenItIsBack() throws Exception {
        AtomicBoolean down = new AtomicBoolean(false);
        JdbcStore store = h2(() -> {
            if (down.get()) {
                throw new SQLException("Connection refused (test: database down)");
            }
            return DriverManager.getConnection(url());
        });
        WardenEngine engine = engine(store, new StubPolicy());
        engine.reportHealth("w1", Fixtures.GOOD);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.health().backlog() == 0);

        // the database goes away under the writer: its connection breaks, new ones are refused
        down.set(true);
        try (Connection c = DriverManager.getConnection(url())) {
            c.createStatement().execute("SHUTDOWN");
        }
        for (int i = 0; i < 10; i++) {
            engine.recordOutcome(Fixtures.ok("w1"));
        }
        // first the broken connection, then the refused ones of the retries
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.health().available()
                && store.health().problem().contains("Connection refused (test: database down)"));
        assertThat(engine.reputation("w1")).get().satisfies(r -> assertThat(r.jobsCompleted()).isEqualTo(10));
        assertThat(store.health().backlog()).isPositive();
        // what must be durable is refused, and changes nothing
        assertThatThrownBy(() -> engine.ban("w1", "cheat", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("durable store (h2) is unavailable")
                .hasMessageContaining("Connection refused (test: database down)");
        assertThatThrownBy(() -> engine.applyPenalty("w1", PenaltyType.JOB_FAILURE, 0.5, "x", null))
                .isInstanceOf(IllegalStateException.class);
        assertThat(engine.bans("w1")).isEmpty();
        assertThat(engine.penalties("w1")).isEmpty();

        down.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.health().available() && store.health().backlog() == 0);
        engine.ban("w1", "cheat", null);
        Snapshot expected = engine.export();
        store.close();

        WardenEngine after = engine(h2(), new StubPolicy());
        assertThat(after.export().workers()).containsExactlyElementsOf(expected.workers());
        assertThat(after.reputation("w1")).get().satisfies(r -> {
            assertThat(r.jobsCompleted()).isEqualTo(10);
            assertThat(r.ban()).isNotNull();
        });
    }

    @Test
    void aCorruptDatabaseFileIsReportedAndLeftAsItIs() throws Exception {
        Path file = dir.resolve("warden.mv.db");
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        JdbcStore store = h2();
        WardenEngine engine = engine(store, new StubPolicy());
        NetworkHealth health = engine.networkHealth();
        assertThat(health.store().available()).isFalse();
        assertThat(health.store().problem()).isNotBlank();
        engine.recordOutcome(Fixtures.ok("w1")); // still serving, from memory
        assertThat(engine.reputation("w1")).isPresent();
        assertThat(store.health().backlog()).isEqualTo(1);
        assertThatThrownBy(() -> engine.reportMalicious("w1", "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unavailable");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void aSynchronousOutcomeIsCommittedWhenItReturns() throws Exception {
        JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(url()), "h2",
                journalSettings("test", true), clock);
        stores.add(store);
        WardenEngine engine = engine(store, new StubPolicy());
        for (int i = 0; i < 5; i++) {
            engine.recordOutcome(Fixtures.ok("w1"));
            try (Connection c = DriverManager.getConnection(url());
                    var rs = c.createStatement().executeQuery("SELECT COALESCE(SUM(entries), 0) FROM warden_journal")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(i + 1);
            }
        }
    }
}
