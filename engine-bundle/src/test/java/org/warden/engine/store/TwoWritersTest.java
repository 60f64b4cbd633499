package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.JobOutcome;
import org.warden.api.WorkerReputation;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;

/**
 * Issue 12, row 3: two writers with one node id (a copied data directory, one nodeId configured twice, an old
 * writer still running after a configuration change). The second is refused, with an ERROR saying why and the store
 * unavailable with that reason; nothing the first acknowledged is lost; once the first stops, the second takes the
 * node over with the first's record. On H2 (the owner's session looked up) and PostgreSQL (an advisory lock).
 */
class TwoWritersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final List<JdbcStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
    }

    @Test
    void h2RefusesASecondWriterWithTheSameNodeId() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
        twoWriters("h2", () -> DriverManager.getConnection(url));
    }

    @Test
    void postgresqlRefusesASecondWriterWithTheSameNodeId() throws Exception {
        LocalPostgres pg = LocalPostgres.get();
        String url = pg.url(pg.freshDatabase("twowriters"));
        twoWriters("postgresql", () -> DriverManager.getConnection(url, pg.user(), ""));
    }

    private WardenEngine node(String backend, JdbcJournal.Connector db, String nodeId) {
        JdbcStore store = new JdbcStore(db, backend, new JdbcJournal.Settings(nodeId, false, false,
                Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(10),
                1_000_000, 10_000), Clock.systemUTC());
        stores.add(store);
        WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                EventSink.NONE);
        engine.useStore(store);
        return engine;
    }

    private static JobOutcome ok(String worker) {
        return new JobOutcome(worker, true, 100, BigInteger.ONE, null, null, null);
    }

    private void twoWriters(String backend, JdbcJournal.Connector db) throws Exception {
        WardenEngine first = node(backend, db, "node-x");
        JdbcStore firstStore = stores.get(0);
        assertThat(firstStore.health().available()).as(firstStore.health().problem()).isTrue();
        first.recordOutcome(ok("w1"));
        first.ban("w1", "banned by the first writer", null);

        WardenEngine second;
        String log;
        try (Faults.StderrCapture captured = new Faults.StderrCapture()) {
            second = node(backend, db, "node-x");
            log = captured.text();
        }
        JdbcStore secondStore = stores.get(1);
        assertThat(secondStore.health().available()).isFalse();
        assertThat(secondStore.health().problem()).contains("node id 'node-x' is in use by another writer")
                .contains("pid " + ProcessHandle.current().pid());
        assertThat(log).contains("ERROR").contains("node id 'node-x' is in use by another writer");
        // refused, not merged: nothing of the second's is acknowledged as durable
        assertThatThrownBy(() -> second.ban("w2", "banned by the second writer", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another writer");
        second.recordOutcome(ok("w3")); // kept in memory, as for any unavailable database
        second.recordOutcome(ok("w2"));

        // the first goes on, unhindered, and loses nothing
        first.recordOutcome(ok("w4"));
        first.ban("w4", "banned by the first writer, later", null);
        for (int i = 0; i < 10; i++) {
            first.recordOutcome(ok("w1"));
        }
        await().atMost(WAIT).until(() -> firstStore.health().backlog() == 0);
        assertThat(firstStore.health().available()).isTrue();
        assertThat(secondStore.health().available()).isFalse();

        // the first stops (as an old writer after a configuration change finally does): the second takes the node
        // over, and reads the first's record, with what it recorded in memory meanwhile on top
        firstStore.close();
        await().atMost(WAIT).until(() -> secondStore.health().available() && secondStore.health().backlog() == 0);
        assertThat(second.reputation("w1").orElseThrow()).satisfies(r -> {
            assertThat(r.jobsCompleted()).isEqualTo(11);
            assertThat(r.ban()).isNotNull();
        });
        assertThat(second.reputation("w4").map(WorkerReputation::ban)).isPresent();
        assertThat(second.reputation("w3").map(WorkerReputation::jobsCompleted)).contains(1L);
        assertThat(second.reputation("w2").orElseThrow().ban()).isNull();
        second.ban("w2", "banned by the second writer, now the owner", null);
    }
}
