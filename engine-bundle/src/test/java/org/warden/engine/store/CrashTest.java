package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.PenaltyType;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.WorkerRecord;

/**
 * Kills (SIGKILL, {@link Process#destroyForcibly()}) a separate JVM recording through a durable store from several
 * threads, then reopens the store: every acknowledged synchronous record (penalties; outcomes when configured
 * synchronous) is there, and the asynchronous records lost were acknowledged within the asynchronous window before
 * the kill. For H2 (written on commit) and PostgreSQL.
 */
class CrashTest {

    private static final int THREADS = 4;
    private static final long WINDOW_MS = 100;

    @TempDir
    Path dir;

    @Test
    void h2LosesNoSynchronousRecordAndOnlyTheAsynchronousWindow() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
        crash("h2 async", url, "", "async");
    }

    @Test
    void h2WithSynchronousOutcomesLosesNothing() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
        crash("h2 sync", url, "", "sync");
    }

    /**
     * The control experiment: with a write delay (H2's default is 500 ms; 10 s here, for a clear result), H2
     * acknowledges commits it has not written, and a kill loses them. What {@code WRITE_DELAY=0} prevents.
     */
    @Test
    void h2WithAWriteDelayLosesAcknowledgedCommits() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=10000";
        Result r = run("h2 WRITE_DELAY=10000 (control)", url, "", "sync");
        assertThat(r.lostSynchronous).as("acknowledged synchronous records lost without write-on-commit").isPositive();
    }

    @Test
    void postgresqlLosesNoSynchronousRecordAndOnlyTheAsynchronousWindow() throws Exception {
        LocalPostgres pg = LocalPostgres.get();
        crash("postgresql async", pg.url(pg.freshDatabase("crash")), pg.user(), "async");
    }

    @Test
    void postgresqlWithSynchronousOutcomesLosesNothing() throws Exception {
        LocalPostgres pg = LocalPostgres.get();
        crash("postgresql sync", pg.url(pg.freshDatabase("crash")), pg.user(), "sync");
    }

    private void crash(String name, String url, String user, String outcomes) throws Exception {
        Result r = run(name, url, user, outcomes);
        assertThat(r.lostSynchronous).as("%s: acknowledged synchronous records lost", name).isZero();
        assertThat(r.acknowledgedPenalties).isPositive();
        assertThat(r.oldestLostAgeMs).as("%s: the oldest lost asynchronous outcome's age at the kill", name)
                .isLessThanOrEqualTo(WINDOW_MS);
    }

    private record Result(long acknowledgedPenalties, long lostSynchronous, long oldestLostAgeMs) {
    }

    private Result run(String name, String url, String user, String outcomes) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, CrashChild.class.getName(), url, user,
                outcomes, String.valueOf(THREADS), String.valueOf(WINDOW_MS))
                .redirectError(dir.resolve("child.err").toFile()).start();
        Acks acks = new Acks();
        Thread reader = new Thread(() -> acks.read(child), "crash-child-reader");
        reader.start();
        long killedAt;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.outcomes.get() >= 20_000 && acks.penalties.get() >= 2_000
                    || !child.isAlive());
            if (!child.isAlive()) {
                throw new AssertionError("the child died: " + Files.readString(dir.resolve("child.err")));
            }
            killedAt = System.currentTimeMillis();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        } finally {
            child.destroyForcibly();
        }

        JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(url, user, ""), "reopened",
                CrashChild.settings(false, Duration.ofMillis(WINDOW_MS)), Clock.systemUTC());
        try {
            WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                    EventSink.NONE);
            engine.useStore(store);
            assertThat(store.health().available()).isTrue();
            long acknowledgedOutcomes = 0;
            long acknowledgedPenalties = 0;
            long lostOutcomes = 0;
            long lostSynchronous = 0;
            long oldestLostAgeMs = 0;
            for (int t = 0; t < THREADS; t++) {
                WorkerRecord o = engine.book().find("o-" + t);
                WorkerRecord p = engine.book().find("p-" + t);
                long storedOutcomes = o == null ? 0 : o.jobsCompleted();
                long storedPenalties = p == null ? 0 : p.penaltyCount(PenaltyType.JOB_FAILURE);
                long ackedOutcomes = acks.last("O", t);
                long ackedPenalties = acks.last("P", t);
                acknowledgedOutcomes += ackedOutcomes;
                acknowledgedPenalties += ackedPenalties;
                // penalties are synchronous, and outcomes when so configured: every acknowledged one must be there
                lostSynchronous += Math.max(0, ackedPenalties - storedPenalties);
                if (outcomes.equals("sync")) {
                    lostSynchronous += Math.max(0, ackedOutcomes - storedOutcomes);
                } else {
                    for (long i = storedOutcomes + 1; i <= ackedOutcomes; i++) {
                        lostOutcomes++;
                        oldestLostAgeMs = Math.max(oldestLostAgeMs, killedAt - acks.at("O", t, i));
                    }
                }
            }
            System.out.printf("CRASH %s: acknowledged %d outcomes and %d penalties before the kill; lost %d "
                    + "synchronous records, and %d asynchronous outcomes (acknowledged at most %d ms before the kill; "
                    + "window %d ms)%n", name, acknowledgedOutcomes, acknowledgedPenalties, lostSynchronous, lostOutcomes,
                    oldestLostAgeMs, WINDOW_MS);
            return new Result(acknowledgedPenalties, lostSynchronous, oldestLostAgeMs);
        } finally {
            store.close();
        }
    }

    /** What the child printed: every acknowledgement, with its time. */
    private static final class Acks {
        final AtomicLong outcomes = new AtomicLong();
        final AtomicLong penalties = new AtomicLong();
        private final Map<String, Long> times = new ConcurrentHashMap<>();
        private final Map<String, Long> last = new ConcurrentHashMap<>();

        void read(Process child) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(" ");
                    if (f.length != 4) {
                        continue; // READY, or a line cut short by the kill
                    }
                    String key = f[0] + " " + f[1];
                    long i = Long.parseLong(f[2]);
                    times.put(key + " " + i, Long.parseLong(f[3]));
                    last.merge(key, i, Math::max);
                    (f[0].equals("O") ? outcomes : penalties).incrementAndGet();
                }
            } catch (IOException | NumberFormatException e) {
                // the pipe breaks when the child is killed: what was read is what was acknowledged
            }
        }

        long last(String kind, int thread) {
            return last.getOrDefault(kind + " " + thread, 0L);
        }

        long at(String kind, int thread, long i) {
            Long t = times.get(kind + " " + thread + " " + i);
            if (t == null) {
                throw new AssertionError("no acknowledgement time read for " + kind + " " + thread + " " + i);
            }
            return t;
        }
    }
}
