package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.After;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TestWatcher;
import org.junit.rules.Timeout;

/**
 * Two real Karaf processes share one PostgreSQL database: what one node records is in force on the other within about
 * the store's follow interval. Each node is the real distribution unpacked under {@code target/karaf-two-nodes/node-a}
 * and {@code node-b} ({@link KarafProcess}: own folder, own free ports), booted with {@code warden}, then joined to the
 * database as an operator would, over SSH with {@code bin/client}: {@code feature:install warden-postgresql}, and in
 * one shell session {@code config:edit org.warden.store}, {@code config:property-set} of {@code url}, {@code user},
 * {@code nodeId} ({@code node-a} / {@code node-b}) and {@code followIntervalMs} (200), {@code config:update}. That
 * restarts each node's store and engine on PostgreSQL; {@code warden:network} then shows {@code storeBackend
 * postgresql}, the node's id and {@code storeAvailable yes}.
 *
 * <p>Then, each change made on one node and awaited on the other, with two delays measured, printed and bounded by
 * {@link #PROPAGATION_BOUND}: from the commit of the change's journal rows to the other node having applied them
 * ({@code warden_node.followed_seq}, watched with JDBC every 5 ms: the propagation itself), and from the command's
 * return to the end of the first {@code bin/client} call on the other node that shows it (mostly bin/client's own
 * one to four seconds):
 * <ul>
 * <li>three workers imported on node A ({@code warden:import}) are on node B, field by field as node A exports them;</li>
 * <li>a ban ({@code warden:ban}) on node A is in force on node B: state banned, not eligible, the reason, listed by
 * {@code warden:workers --banned}, counted by {@code warden:network};</li>
 * <li>a penalty ({@code warden:penalize}) on node B is on node A;</li>
 * <li>penalties of one worker applied on both nodes at the same time (three each, two bin/client sessions at once) add
 * up on both: six, each node's reasons there. Job outcomes would be the better counter, but no shell command records
 * one (only the services do, {@code ReputationService.recordOutcome}); imports are whole records, not deltas.</li>
 * </ul>
 * In the end both nodes export the same workers: exactly for those changed on one node at a time; for the one changed
 * on both at once, but for the order of its recent penalties and the last digits of its decayed values (each node
 * applies the changes in the order it got them). The database shows both nodes ({@code warden_node}), each having
 * followed the other's journal rows.
 *
 * <p>PostgreSQL: the server of {@code WARDEN_TEST_PG_URL} (CI), else one started by {@code .ci/postgres.sh} and
 * stopped at the end ({@link TestPostgres}); the test's own database {@code twonodes_<random>}, dropped at the end.
 *
 * <p>Run it alone: {@code mvn -B -o -pl itests verify -Dit.test=KarafTwoNodesIT} (after {@code mvn install}). The
 * Karaf folders stay in {@code target/karaf-two-nodes}; on failure the test output (Failsafe's
 * {@code target/failsafe-reports/*-output.txt}) has the tail of each node's {@code data/log/karaf.log}.
 */
public class KarafTwoNodesIT {

    /** The longest a change made on one node may take to be applied on the other (and to show in its shell). */
    static final Duration PROPAGATION_BOUND = Duration.ofSeconds(5);
    /** followIntervalMs of both nodes. */
    static final int FOLLOW_INTERVAL_MS = 200;
    /** Longest wait for a node on PostgreSQL, and for a change that is late (then reported as too late). */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String NODE_A = "node-a";
    private static final String NODE_B = "node-b";

    private static final String STEADY = "shared-steady";
    private static final String BANNED = "shared-banned";
    private static final String PENALIZED = "shared-penalized";
    private static final String BAN_REASON = "banned on node a";
    private static final String PENALTY_REASON = "penalized on node b";
    /** Penalties applied to {@link #STEADY} by each node at the same time. */
    private static final int CONCURRENT_PENALTIES = 3;

    private final TestWatcher logsOnFailure = KarafProcess.dumpLogsOnFailure(() -> Arrays.asList(this.nodeA, this.nodeB));

    @Rule
    public final RuleChain rules = RuleChain.outerRule(logsOnFailure)
            .around(Timeout.builder().withTimeout(540, TimeUnit.SECONDS).withLookingForStuckThread(true).build());

    private TestPostgres postgres;
    private String database;
    private KarafProcess nodeA;
    private KarafProcess nodeB;
    /** The measured delays, for the summary. */
    private final Map<String, String> delays = Collections.synchronizedMap(new LinkedHashMap<>());
    /** A connection to the nodes' database, for the test's own look at it. */
    private Connection db;
    /** By node id: the watch of what the node applied of the other's journal rows. */
    private final Map<String, Probe> probes = new TreeMap<>();

    @Test
    public void twoKarafNodesShareOnePostgresDatabase() throws Exception {
        Assume.assumeFalse("bin/karaf and tar: Unix only", System.getProperty("os.name").toLowerCase().startsWith("windows"));
        long t0 = System.nanoTime();
        postgres = TestPostgres.start();
        database = postgres.createDatabase("twonodes");
        String url = postgres.jdbcUrl(database);
        db = postgres.connect(url);
        db.setAutoCommit(true);
        System.out.println("The nodes' database: " + url + " as " + postgres.user());

        Path base = Path.of(KarafProcess.required("project.build.directory"), "karaf-two-nodes");
        nodeA = KarafProcess.unpack(NODE_A, base.resolve(NODE_A));
        nodeB = KarafProcess.unpack(NODE_B, base.resolve(NODE_B));
        long t1 = System.nanoTime();

        // ---- both boot at the same time, each with warden on its default store (H2)
        nodeA.start();
        nodeB.start();
        nodeA.awaitWarden();
        nodeB.awaitWarden();
        long t2 = System.nanoTime();

        // ---- as an operator: the driver, then the store's configuration, through the shell
        joinDatabase(nodeA, url);
        joinDatabase(nodeB, url);
        awaitOnPostgres(nodeA);
        awaitOnPostgres(nodeB);
        for (KarafProcess node : List.of(nodeA, nodeB)) {
            probes.put(node.name(), new Probe(node.name(), postgres.connect(url)));
        }
        long t3 = System.nanoTime();

        // ---- workers imported on A are on B
        // warden:import reads only ${karaf.data}/warden/exports, by file name
        Path exportsA = Files.createDirectories(nodeA.home().resolve("data").resolve("warden").resolve("exports"));
        Files.writeString(exportsA.resolve("workers.json"), WorkerSnapshots.snapshot(WorkerSnapshots.worker(STEADY, 12, 1),
                WorkerSnapshots.worker(BANNED, 7, 0), WorkerSnapshots.worker(PENALIZED, 5, 3)));
        assertEquals("Imported 3 workers (merge)", nodeA.assertCommand("warden:import workers.json").strip());
        long imported = System.nanoTime();
        awaitOn(nodeB, "import on node A", imported, () -> assertEquals("the workers on node B",
                Set.of(STEADY, BANNED, PENALIZED), WorkerSnapshots.workersById(nodeB.json("warden:export")).keySet()));
        Map<String, JsonNode> exportedByA = WorkerSnapshots.workersById(nodeA.json("warden:export"));
        Map<String, JsonNode> exportedByB = WorkerSnapshots.workersById(nodeB.json("warden:export"));
        assertEquals(Set.of(STEADY, BANNED, PENALIZED), exportedByA.keySet());
        for (Map.Entry<String, JsonNode> w : exportedByA.entrySet()) {
            assertEquals("worker " + w.getKey() + " on node B, as node A exports it", w.getValue(),
                    exportedByB.get(w.getKey()));
        }

        // ---- a ban on A is in force on B
        assertEquals(Optional.empty(), stateOn(nodeB, BANNED).filter("banned"::equals));
        assertEquals("Banned " + BANNED + " for good", nodeA.assertCommand("warden:ban " + BANNED + " " + BAN_REASON).strip());
        long banned = System.nanoTime();
        awaitOn(nodeB, "ban on node A", banned, () -> {
            JsonNode w = nodeB.json("warden:worker --json " + BANNED);
            assertEquals("state on node B: " + w, "banned", w.path("state").textValue());
            assertFalse("eligible on node B: " + w, w.path("eligibility").path("eligible").booleanValue());
            JsonNode ban = w.path("reputation").path("ban");
            assertEquals("the ban on node B: " + w, BAN_REASON, ban.path("reason").textValue());
            assertTrue("a ban for good: " + ban, ban.path("until").isNull());
        });
        assertTrue("warden:workers --banned on node B",
                firstCells(nodeB.assertCommand("warden:workers --banned --no-format")).contains(BANNED));
        assertEquals(1, nodeB.json("warden:network --json").path("bannedWorkers").intValue());

        // ---- a penalty on B is on A
        assertEquals("Penalized " + PENALIZED + ": job_timeout, severity 0.400",
                nodeB.assertCommand("warden:penalize " + PENALIZED + " job_timeout 0.4 " + PENALTY_REASON).strip());
        long penalized = System.nanoTime();
        awaitOn(nodeA, "penalty on node B", penalized, () -> {
            JsonNode w = nodeA.json("warden:worker --json " + PENALIZED);
            assertEquals("penaltyCount on node A: " + w, 1, w.path("reputation").path("penaltyCount").intValue());
            JsonNode penalty = w.path("penalties").path(0);
            assertEquals("JOB_TIMEOUT", penalty.path("type").textValue());
            assertEquals(PENALTY_REASON, penalty.path("reason").textValue());
        });
        long t4 = System.nanoTime();

        // ---- penalties of one worker on both nodes at the same time add up on both
        CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> penalizeSteady(nodeA));
        CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> penalizeSteady(nodeB));
        onA.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        onB.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long bothPenalized = System.nanoTime();
        Set<String> reasons = new TreeSet<>();
        for (String node : List.of(NODE_A, NODE_B)) {
            for (int i = 1; i <= CONCURRENT_PENALTIES; i++) {
                reasons.add(node + "-penalty-" + i);
            }
        }
        // each node awaited at the same time: the delays are each node's own
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (KarafProcess node : List.of(nodeA, nodeB)) {
            checks.add(CompletableFuture.runAsync(() -> {
                try {
                    awaitOn(node, "penalties on both nodes", bothPenalized, () -> {
                        JsonNode w = node.json("warden:worker --json " + STEADY);
                        assertEquals("penaltyCount of " + STEADY + " on " + node.name() + ": " + w, 2 * CONCURRENT_PENALTIES,
                                w.path("reputation").path("penaltyCount").intValue());
                        Set<String> seen = new TreeSet<>();
                        w.path("penalties").forEach(p -> seen.add(p.path("reason").textValue()));
                        assertEquals("the penalties of " + STEADY + " on " + node.name(), reasons, seen);
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Void> check : checks) {
            try {
                check.get(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AssertionError a) {
                    throw a;
                }
                throw e;
            }
        }
        // ---- the same state on both nodes, as exported. Exactly for the workers changed on one node at a time. For the
        // one penalized on both at the same time each node applies the penalties in the order it got them (its own at
        // once, the other's when it follows the journal): its record of recent penalties is in that order, and its
        // decayed values are those of that order, equal to about 1e-9. So for that worker: every field exactly but
        // those, the penalties as a set, the decayed values to a relative 1e-6.
        Map<String, JsonNode> finalA = WorkerSnapshots.workersById(nodeA.json("warden:export"));
        Map<String, JsonNode> finalB = WorkerSnapshots.workersById(nodeB.json("warden:export"));
        assertEquals("the workers of node A and node B", finalA.keySet(), finalB.keySet());
        for (String id : List.of(BANNED, PENALIZED)) {
            assertEquals("worker " + id + " exported by node B, as node A exports it", finalA.get(id), finalB.get(id));
        }
        assertEquals("penaltyCounts.JOB_FAILURE of " + STEADY + " in node A's export", 2 * CONCURRENT_PENALTIES,
                finalA.get(STEADY).path("penaltyCounts").path("JOB_FAILURE").intValue());
        assertEquals("jobsCompleted of " + STEADY + " in node A's export (untouched)", 12,
                finalA.get(STEADY).path("jobsCompleted").intValue());
        assertSameUpToOrderAndRounding(STEADY, finalA.get(STEADY), finalB.get(STEADY));

        // ---- the database: both nodes, each having followed the other's rows
        try (Statement s = db.createStatement()) {
            Map<String, Long> followed = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT node_id, followed_seq FROM warden_node")) {
                while (rs.next()) {
                    followed.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertEquals("the nodes in warden_node: " + followed, Set.of(NODE_A, NODE_B), followed.keySet());
            followed.forEach((node, seq) -> assertTrue(node + " should have followed the other's rows: " + followed, seq > 0));
            Map<String, Long> rows = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT node_id, COUNT(*) FROM warden_journal GROUP BY node_id")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
            System.out.println("warden_node.followed_seq: " + followed + "; warden_journal rows by node: " + rows);
        }
        long t5 = System.nanoTime();

        System.out.println("KarafTwoNodesIT delays (ms): applied = from the commit of the change's journal rows "
                + "to the other node past them; seen = from the command's return to the end of the first bin/client call on "
                + "the other node that showed it: " + delays);
        System.out.printf("KarafTwoNodesIT timings (s): PostgreSQL+unpack %.1f, boot (both) %.1f, join the database %.1f, "
                + "import/ban/penalty %.1f, concurrent penalties+database %.1f, total %.1f%n",
                KarafProcess.secs(t0, t1), KarafProcess.secs(t1, t2), KarafProcess.secs(t2, t3),
                KarafProcess.secs(t3, t4), KarafProcess.secs(t4, t5), KarafProcess.secs(t0, t5));
    }

    @After
    public void stopNodesAndDropDatabase() {
        for (KarafProcess node : Arrays.asList(nodeA, nodeB)) {
            if (node != null) {
                node.stop();
            }
        }
        probes.values().forEach(Probe::close);
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                System.out.println("Could not close the connection to " + database + ": " + e);
            }
        }
        if (postgres != null) {
            if (database != null) {
                try {
                    postgres.dropDatabase(database);
                    System.out.println("Dropped the database " + database);
                } catch (Exception e) {
                    System.out.println("Could not drop the database " + database + " (left there): " + e);
                }
            }
            postgres.close();
        }
    }

    // ---------------------------------------------------------------- the nodes

    /**
     * As an operator joins a node to the shared database: the PostgreSQL driver's feature, then the store's
     * configuration in one shell session (config:edit ... config:update), which restarts the node's store and engine.
     */
    private void joinDatabase(KarafProcess node, String url) throws Exception {
        node.assertCommand("feature:install warden-postgresql");
        String session = String.join("\n",
                "config:edit org.warden.store",
                "config:property-set url \"" + url + "\"",
                "config:property-set user " + postgres.user(),
                "config:property-set nodeId " + node.name(),
                "config:property-set followIntervalMs " + FOLLOW_INTERVAL_MS,
                "config:update");
        String out = node.assertCommand(session);
        assertTrue("the configuration session on " + node.name() + " printed: " + out, out.isBlank());
        // Not config:property-get -p: in Karaf 4.4.10 it updates the configuration it reads (ConfigPropertyCommandSupport),
        // which restarts Warden's store and engine once more. Config Admin's file write-back (fileinstall) shows it.
        Path cfg = node.home().resolve("etc/org.warden.store.cfg");
        await("the store's configuration written back to " + cfg).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().untilAsserted(() -> {
                    assertEquals(url, KarafProcess.cfgValue(cfg, "url"));
                    assertEquals(postgres.user(), KarafProcess.cfgValue(cfg, "user"));
                    assertEquals(node.name(), KarafProcess.cfgValue(cfg, "nodeId"));
                    assertEquals(Integer.toString(FOLLOW_INTERVAL_MS), KarafProcess.cfgValue(cfg, "followIntervalMs"));
                });
    }

    /** Until warden:network shows the node on PostgreSQL, under its id, the database available, nothing queued. */
    private void awaitOnPostgres(KarafProcess node) {
        long t = System.nanoTime();
        String[] last = { "" };
        await(node.name() + " on PostgreSQL in warden:network").atMost(WAIT)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    String out = node.assertCommand("warden:network --no-format");
                    last[0] = out;
                    Map<String, String> rows = rows(out);
                    assertEquals(out, "postgresql", rows.get("storeBackend"));
                    assertEquals(out, node.name(), rows.get("storeNodeId"));
                    assertEquals(out, "yes", rows.get("storeAvailable"));
                    assertEquals(out, "0", rows.get("storeBacklog"));
                });
        System.out.printf("%s on PostgreSQL %.1f s after config:update:%n%s%n", node.name(),
                KarafProcess.secs(t, System.nanoTime()), last[0].strip());
    }

    private static void penalizeSteady(KarafProcess node) {
        try {
            for (int i = 1; i <= CONCURRENT_PENALTIES; i++) {
                assertEquals("Penalized " + STEADY + ": job_failure, severity 0.100",
                        node.assertCommand("warden:penalize " + STEADY + " job_failure 0.1 " + node.name() + "-penalty-" + i).strip());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state of a worker on a node, if it knows the worker. */
    private static Optional<String> stateOn(KarafProcess node, String worker) throws Exception {
        String out = node.assertCommand("warden:worker --json " + worker);
        return out.isBlank() ? Optional.empty() : Optional.ofNullable(new ObjectMapper().readTree(out).path("state").textValue());
    }

    /**
     * Awaits a change committed by the other node on {@code node}; records, prints and bounds two delays:
     * <ul>
     * <li>applied: from the change's journal rows visible in the database to {@code warden_node.followed_seq} of
     * {@code node} reaching them, i.e. {@code node} has applied them; both watched by the node's {@link Probe} every few
     * milliseconds;</li>
     * <li>seen: from {@code sinceNanos} (when the change's command returned on its node, which is after the commit) to
     * the end of the first {@code bin/client} call on {@code node} for which {@code check} passes. A bin/client call
     * takes a couple of seconds (a JVM and an SSH handshake): that is most of this delay.</li>
     * </ul>
     * The change must be applied within {@link #PROPAGATION_BOUND} of its commit, and the first bin/client call that
     * shows it must start within {@link #PROPAGATION_BOUND} of the command's return (its own duration, one to four
     * seconds on a busy machine, is not Warden's); a change never seen fails after {@link #WAIT}.
     */
    private void awaitOn(KarafProcess node, String what, long sinceNanos, ThrowingRunnable check) throws Exception {
        Probe probe = probes.get(node.name());
        // what the probe saw too, should the journal have been compacted meanwhile
        long row = Math.max(lastJournalRowOfOthers(node.name()), probe.lastCommitted());
        long appliedMs = probe.awaitApplied(row);

        long[] attempt = { 0, 0 }; // the number of calls, the start of the last
        List<Long> callMs = new ArrayList<>();
        await(what + ", on " + node.name()).atMost(WAIT)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .untilAsserted(() -> {
                    attempt[0]++;
                    attempt[1] = System.nanoTime();
                    try {
                        check.run();
                    } finally {
                        callMs.add((System.nanoTime() - attempt[1]) / 1_000_000);
                    }
                });
        long seenMs = (System.nanoTime() - sinceNanos) / 1_000_000;
        delays.put(what + ", on " + node.name(), "applied " + appliedMs + ", seen " + seenMs);
        System.out.printf("%s: applied by %s %d ms after its last journal row (%d) was committed; seen in its shell "
                + "%d ms after the command returned (bin/client calls of %s ms, the last started at +%d ms)%n", what,
                node.name(), appliedMs, row, seenMs, callMs, (attempt[1] - sinceNanos) / 1_000_000);
        assertTrue(what + " should be applied by " + node.name() + " within " + PROPAGATION_BOUND.toMillis()
                + " ms of its commit, was " + appliedMs + " ms", appliedMs <= PROPAGATION_BOUND.toMillis());
        long lastStartMs = (attempt[1] - sinceNanos) / 1_000_000;
        assertTrue(what + " should be seen on " + node.name() + " by a bin/client call started within "
                + PROPAGATION_BOUND.toMillis() + " ms of the command's return; the first that saw it started at +"
                + lastStartMs + " ms", lastStartMs <= PROPAGATION_BOUND.toMillis());
    }

    /** The number of the last journal row of the nodes other than {@code nodeId}. */
    private long lastJournalRowOfOthers(String nodeId) throws SQLException {
        synchronized (db) {
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT COALESCE(MAX(seq), 0) FROM warden_journal WHERE node_id <> ?")) {
                q.setString(1, nodeId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /**
     * Watches, every {@link #PERIOD_MS} ms on a connection of its own, the last journal row of the nodes other than
     * {@code node} and how far {@code node} has followed the journal ({@code warden_node.followed_seq}): when a row
     * became visible (committed), and when the node had applied it.
     */
    private static final class Probe implements AutoCloseable {
        static final long PERIOD_MS = 5;

        private final String node;
        private final Connection connection;
        private final PreparedStatement query;
        /** Samples every {@link #PERIOD_MS} ms: a sampler, not a wait (the waits below poll what it saw). */
        private final ScheduledExecutorService sampler;
        /** The largest row number of the other nodes at each change of it, and when that was first seen. */
        private final ConcurrentSkipListMap<Long, Long> committedAt = new ConcurrentSkipListMap<>();
        /** followed_seq of the node at each change of it, and when that was first seen. */
        private final ConcurrentSkipListMap<Long, Long> followedAt = new ConcurrentSkipListMap<>();
        private volatile SQLException failure;

        Probe(String node, Connection connection) throws SQLException {
            this.node = node;
            this.connection = connection;
            this.query = connection.prepareStatement("SELECT (SELECT COALESCE(MAX(seq), 0) FROM "
                    + "warden_journal WHERE node_id <> ?), (SELECT followed_seq FROM warden_node WHERE node_id = ?)");
            query.setString(1, node);
            query.setString(2, node);
            this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "probe of " + node);
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleWithFixedDelay(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            if (failure != null) {
                return;
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                long now = System.nanoTime();
                committedAt.putIfAbsent(rs.getLong(1), now);
                long followed = rs.getLong(2);
                if (!rs.wasNull()) {
                    followedAt.putIfAbsent(followed, now);
                }
            } catch (SQLException e) {
                if (!sampler.isShutdown()) {
                    failure = e;
                }
            }
        }

        /**
         * Until the node has followed the journal up to row {@code seq}: the milliseconds from the row's commit (the
         * first look that saw it, or a later row) to the first look at the node past it.
         */
        long awaitApplied(long seq) {
            await(node + " following the journal up to row " + seq).atMost(WAIT)
                    .pollInterval(Duration.ofMillis(PERIOD_MS)).until(() -> {
                        if (failure != null) {
                            throw new AssertionError("the probe of " + node + " failed: " + failure, failure);
                        }
                        return followedAt.ceilingEntry(seq) != null && committedAt.ceilingEntry(seq) != null;
                    });
            long committed = committedAt.ceilingEntry(seq).getValue();
            long applied = followedAt.ceilingEntry(seq).getValue();
            return Math.max(0, applied - committed) / 1_000_000;
        }

        /** The last row of the other nodes this probe saw. */
        long lastCommitted() {
            return committedAt.isEmpty() ? 0 : committedAt.lastKey();
        }

        @Override
        public void close() {
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(5, TimeUnit.SECONDS);
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                System.out.println("Could not close the probe of " + node + ": " + e);
            }
        }
    }

    /** The fields whose values depend on the order in which a node applied changes made at the same time. */
    private static final List<String> ORDER_DEPENDENT = List.of("recentPenalties", "decayedSuccesses", "decayedFailures",
            "decayedPenaltySeverity");

    /**
     * {@code b} is {@code a} but for the order of {@code recentPenalties} and the rounding of the decayed values: the
     * export of a worker changed on both nodes at the same time, by each node. Prints where they differ.
     */
    private static void assertSameUpToOrderAndRounding(String id, JsonNode a, JsonNode b) {
        ObjectNode restA = a.deepCopy();
        ObjectNode restB = b.deepCopy();
        restA.remove(ORDER_DEPENDENT);
        restB.remove(ORDER_DEPENDENT);
        assertEquals("worker " + id + " exported by node B, as node A exports it (but " + ORDER_DEPENDENT + ")", restA,
                restB);
        Set<JsonNode> penaltiesA = new HashSet<>();
        a.path("recentPenalties").forEach(penaltiesA::add);
        Set<JsonNode> penaltiesB = new HashSet<>();
        b.path("recentPenalties").forEach(penaltiesB::add);
        assertEquals("the recent penalties of " + id + " on node A and node B", penaltiesA, penaltiesB);
        for (String field : ORDER_DEPENDENT.subList(1, ORDER_DEPENDENT.size())) {
            JsonNode valuesA = a.path(field);
            JsonNode valuesB = b.path(field);
            assertEquals(field + " of " + id, fieldNames(valuesA), fieldNames(valuesB));
            valuesA.fields().forEachRemaining(e -> {
                double x = e.getValue().doubleValue();
                double y = valuesB.path(e.getKey()).doubleValue();
                assertTrue(field + "." + e.getKey() + " of " + id + ": " + x + " on node A, " + y + " on node B",
                        Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y)));
            });
        }
        if (!a.equals(b)) {
            List<String> differ = new ArrayList<>();
            for (String field : ORDER_DEPENDENT) {
                if (!a.path(field).equals(b.path(field))) {
                    differ.add(field);
                }
            }
            System.out.println("Note: worker " + id + ", changed on both nodes at the same time, is exported differently "
                    + "by the two nodes in " + differ + ":\n  node A: " + a + "\n  node B: " + b);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The rows of a two-column {@code --no-format} table (tab-separated), by first cell. */
    private static Map<String, String> rows(String output) {
        Map<String, String> rows = new TreeMap<>();
        output.lines().filter(l -> !l.isBlank()).forEach(l -> {
            String[] cells = l.split("\t");
            rows.put(cells[0].trim(), cells.length > 1 ? cells[1].trim() : "");
        });
        return rows;
    }

    private static List<String> firstCells(String output) {
        return output.lines().filter(l -> !l.isBlank()).map(l -> l.split("\t")[0].trim()).toList();
    }
}
