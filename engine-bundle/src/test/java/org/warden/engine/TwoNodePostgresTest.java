package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.api.WorkerReputation;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.store.JdbcJournal;
import org.warden.engine.store.JdbcStore;
import org.warden.engine.store.LocalPostgres;

/**
 * Two Warden nodes sharing one PostgreSQL database, each with its own engine, store, connections and node id:
 * both record outcomes of the same workers at once, and each ends with the exact sum of both; a ban on one and a
 * penalty on the other are seen by the other within the follow interval; a third node starting on the database
 * has all of it.
 */
class TwoNodePostgresTest {

    private static final int WORKERS = 20;
    private static final int THREADS_PER_NODE = 2;
    private static final int CALLS_PER_THREAD = 3_000;
    private static final Duration FOLLOW = Duration.ofMillis(200);

    private final List<JdbcStore> stores = new ArrayList<>();
    private String url;
    private String user;

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
    }

    private WardenEngine node(String id) {
        JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(url, user, ""), "postgresql",
                new JdbcJournal.Settings(id, false, false, Duration.ofMillis(100), FOLLOW, Duration.ofMillis(200),
                        Duration.ofSeconds(10), 1_000_000, 10_000), Clock.systemUTC());
        stores.add(store);
        WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                EventSink.NONE);
        engine.useStore(store);
        assertThat(store.health().available()).as("node %s's store: %s", id, store.health().problem()).isTrue();
        return engine;
    }

    /** Call {@code i} of a thread fails when {@code i % 3 == 0}. */
    private static boolean success(int i) {
        return i % 3 != 0;
    }

    @Test
    void countersMergeExactlyAndEachNodeSeesTheOthersBansAndPenalties() throws Exception {
        LocalPostgres pg = LocalPostgres.get();
        url = pg.url(pg.freshDatabase("twonode"));
        user = pg.user();
        WardenEngine a = node("node-a");
        WardenEngine b = node("node-b");

        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        List<Future<?>> done = new ArrayList<>();
        for (WardenEngine node : List.of(a, b)) {
            for (int t = 0; t < THREADS_PER_NODE; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        // every thread on both nodes goes over the same workers
                        String w = "w-" + ((i + thread) % WORKERS);
                        node.recordOutcome(new JobOutcome(w, success(i), 100, BigInteger.ONE, null, null, null));
                    }
                }));
            }
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long[] completed = new long[WORKERS];
        long[] failed = new long[WORKERS];
        for (int node = 0; node < 2; node++) {
            for (int t = 0; t < THREADS_PER_NODE; t++) {
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    int w = (i + t) % WORKERS;
                    if (success(i)) {
                        completed[w]++;
                    } else {
                        failed[w]++;
                    }
                }
            }
        }

        a.ban("w-0", "caught cheating on node a", null);
        long banned = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> b.reputation("w-0").map(WorkerReputation::ban).isPresent());
        long banSeenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - banned);
        b.applyPenalty("w-1", PenaltyType.JOB_TIMEOUT, 0.8, "late on node b", "job-9");
        long penalized = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> a.penalties("w-1").stream().anyMatch(p -> p.reason().equals("late on node b")));
        long penaltySeenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - penalized);
        System.out.printf("TWO NODES: a ban on node a seen by node b after %d ms, a penalty on node b seen by node a "
                + "after %d ms (follow interval %d ms)%n", banSeenMs, penaltySeenMs, FOLLOW.toMillis());
        // the documented bound: the follow interval, plus a commit and a read
        assertThat(banSeenMs).isLessThan(FOLLOW.toMillis() + 2_000);
        assertThat(penaltySeenMs).isLessThan(FOLLOW.toMillis() + 2_000);

        // both nodes checkpoint; the rows both have read and both checkpoints hold are deleted; a third node,
        // without a checkpoint of its own, starts from the newest one and the rows after it
        java.util.concurrent.atomic.AtomicLong deleted = new java.util.concurrent.atomic.AtomicLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JdbcJournal.Checkpoint ca = stores.get(0).journal().checkpoint();
            JdbcJournal.Checkpoint cb = stores.get(1).journal().checkpoint();
            assertThat(ca.workers()).isEqualTo(WORKERS);
            assertThat(cb.workers()).isEqualTo(WORKERS);
            // deleted once both checkpoints and both followers are past the rows
            return deleted.addAndGet(ca.deletedRows() + cb.deletedRows()) > 0;
        });
        WardenEngine c = node("node-c");
        List<WardenEngine> nodes = List.of(a, b, c);
        for (WardenEngine node : nodes) {
            String name = "node " + "abc".charAt(nodes.indexOf(node));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int w = 0; w < WORKERS; w++) {
                    WorkerReputation r = node.reputation("w-" + w).orElseThrow();
                    assertThat(r.jobsCompleted()).as("%s: w-%d completed", name, w).isEqualTo(completed[w]);
                    assertThat(r.jobsFailed()).as("w-%d failed", w).isEqualTo(failed[w]);
                }
            });
            assertThat(node.reputation("w-0").orElseThrow().ban()).as("%s: w-0's ban (%s)", name, node.bans("w-0"))
                    .isNotNull();
            assertThat(node.penalties("w-1")).as(name).anyMatch(p -> p.type() == PenaltyType.JOB_TIMEOUT);
            long total = 2L * THREADS_PER_NODE * CALLS_PER_THREAD;
            assertThat(node.networkHealth().successRate())
                    .isEqualTo((double) java.util.Arrays.stream(completed).sum() / total);
        }
    }
}
