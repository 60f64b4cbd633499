package org.warden.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.warden.api.Bid;
import org.warden.api.JobOutcome;
import org.warden.api.WorkerReputation;
import org.warden.engine.WardenEngine;
import org.warden.engine.state.Auction;
import org.warden.engine.state.Journal;
import org.warden.engine.store.JdbcJournal;
import org.warden.engine.store.JdbcStore;

/**
 * Goal: recording outcomes with the durable store at least 0.5x the in-memory engine's throughput. The same
 * engine (default policy, 10,000 workers with a short history each) records outcomes of random workers (90 %
 * successes), with no store ({@code memory}, the baseline), with the embedded H2 store in its default durability
 * ({@code h2Async}: acknowledged at once, committed by the group-commit writer within its 100 ms window, callers
 * held back when it falls behind) and with synchronous outcomes ({@code h2Sync}: each call waits for its commit),
 * and on PostgreSQL ({@code pgAsync}, {@code pgSync}) when {@code WARDEN_TEST_PG_URL} names a server (user
 * {@code WARDEN_TEST_PG_USER}, default {@code warden}); without it the PostgreSQL trials fail at setup, saying so
 * (or leave them out: {@code -p backend=memory,h2Async,h2Sync}). {@code h2AsyncHistory} is {@code h2Async} keeping
 * history for a what-if (issue 16: a week's retention) with an auction of {@link #BIDS} bids recorded before each
 * outcome, as a distributor that ranks the bids of every job it hands out: its cost is its ratio to {@code h2Async}
 * in the same run.
 *
 * <p>Every trial starts from a fresh database (a new temporary H2 directory; on PostgreSQL the store's tables
 * dropped), attached after the workers are populated, so that the journal holds exactly the calls measured
 * (warm-up included). Since JMH only sees the callers, the benchmark also prints, after each iteration, how many
 * calls were recorded and committed and the largest backlog seen (sampled every 1,024 calls per thread): a
 * backlog that stays bounded shows that the throughput is sustained, not a queue filling up. After each trial it
 * prints the time {@link JdbcStore#close()} took to flush, whether every call reached the database, and the
 * database's size per journaled outcome.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class DurableRecordingBenchmark {

    static final int WORKERS = 10_000;
    static final int KEYS = 1 << 20;
    static final int SAMPLE_EVERY = 1024;
    static final String PG_URL_ENV = "WARDEN_TEST_PG_URL";
    static final String PG_USER_ENV = "WARDEN_TEST_PG_USER";
    /** Pre-built auctions (fewer than outcomes: each holds its bids), and the bids in each. */
    static final int AUCTIONS = 1 << 14;
    static final int BIDS = 5;

    @State(Scope.Benchmark)
    public static class Shared {
        @Param({ "memory", "h2Async", "h2AsyncHistory", "h2Sync", "pgAsync", "pgSync" })
        String backend;

        WardenEngine engine;
        JdbcStore store;
        LongSupplier backlog;
        JobOutcome[] outcomes;
        /** The auctions recorded before each outcome; {@code null} without history. */
        Auction[] auctions;
        Journal journal;
        Path h2Dir;
        String url;
        String user;
        final List<Cursor> cursors = new CopyOnWriteArrayList<>();
        final AtomicLong maxBacklog = new AtomicLong();
        long recordedBefore;
        long committedBefore;
        long trialMaxBacklog;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            engine = Workload.engine();
            // the workers, before the store is attached: the journal then holds exactly the calls measured
            Workload.populate(engine, WORKERS, 5);
            SplittableRandom random = new SplittableRandom(7);
            outcomes = new JobOutcome[KEYS];
            for (int i = 0; i < KEYS; i++) {
                boolean ok = random.nextInt(10) != 0;
                outcomes[i] = new JobOutcome(Workload.id(random.nextInt(WORKERS)), ok, 200 + random.nextInt(3000),
                        BigInteger.valueOf(50 + random.nextInt(200)), ok ? 0.5 + random.nextDouble() / 2 : null,
                        1500L, null);
            }
            switch (backend) {
                case "memory" -> store = null;
                case "h2Async", "h2Sync", "h2AsyncHistory" -> {
                    h2Dir = Files.createTempDirectory("warden-bench-h2-");
                    url = "jdbc:h2:file:" + h2Dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
                    JdbcJournal.Settings settings = settings(backend.equals("h2Sync"));
                    if (backend.equals("h2AsyncHistory")) {
                        settings = settings.withHistoryRetention(Duration.ofDays(7));
                        auctions = auctions(random);
                    }
                    store = new JdbcStore(this::connect, "h2", settings, Clock.systemUTC());
                }
                case "pgAsync", "pgSync" -> {
                    url = System.getenv(PG_URL_ENV);
                    if (url == null || url.isBlank()) {
                        throw new IllegalStateException(backend + " needs a PostgreSQL server: set " + PG_URL_ENV
                                + " (and " + PG_USER_ENV + "), see BENCHMARKS.md; or run with "
                                + "-p backend=memory,h2Async,h2Sync");
                    }
                    String u = System.getenv(PG_USER_ENV);
                    user = u == null || u.isBlank() ? "warden" : u;
                    try (Connection c = connect(); Statement s = c.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS warden_journal, warden_node, warden_schema, warden_checkpoint, warden_checkpoint_mark");
                    }
                    store = new JdbcStore(this::connect, "postgresql", settings(backend.equals("pgSync")),
                            Clock.systemUTC());
                }
                default -> throw new IllegalArgumentException("unknown backend " + backend);
            }
            if (store != null) {
                engine.useStore(store);
                JdbcJournal.Status s = store.journal().status();
                if (!s.available()) {
                    throw new IllegalStateException("the store is unavailable: " + s.problem());
                }
                backlog = () -> store.journal().status().backlog();
                journal = store.journal();
            }
        }

        /** Auctions of {@link #BIDS} random workers' bids each, the cheapest chosen. */
        private static Auction[] auctions(SplittableRandom random) {
            Auction[] list = new Auction[AUCTIONS];
            Instant at = Instant.now();
            for (int i = 0; i < AUCTIONS; i++) {
                List<Bid> bids = new ArrayList<>(BIDS);
                for (int b = 0; b < BIDS; b++) {
                    bids.add(Bid.of(Workload.id(random.nextInt(WORKERS)), 50 + random.nextInt(200),
                            500 + random.nextInt(5000)));
                }
                list[i] = new Auction("job-" + i, bids, bids.get(0).workerId(), at.plusMillis(i));
            }
            return list;
        }

        private static JdbcJournal.Settings settings(boolean outcomesSync) {
            // the store's defaults (StoreComponent.Config) but for the outcomes' durability
            return new JdbcJournal.Settings("bench", outcomesSync, false, Duration.ofMillis(100), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(10), 1_000_000, 10_000);
        }

        Connection connect() throws SQLException {
            return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, null);
        }

        WorkerReputation record(Cursor c) {
            if ((++c.count & (SAMPLE_EVERY - 1)) == 0 && backlog != null) {
                long b = backlog.getAsLong();
                if (b > maxBacklog.get()) {
                    maxBacklog.accumulateAndGet(b, Math::max);
                }
            }
            if (auctions != null) {
                journal.record(auctions[c.next & (AUCTIONS - 1)]);
            }
            return engine.recordOutcome(outcomes[c.next++ & (KEYS - 1)]);
        }

        long recorded() {
            long n = 0;
            for (Cursor c : cursors) {
                n += c.count;
            }
            return n;
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            maxBacklog.set(0);
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            if (store == null) {
                return;
            }
            JdbcJournal.Status s = store.journal().status();
            long recorded = recorded();
            long committed = s.committedEntries();
            trialMaxBacklog = Math.max(trialMaxBacklog, maxBacklog.get());
            String files;
            try {
                files = h2Dir == null ? "" : String.format("; H2 files %,d B", size(h2Dir));
            } catch (IOException | UncheckedIOException e) {
                files = "; H2 files: " + e.getMessage(); // a file H2 deleted while we looked
            }
            System.out.printf("  [%s] %,d recorded, %,d committed in this iteration; backlog: max %,d, at the end %,d%s%n",
                    backend, recorded - recordedBefore, committed - committedBefore, maxBacklog.get(), s.backlog(),
                    files);
            recordedBefore = recorded;
            committedBefore = committed;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (store == null) {
                return;
            }
            long recorded = recorded();
            long backlog = store.journal().status().backlog();
            long started = System.nanoTime();
            store.close();
            long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            JdbcJournal.Status s = store.journal().status();
            // with history, an auction is recorded before each outcome, unless dropped (the backlog full)
            long expected = auctions == null ? recorded : 2 * recorded - s.droppedAuctions();
            System.out.printf("  [%s] trial: %,d outcomes recorded; largest backlog %,d; close flushed %,d in %d ms; "
                    + "committed %,d (%,d auctions, %,d dropped), left %,d: %s%n", backend, recorded, trialMaxBacklog,
                    backlog, closeMs, s.committedEntries(), s.committedAuctions(), s.droppedAuctions(), s.backlog(),
                    s.committedEntries() == expected && s.backlog() == 0 ? "all written" : "NOT ALL WRITTEN");
            long fileBytes = h2Dir == null ? -1 : size(h2Dir);
            try (Connection c = connect(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(SUM(entries), 0), "
                        + "COALESCE(SUM(OCTET_LENGTH(payload)), 0) FROM warden_journal")) {
                    rs.next();
                    long rows = rs.getLong(1);
                    long entries = rs.getLong(2);
                    long payload = rs.getLong(3);
                    if (h2Dir == null) {
                        try (ResultSet r2 = st.executeQuery("SELECT pg_total_relation_size('warden_journal')")) {
                            r2.next();
                            fileBytes = r2.getLong(1);
                        }
                    }
                    System.out.printf("  [%s] database: %,d entries in %,d commits (%.0f per commit); payload %.1f B "
                            + "per entry; %s %,d B = %.1f B per entry (as many MB per million outcomes)%n", backend,
                            entries, rows, rows == 0 ? 0.0 : (double) entries / rows,
                            entries == 0 ? 0.0 : (double) payload / entries,
                            h2Dir != null ? "H2 files" : "warden_journal with indexes and TOAST", fileBytes,
                            entries == 0 ? 0.0 : (double) fileBytes / entries);
                }
                if (h2Dir == null) {
                    st.execute("DROP TABLE IF EXISTS warden_journal, warden_node, warden_schema, warden_checkpoint, warden_checkpoint_mark");
                } else {
                    // H2 appends every commit to its file and reclaims space in the background: the size at
                    // close depends on how much of that it got to; fully compacted, it is what the data needs
                    st.execute("SHUTDOWN COMPACT");
                }
            }
            if (h2Dir != null) {
                System.out.printf("  [%s] H2 files after SHUTDOWN COMPACT: %,d B%n", backend, size(h2Dir));
                delete(h2Dir);
            }
        }

        private static long size(Path dir) throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        }

        private static void delete(Path dir) throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A thread's position in the pre-built outcomes, and how many it recorded (read between iterations). */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().getId() * 7919);
        long count;

        @Setup(Level.Trial)
        public void register(Shared s) {
            s.cursors.add(this);
        }
    }

    @Benchmark
    @Threads(1)
    public WorkerReputation record1(Shared s, Cursor c) {
        return s.record(c);
    }

    @Benchmark
    @Threads(2)
    public WorkerReputation record2(Shared s, Cursor c) {
        return s.record(c);
    }
}
