package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.JobOutcome;
import org.warden.api.Penalty;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;
import org.warden.api.ReputationService;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.snapshot.SnapshotService;

/**
 * {@code warden:export} and {@code warden:import} as an operator runs them, through Karaf's shell as a subject with
 * the {@code admin} or {@code viewer} role (see {@link ShellCommandsIT}): export to a file, wipe with an empty
 * snapshot, import the file back, and every worker is as it was. Bad files print one error line and change nothing.
 *
 * <p>Karaf boots with {@code warden}. The methods share one container and each begins by forgetting every worker
 * (an import with {@code --replace} affects the whole engine).
 */
public class ShellSnapshotIT extends WardenTestSupport {

    private static final Principal ADMIN = new RolePrincipal("admin");
    private static final Principal VIEWER = new RolePrincipal("viewer");
    private static final String EMPTY = "{\"format\": 1, \"exportedAt\": \"2026-01-01T00:00:00Z\", \"workers\": []}";

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    private HealthService health;
    private ReputationService reputation;
    private PenaltyService penalties;
    private SnapshotService snapshots;
    private SessionFactory sessionFactory;
    private ExecutorService executor;
    private Path dir;
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    /** What a command printed, and what it threw (the shell's own refusals: ACL, unknown command). */
    private record Result(String out, String err, Exception failure) {
    }

    @Before
    public void findServicesAndCommands() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden")));
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        snapshots = getService(SnapshotService.class);
        sessionFactory = getService(SessionFactory.class);
        executor = Executors.newSingleThreadExecutor();
        for (String name : List.of("export", "import")) {
            await("command warden:" + name + " registered").atMost(WAIT)
                    .until(() -> sessionFactory.getRegistry().getCommand("warden", name) != null);
        }
        dir = Files.createTempDirectory(Path.of(System.getProperty("karaf.data")), "snapshot-it-");
        Path empty = write("empty.json", EMPTY);
        Result wipe = execute("warden:import --replace " + empty, ADMIN);
        assertEquals("", wipe.err());
        assertTrue(reputation.workerIds().isEmpty());
    }

    @After
    public void stopExecutor() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Test
    public void exportWipeAndImportGiveBackEveryWorker() throws Exception {
        List<String> workers = recordVariedState();
        Map<String, WorkerReputation> reputations = new HashMap<>();
        Map<String, WorkerHealth> healths = new HashMap<>();
        Map<String, List<Penalty>> penaltyLists = new HashMap<>();
        Map<String, List<Ban>> banLists = new HashMap<>();
        for (String w : workers) {
            reputations.put(w, reputation.reputation(w).orElseThrow());
            healths.put(w, health.health(w).orElseThrow());
            penaltyLists.put(w, penalties.penalties(w));
            banLists.put(w, penalties.bans(w));
        }

        Path file = dir.resolve("warden-export.json");
        Result export = execute("warden:export --file " + file, VIEWER);
        assertNull(export.failure());
        assertEquals("", export.err());
        assertEquals("Exported " + workers.size() + " workers to " + file + "\n", export.out());

        JsonNode exported = mapper.readTree(file.toFile());
        assertEquals(1, exported.get("format").intValue());
        assertEquals(workers.size(), exported.get("workers").size());
        for (JsonNode w : exported.get("workers")) {
            String id = w.get("workerId").textValue();
            WorkerReputation rep = reputations.get(id);
            assertEquals(id, rep.jobsCompleted(), w.get("jobsCompleted").longValue());
            assertEquals(id, rep.jobsFailed(), w.get("jobsFailed").longValue());
            assertEquals(id, rep.maliciousReports(), w.get("maliciousReports").longValue());
            long penaltyCount = 0;
            for (JsonNode count : w.get("penaltyCounts")) {
                penaltyCount += count.longValue();
            }
            assertEquals(id, rep.penaltyCount(), penaltyCount);
            assertEquals(id, rep.firstSeen(), Instant.parse(w.get("firstSeen").textValue()));
            assertEquals(id, rep.lastSeen(), Instant.parse(w.get("lastSeen").textValue()));
            assertEquals(id, penaltyLists.get(id), mapper.convertValue(w.get("recentPenalties"),
                    new TypeReference<List<Penalty>>() { }));
            List<Ban> bans = new ArrayList<>();
            if (!w.get("currentBan").isNull()) {
                bans.add(mapper.convertValue(w.get("currentBan"), Ban.class));
            }
            bans.addAll(mapper.convertValue(w.get("pastBans"), new TypeReference<List<Ban>>() { }));
            assertEquals(id, banLists.get(id), bans);
            assertEquals(id, rep.ban(), w.get("currentBan").isNull() ? null : bans.get(0));
            WorkerHealth h = healths.get(id);
            assertEquals(id, h.metrics(), w.get("lastHealth").isNull() ? null
                    : mapper.convertValue(w.get("lastHealth"), HealthMetrics.class));
        }
        JsonNode malicious = workerNode(exported, "snap-malicious");
        assertEquals(3, malicious.get("maliciousReports").intValue());
        assertTrue("the default policy bans on the 3rd malicious report", malicious.get("currentBan").get("automatic").booleanValue());
        assertEquals(0.9, workerNode(exported, "snap-healthy").get("resultQuality").get("mean").doubleValue(), 1e-9);
        assertEquals(new BigInteger("340282366920938463463374607431768211455"),
                workerNode(exported, "snap-healthy").get("earnings").bigIntegerValue());

        // wipe: an empty snapshot, replacing
        Result wipe = execute("warden:import --replace " + write("empty.json", EMPTY), ADMIN);
        assertNull(wipe.failure());
        assertEquals("", wipe.err());
        assertEquals("Imported 0 workers (replace)\n", wipe.out());
        assertTrue(reputation.workerIds().isEmpty());
        assertEquals(0, health.networkHealth().totalWorkers());

        Result restore = execute("warden:import --replace " + file, ADMIN);
        assertNull(restore.failure());
        assertEquals("", restore.err());
        assertEquals("Imported " + workers.size() + " workers (replace)\n", restore.out());
        assertEquals(workers.stream().sorted().toList(), reputation.workerIds().stream().sorted().toList());
        for (String w : workers) {
            WorkerReputation before = reputations.get(w);
            WorkerReputation after = reputation.reputation(w).orElseThrow();
            // the same statistics, judged a little later: only what decays with time may have moved
            assertEquals(w, before.score(), after.score(), 0.01);
            assertEquals(w, before.jobsCompleted(), after.jobsCompleted());
            assertEquals(w, before.jobsFailed(), after.jobsFailed());
            assertEquals(w, before.penaltyCount(), after.penaltyCount());
            assertEquals(w, before.maliciousReports(), after.maliciousReports());
            assertEquals(w, before.ban(), after.ban());
            assertEquals(w, before.firstSeen(), after.firstSeen());
            assertEquals(w, before.lastSeen(), after.lastSeen());
            assertEquals(w, healths.get(w), health.health(w).orElseThrow());
            assertEquals(w, penaltyLists.get(w), penalties.penalties(w));
            assertEquals(w, banLists.get(w), penalties.bans(w));
        }
        assertEquals(sum(exported, "jobsCompleted") * 1.0 / (sum(exported, "jobsCompleted") + sum(exported, "jobsFailed")),
                health.networkHealth().successRate(), 1e-12);

        // a second export is the first, field by field (but for when it was taken)
        Path second = dir.resolve("second.json");
        Result again = execute("warden:export -f " + second, VIEWER);
        assertEquals("", again.err());
        ObjectNode first = (ObjectNode) exported.deepCopy();
        ObjectNode next = (ObjectNode) mapper.readTree(second.toFile());
        first.remove("exportedAt");
        next.remove("exportedAt");
        assertEquals(first, next);

        // without --file: the same JSON on the console
        Result console = execute("warden:export", VIEWER);
        assertEquals("", console.err());
        ObjectNode printed = (ObjectNode) mapper.readTree(console.out());
        printed.remove("exportedAt");
        assertEquals(first, printed);
    }

    @Test
    public void mergeKeepsTheWorkersNotInTheFile() throws Exception {
        reputation.recordOutcome(JobOutcome.of("snap-kept", true, 1_000, BigInteger.TEN, 0.8));
        reputation.recordOutcome(JobOutcome.of("snap-moved", true, 1_000, BigInteger.TEN, 0.8));
        Path file = dir.resolve("moved.json");
        assertEquals("", execute("warden:export --file " + file, VIEWER).err());
        ObjectNode root = (ObjectNode) mapper.readTree(file.toFile());
        List<JsonNode> onlyMoved = new ArrayList<>();
        root.get("workers").forEach(w -> {
            if (w.get("workerId").textValue().equals("snap-moved")) {
                onlyMoved.add(w);
            }
        });
        root.putArray("workers").addAll(onlyMoved);
        Path moved = write("only-moved.json", mapper.writeValueAsString(root));

        reputation.recordOutcome(JobOutcome.of("snap-moved", false, 1_000, BigInteger.ZERO, null));
        reputation.recordOutcome(JobOutcome.of("snap-kept", false, 1_000, BigInteger.ZERO, null));

        Result merge = execute("warden:import " + moved, ADMIN);
        assertNull(merge.failure());
        assertEquals("", merge.err());
        assertEquals("Imported 1 workers (merge)\n", merge.out());
        assertEquals(0, reputation.reputation("snap-moved").orElseThrow().jobsFailed());
        assertEquals(1, reputation.reputation("snap-kept").orElseThrow().jobsFailed());
        assertEquals(List.of("snap-kept", "snap-moved"), reputation.workerIds().stream().sorted().toList());
    }

    @Test
    public void badImportsPrintOneErrorLineAndChangeNothing() throws Exception {
        recordVariedState();
        Path good = dir.resolve("good.json");
        assertEquals("", execute("warden:export --file " + good, VIEWER).err());
        String json = Files.readString(good);
        var before = snapshots.export().workers();

        Path missing = dir.resolve("no-such.json");
        assertError("Error: " + missing + ": no such file", "warden:import " + missing);

        Path malformed = write("malformed.json", "{\"format\": 1, \"workers\": [}");
        assertError("Error: " + malformed + ": not a Warden export: malformed JSON at line 1, column 27: "
                + "Unexpected close marker '}': expected ']'", "warden:import --replace " + malformed);

        Path notAnExport = write("other.json", "{\"name\": \"something else\"}");
        assertError("Error: " + notAnExport + ": not a Warden export: no format field", "warden:import " + notAnExport);

        ObjectNode format2 = (ObjectNode) mapper.readTree(json);
        format2.put("format", 2);
        assertError("Error: format must be 1, was 2",
                "warden:import --replace " + write("format2.json", mapper.writeValueAsString(format2)));

        ObjectNode negative = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) negative.get("workers").get(3)).put("jobsCompleted", -1);
        assertError("Error: workers[3].jobsCompleted must not be negative, was -1",
                "warden:import --replace " + write("negative.json", mapper.writeValueAsString(negative)));

        ObjectNode missingField = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) missingField.get("workers").get(1)).remove("banCount");
        assertError("Error: workers[1].banCount is missing",
                "warden:import " + write("missing-field.json", mapper.writeValueAsString(missingField)));

        // the engine's own check: nothing dated after its clock (the first workers of the file are not taken either)
        ObjectNode future = (ObjectNode) mapper.readTree(json);
        ObjectNode last = (ObjectNode) future.get("workers").get(future.get("workers").size() - 1);
        last.put("decayedAt", "2999-01-01T00:00:00Z");
        Result refused = execute("warden:import --replace " + write("future.json", mapper.writeValueAsString(future)), ADMIN);
        assertNull(refused.failure());
        assertEquals("", refused.out());
        String prefix = "Error: worker '" + last.get("workerId").textValue() + "' (workers["
                + (future.get("workers").size() - 1) + "]): decayedAt 2999-01-01T00:00:00Z is after the engine's clock, ";
        assertTrue(refused.err(), refused.err().startsWith(prefix) && refused.err().endsWith("Z\n")
                && refused.err().lines().count() == 1);

        assertEquals(before, snapshots.export().workers());

        // a viewer may export but not import: Karaf's ACL hides the command (wait until the ACL is in force)
        ConfigurationAdmin configurationAdmin = getService(ConfigurationAdmin.class);
        await("the warden command ACL configuration").atMost(WAIT).until(() ->
                configurationAdmin.listConfigurations("(service.pid=org.apache.karaf.command.acl.warden)") != null);
        Path empty = write("empty.json", EMPTY);
        await("the warden command ACL in force").atMost(WAIT)
                .until(() -> execute("warden:import --replace " + empty, VIEWER).failure(),
                        f -> f != null && "Command not found: warden:import".equals(f.getMessage()));
        assertEquals(before, snapshots.export().workers());
        assertFalse(reputation.workerIds().isEmpty());
        // ... and an admin still may
        assertEquals("Imported " + before.size() + " workers (merge)\n", execute("warden:import " + good, ADMIN).out());
        assertEquals(before, snapshots.export().workers());
    }

    // ---------------------------------------------------------------- helpers

    /** Workers with varied state through the services: the default policy judges them. */
    private List<String> recordVariedState() {
        String healthy = "snap-healthy";
        health.reportHealth(healthy, new HealthMetrics(20, 10, 20, 30, 10, 1000.0, 55.0, 45.0, 0));
        for (int i = 0; i < 4; i++) {
            reputation.recordOutcome(new JobOutcome(healthy, true, 1_000 + i, BigInteger.ONE.shiftLeft(126), 0.9,
                    1_100L, "job-" + i));
        }
        String penalized = "snap-penalized";
        health.reportHealth(penalized, Fixtures.FAIR);
        reputation.recordOutcome(JobOutcome.of(penalized, true, 2_000, BigInteger.TEN, 0.6));
        reputation.recordOutcome(new JobOutcome(penalized, false, 9_000, BigInteger.ZERO, null, 3_000L, "job-slow"));
        penalties.applyPenalty(penalized, PenaltyType.JOB_TIMEOUT, 0.8, "took three times its estimate", "job-slow");
        penalties.applyPenalty(penalized, PenaltyType.POOR_PERFORMANCE, 0.3, "slow", null);
        penalties.applyPenalty(penalized, PenaltyType.NETWORK_ISSUES, 0.1, "lost heartbeats", null);
        String malicious = "snap-malicious";
        reputation.recordOutcome(JobOutcome.of(malicious, true, 500, BigInteger.valueOf(3), 0.1));
        for (int i = 1; i <= 3; i++) {
            penalties.reportMalicious(malicious, "forged result " + i);
        }
        String timed = "snap-timed-ban";
        health.reportHealth(timed, Fixtures.FIT);
        penalties.ban(timed, "cooling off", Duration.ofHours(2));
        String lifted = "snap-lifted-ban";
        health.reportHealth(lifted, Fixtures.SICK);
        penalties.ban(lifted, "suspected", null);
        penalties.unban(lifted, "appeal accepted");
        return List.of(healthy, penalized, malicious, timed, lifted);
    }

    private void assertError(String line, String command) throws Exception {
        Result result = execute(command, ADMIN);
        assertNull(result.failure());
        assertEquals("", result.out());
        assertEquals(line + "\n", result.err());
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static JsonNode workerNode(JsonNode snapshot, String id) {
        for (Iterator<JsonNode> it = snapshot.get("workers").elements(); it.hasNext();) {
            JsonNode w = it.next();
            if (w.get("workerId").textValue().equals(id)) {
                return w;
            }
        }
        throw new AssertionError(id + " not in the export");
    }

    private static long sum(JsonNode snapshot, String field) {
        long total = 0;
        for (JsonNode w : snapshot.get("workers")) {
            total += w.get(field).longValue();
        }
        return total;
    }

    /** Runs a command in a new shell session as a subject with the given roles (Karaf's executeCommand). */
    private Result execute(String command, Principal... principals) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Subject subject = new Subject();
        subject.getPrincipals().addAll(Arrays.asList(principals));
        Future<Result> future = executor.submit(() -> Subject.doAs(subject, (PrivilegedExceptionAction<Result>) () -> {
            PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            Exception failure = null;
            try (Session session = sessionFactory.create(System.in, outStream, errStream)) {
                session.execute(command);
            } catch (Exception e) {
                failure = e;
            }
            outStream.flush();
            errStream.flush();
            return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), failure);
        }));
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
