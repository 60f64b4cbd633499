package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
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
 * Files are only ever names in {@code ${karaf.data}/warden/exports}; writing one needs the admin role (issue 12: a
 * viewer wrote {@code etc/org.apache.karaf.command.acl.warden.cfg} through {@code warden:export --file} and then
 * ran {@code warden:ban}).
 *
 * <p>Karaf boots with {@code warden}. The methods share one container and each begins by forgetting every worker
 * (an import with {@code --replace} affects the whole engine).
 */
public class ShellSnapshotIT extends ShellTestSupport {

    private static final String EMPTY = "{\"format\": 1, \"exportedAt\": \"2026-01-01T00:00:00Z\", \"workers\": []}";

    private HealthService health;
    private ReputationService reputation;
    private PenaltyService penalties;
    private SnapshotService snapshots;
    /** {@code ${karaf.data}/warden/exports}: where export writes and import reads. */
    private Path exports;
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    /**
     * Every method records an automatic ban (the third malicious report), all in one container within the ban
     * budget's window: the budget is lifted here, so that ban is imposed in every method, whatever their order.
     */
    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                KarafDistributionOption.editConfigurationFilePut("etc/org.warden.engine.cfg", "banBudgetShare", "1.0"));
    }

    @Before
    public void findServicesAndCommands() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden")));
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        snapshots = getService(SnapshotService.class);
        awaitCommands("export", "import", "ban");
        exports = Path.of(System.getProperty("karaf.data"), "warden", "exports").toAbsolutePath().normalize();
        Files.createDirectories(exports);
        write("empty.json", EMPTY);
        Result wipe = execute("warden:import --replace empty.json", ADMIN);
        assertEquals("", wipe.err());
        assertTrue(reputation.workerIds().isEmpty());
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

        Path file = exports.resolve("warden-export.json");
        Files.deleteIfExists(file);
        Result export = execute("warden:export --file warden-export.json", ADMIN);
        transcript("warden:export --file warden-export.json", export);
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
        write("empty.json", EMPTY);
        Result wipe = execute("warden:import --replace empty.json", ADMIN);
        assertNull(wipe.failure());
        assertEquals("", wipe.err());
        assertEquals("Imported 0 workers (replace)\n", wipe.out());
        assertTrue(reputation.workerIds().isEmpty());
        assertEquals(0, health.networkHealth().totalWorkers());

        Result restore = execute("warden:import --replace warden-export.json", ADMIN);
        transcript("warden:import --replace warden-export.json", restore);
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
        Path second = exports.resolve("second.json");
        Result again = execute("warden:export --force -f second.json", ADMIN);
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
        Path file = exports.resolve("moved.json");
        assertEquals("", execute("warden:export --force --file moved.json", ADMIN).err());
        ObjectNode root = (ObjectNode) mapper.readTree(file.toFile());
        List<JsonNode> onlyMoved = new ArrayList<>();
        root.get("workers").forEach(w -> {
            if (w.get("workerId").textValue().equals("snap-moved")) {
                onlyMoved.add(w);
            }
        });
        root.putArray("workers").addAll(onlyMoved);
        write("only-moved.json", mapper.writeValueAsString(root));

        reputation.recordOutcome(JobOutcome.of("snap-moved", false, 1_000, BigInteger.ZERO, null));
        reputation.recordOutcome(JobOutcome.of("snap-kept", false, 1_000, BigInteger.ZERO, null));

        Result merge = execute("warden:import only-moved.json", ADMIN);
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
        Path good = exports.resolve("good.json");
        assertEquals("", execute("warden:export --force --file good.json", ADMIN).err());
        String json = Files.readString(good);
        var before = snapshots.export().workers();

        assertError("Error: no file no-such.json in " + exports, "warden:import no-such.json");

        write("malformed.json", "{\"format\": 1, \"workers\": [}");
        assertError("Error: malformed.json: not a Warden export: malformed JSON at line 1, column 27: "
                + "Unexpected close marker '}': expected ']'", "warden:import --replace malformed.json");

        write("other.json", "{\"name\": \"something else\"}");
        assertError("Error: other.json: not a Warden export: unknown field 'name'", "warden:import other.json");

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
        assertTrue(refused.refusal(), refused.refusal().startsWith(prefix) && refused.refusal().endsWith("Z\n")
                && refused.refusal().lines().count() == 1);

        // a path is not a file name: nothing outside the exports directory is read
        assertError("Error: file must be a plain file name in " + exports + " (a letter or digit, then letters, "
                + "digits, '.', '_' or '-', at most 128 characters; no path), was ../../etc/users.properties",
                "warden:import ../../etc/users.properties");

        assertEquals(before, snapshots.export().workers());

        // a viewer may export to the console but not import: Karaf's ACL hides the command
        awaitCommandAcl();
        write("empty.json", EMPTY);
        Result viewerImport = execute("warden:import --replace empty.json", VIEWER);
        assertEquals("Command not found: warden:import", viewerImport.failure().getMessage());
        assertEquals(before, snapshots.export().workers());
        assertFalse(reputation.workerIds().isEmpty());
        // ... and an admin still may
        assertEquals("Imported " + before.size() + " workers (merge)\n", execute("warden:import good.json", ADMIN).out());
        assertEquals(before, snapshots.export().workers());
    }

    /**
     * Issue 12, row 7: a count at Integer.MAX_VALUE (the next report wrapped it to -2147483648, turned the auto-ban
     * off and broke every later export and checkpoint), a lift before its ban, an escape sequence in a lift reason
     * (it reached the operator's terminal): each refused with one printable Error line, nothing changed. And the size
     * limit, a setting, checked before reading.
     */
    @Test
    public void importsThatWouldWrapLieOrDriveTheTerminalAreRefused() throws Exception {
        recordVariedState();
        assertEquals("", execute("warden:export --force --file varied.json", ADMIN).err());
        String json = Files.readString(exports.resolve("varied.json"));
        var before = snapshots.export().workers();
        int malicious = index(json, "snap-malicious");
        int lifted = index(json, "snap-lifted-ban");

        ObjectNode wrap = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) wrap.get("workers").get(malicious)).put("maliciousReports", Integer.MAX_VALUE);
        assertError("Error: worker 'snap-malicious' (workers[" + malicious + "]): maliciousReports must be at most "
                + "1000000000, was 2147483647", "warden:import " + write("wrap.json", mapper.writeValueAsString(wrap)));

        ObjectNode early = (ObjectNode) mapper.readTree(json);
        ObjectNode ban = (ObjectNode) early.get("workers").get(lifted).get("pastBans").get(0);
        String bannedAt = ban.get("bannedAt").textValue();
        String liftedAt = Instant.parse(bannedAt).minusSeconds(1).toString();
        ban.put("liftedAt", liftedAt);
        assertError("Error: worker 'snap-lifted-ban' (workers[" + lifted + "]): pastBans[0].liftedAt " + liftedAt
                + " must not be before pastBans[0].bannedAt " + bannedAt,
                "warden:import " + write("early.json", mapper.writeValueAsString(early)));

        ObjectNode escape = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) escape.get("workers").get(lifted).get("pastBans").get(0))
                .put("liftReason", "ok\u001b]0;owned\u0007\u001b[2J");
        Result result = execute("warden:import " + write("escape.json", mapper.writeValueAsString(escape)), ADMIN);
        transcript("warden:import escape.json", result);
        assertEquals("Error: worker 'snap-lifted-ban' (workers[" + lifted + "]): pastBans[0].liftReason must not "
                + "contain control characters (found U+001B at index 2)\n", result.refusal());
        assertFalse(result.refusal().contains("\u001b"));

        // the limit is a setting (org.warden.snapshot): 1 MiB refuses a 2 MiB file before reading it
        write("big.json", json.replace("\"workers\"", " ".repeat(2 << 20) + "\"workers\""));
        long size = Files.size(exports.resolve("big.json"));
        Configuration config = getService(ConfigurationAdmin.class).getConfiguration("org.warden.snapshot", null);
        try {
            config.update(new Hashtable<>(Map.of("maxImportMegabytes", 1)));
            String expected = "Error: big.json: " + size + " bytes, larger than the import limit of 1048576 bytes "
                    + "(maxImportMegabytes in org.warden.snapshot); nothing imported\n";
            await("the import limit of 1 MiB in force").atMost(WAIT)
                    .until(() -> execute("warden:import big.json", ADMIN).refusal(), expected::equals);
        } finally {
            config.delete();
        }
        assertEquals(before, snapshots.export().workers());
        await("the default import limit back").atMost(WAIT)
                .until(() -> execute("warden:import big.json", ADMIN).out(), ("Imported " + before.size()
                        + " workers (merge)\n")::equals);
        assertEquals(before, snapshots.export().workers());
    }

    /**
     * Issue 12, row 1, as it was found: a viewer exported to etc/org.apache.karaf.command.acl.warden.cfg,
     * fileinstall took the JSON as the ACL, and the viewer could ban. Now writing a file needs admin, and even an
     * admin can only name a file in ${karaf.data}/warden/exports.
     */
    @Test
    public void aViewerCannotWriteFilesAndSoCannotGrantItselfAdminCommands() throws Exception {
        recordVariedState();
        awaitCommandAcl();
        Path acl = Path.of(System.getProperty("karaf.etc"), "org.apache.karaf.command.acl.warden.cfg");
        byte[] aclBefore = Files.readAllBytes(acl);
        Path tmp = Path.of("/tmp/x");
        boolean tmpExisted = Files.exists(tmp);
        byte[] tmpBefore = Files.isRegularFile(tmp) ? Files.readAllBytes(tmp) : null;

        for (String target : List.of("etc/org.apache.karaf.command.acl.warden.cfg", acl.toString(), "../x", "/tmp/x",
                "../../etc/users.properties")) {
            for (String command : List.of("warden:export --file " + target, "warden:export -f " + target,
                    "warden:export --force --file " + target)) {
                Result viewer = execute(command, VIEWER);
                transcript(command, viewer);
                assertNotNull(command + " as a viewer must be refused by the ACL", viewer.failure());
                assertEquals(command, "", viewer.out());
                // the admin is refused too: not a file name in the exports directory
                Result admin = execute(command, ADMIN);
                assertNull(admin.failure());
                assertEquals(command, "", admin.out());
                assertTrue(command + ": " + admin.refusal(), admin.refusal().startsWith("Error: file must be a plain file name "
                        + "in " + exports + " (a letter or digit, then letters, digits, '.', '_' or '-', at most 128 "
                        + "characters; no path), was ") && admin.refusal().lines().count() == 1);
            }
        }
        // a plain name is refused to a viewer as well: writing any file is an admin's
        Result plain = execute("warden:export --file viewer.json", VIEWER);
        assertNotNull(plain.failure());
        assertFalse(Files.exists(exports.resolve("viewer.json")));

        assertArrayEquals("the ACL file is unchanged", aclBefore, Files.readAllBytes(acl));
        assertEquals(tmpExisted, Files.exists(tmp));
        if (tmpBefore != null) {
            assertArrayEquals(tmpBefore, Files.readAllBytes(tmp));
        }
        // ... so the viewer still cannot ban, nor pin a policy
        for (String command : List.of("warden:ban snap-healthy viewer says so", "warden:policy-use default")) {
            Result refused = execute(command, VIEWER);
            transcript(command, refused);
            String name = command.substring(0, command.indexOf(' '));
            assertEquals("Command not found: " + name, refused.failure().getMessage());
        }
        assertNull(reputation.reputation("snap-healthy").orElseThrow().ban());

        // a viewer still exports to the console
        Result console = execute("warden:export", VIEWER);
        assertNull(console.failure());
        assertEquals("", console.err());
        assertEquals(5, mapper.readTree(console.out()).get("workers").size());

        // the admin's export lands in ${karaf.data}/warden/exports, is not replaced without --force, and re-imports
        Files.deleteIfExists(exports.resolve("admin.json"));
        Result admin = execute("warden:export --file admin.json", ADMIN);
        transcript("warden:export --file admin.json", admin);
        assertEquals("Exported 5 workers to " + exports.resolve("admin.json") + "\n", admin.out());
        assertError("Error: file admin.json already exists in " + exports + ": use --force to replace it",
                "warden:export --file admin.json");
        var before = snapshots.export().workers();
        write("empty.json", EMPTY);
        assertEquals("Imported 0 workers (replace)\n", execute("warden:import --replace empty.json", ADMIN).out());
        assertTrue(reputation.workerIds().isEmpty());
        Result restore = execute("warden:import --replace admin.json", ADMIN);
        transcript("warden:import --replace admin.json", restore);
        assertEquals("Imported 5 workers (replace)\n", restore.out());
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
        transcript(command, result);
        assertNull(result.failure());
        assertEquals("", result.out());
        assertEquals("", result.err());
        assertEquals(line + "\n", result.refusal());
    }

    /** Writes a file in the exports directory (as an operator would copy one there); returns its name. */
    private String write(String name, String content) throws Exception {
        Files.writeString(exports.resolve(name), content);
        return name;
    }

    /** The index of the worker {@code id} in the export {@code json}. */
    private int index(String json, String id) throws Exception {
        JsonNode workers = mapper.readTree(json).get("workers");
        for (int i = 0; i < workers.size(); i++) {
            if (workers.get(i).get("workerId").textValue().equals(id)) {
                return i;
            }
        }
        throw new AssertionError(id + " not in the export");
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
}
