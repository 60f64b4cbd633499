package org.warden.engine.store;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;

import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;

/**
 * The process {@link CrashTest} kills: an engine on a durable store recording from several threads until it dies.
 * Thread {@code t} records outcomes of worker {@code o-t} and, every fifth call, a penalty of worker {@code p-t};
 * after each call returns (is acknowledged) it prints {@code O t i millis} or {@code P t i millis}, where {@code i}
 * counts that thread's calls of that kind.
 *
 * <p>Arguments: JDBC URL, user, outcome durability ({@code async} or {@code sync}), threads, async window (ms).
 * Checkpoints (with the compaction of the journal after them) run meanwhile, so the restore after the kill goes
 * through a checkpoint and the rows after it.
 */
public final class CrashChild {

    static final String NODE = "crash-node";

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        boolean outcomesSync = args[2].equals("sync");
        int threads = Integer.parseInt(args[3]);
        Duration window = Duration.ofMillis(Long.parseLong(args[4]));
        JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(url, user, ""),
                url.startsWith("jdbc:h2:") ? "h2" : "postgresql", settings(outcomesSync, window), Clock.systemUTC());
        WardenEngine engine = new WardenEngine(Clock.systemUTC(), new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                EventSink.NONE);
        engine.useStore(store);
        if (!store.health().available()) {
            throw new IllegalStateException("store unavailable: " + store.health().problem());
        }
        // every acknowledgement is written out at once: what the parent reads was acknowledged
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        HealthMetrics metrics = HealthMetrics.of(100, 10, 10, 10, 5);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                String o = "o-" + thread;
                String p = "p-" + thread;
                engine.reportHealth(p, metrics);
                long outcomes = 0;
                long penalties = 0;
                for (long call = 1;; call++) {
                    if (call % 5 == 0) {
                        engine.applyPenalty(p, PenaltyType.JOB_FAILURE, 0.1, "crash test", null);
                        out.println("P " + thread + " " + (++penalties) + " " + System.currentTimeMillis());
                    } else {
                        engine.recordOutcome(JobOutcome.of(o, true, 10, BigInteger.ONE, null));
                        out.println("O " + thread + " " + (++outcomes) + " " + System.currentTimeMillis());
                    }
                }
            }, "recorder-" + t);
            worker.start();
        }
        out.println("READY");
    }

    /** Checkpoints every half second (after 1,000 changes): the kill may well hit one, or the compaction after it. */
    static JdbcJournal.Settings settings(boolean outcomesSync, Duration window) {
        return new JdbcJournal.Settings(NODE, outcomesSync, false, window, Duration.ofMillis(200),
                Duration.ofMillis(200), Duration.ofSeconds(10), 1_000_000, 10_000, Duration.ofMillis(500), 1_000);
    }
}
