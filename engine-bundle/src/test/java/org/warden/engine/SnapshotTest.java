package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.T0;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.shell.ExportDirectory;
import org.warden.engine.shell.SnapshotFiles;
import org.warden.engine.shell.SnapshotReader;
import org.warden.engine.shell.SnapshotWriter;
import org.warden.engine.state.WorkerRecord;

/** Export, JSON and import: exact round trips, and refused imports that change nothing. */
class SnapshotTest {

    private static final List<String> WORKERS = List.of("w-healthy", "w-penalized", "w-malicious", "w-timed-ban",
            "w-lifted-ban", "w-silent");

    private final Fixtures f = new Fixtures();
    private final StubPolicy stub = stub();
    private final WardenEngine engine = f.with("stub", stub).engine;

    /** Scores that depend on most of the statistics, so a field lost in a round trip shows in the scores. */
    private static StubPolicy stub() {
        StubPolicy p = new StubPolicy();
        p.banAt = 3;
        p.reputation = s -> Math.min(1, Math.max(0, 0.3 + 0.01 * s.jobsCompleted() - 0.02 * s.jobsFailed()
                + 0.05 * s.decayedSuccesses(Horizon.HOUR) - 0.03 * s.decayedPenaltySeverity(PenaltyType.JOB_TIMEOUT)
                + 0.01 * s.resultQuality().mean() + 0.001 * s.consecutiveSuccesses()
                - 0.01 * s.maliciousReports()));
        return p;
    }

    /** Varied state: health with every metric, outcomes with quality and estimates, penalties, bans of every kind. */
    private void recordVariedState() {
        engine.reportHealth("w-healthy", new HealthMetrics(120, 35.5, 60.25, 12, 18, 940.5, 77.0, 61.5, 2));
        for (int i = 0; i < 7; i++) {
            f.clock.advance(Duration.ofMinutes(13));
            engine.recordOutcome(new JobOutcome("w-healthy", i != 4, 900 + 37L * i,
                    BigInteger.ONE.shiftLeft(100).add(BigInteger.valueOf(i)), 0.5 + i * 0.07, 1000L + i, "job-" + i));
        }
        engine.reportHealth("w-penalized", GOOD);
        engine.recordOutcome(JobOutcome.of("w-penalized", true, 2_000, BigInteger.TEN, null));
        engine.recordOutcome(new JobOutcome("w-penalized", false, 40_000, BigInteger.ZERO, null, 3_000L, "job-slow"));
        f.clock.advance(Duration.ofHours(5));
        engine.applyPenalty("w-penalized", PenaltyType.JOB_TIMEOUT, 0.8, "took 13 times its estimate", "job-slow");
        engine.applyPenalty("w-penalized", PenaltyType.POOR_PERFORMANCE, 0.3, "slow", null);
        engine.applyPenalty("w-penalized", PenaltyType.INVALID_RESULT, 0.65, "checksum mismatch", "job-9");

        engine.recordOutcome(JobOutcome.of("w-malicious", true, 500, BigInteger.valueOf(3), 0.1));
        for (int i = 1; i <= 3; i++) {
            f.clock.advance(Duration.ofMinutes(7));
            engine.reportMalicious("w-malicious", "forged result " + i);
        }

        engine.reportHealth("w-timed-ban", GOOD);
        engine.ban("w-timed-ban", "cooling off", Duration.ofHours(2));
        engine.reportHealth("w-lifted-ban", GOOD);
        engine.ban("w-lifted-ban", "suspected", null);
        f.clock.advance(Duration.ofMinutes(30));
        engine.unban("w-lifted-ban", "appeal accepted");
        engine.recordOutcome(JobOutcome.of("w-silent", false, 10, BigInteger.ZERO, 0.0));
        f.clock.advance(Duration.ofHours(3)); // the timed ban ran out (still stored as the current one)
        engine.reportHealth("w-healthy", GOOD);
    }

    private Fixtures freshEngineAtTheSameTime() {
        Fixtures other = new Fixtures().with("stub", stub());
        other.clock.advance(Duration.between(T0, f.clock.instant()));
        return other;
    }

    @Test
    void exportThenJsonThenImportGivesBackExactlyTheSameState() {
        recordVariedState();
        Snapshot exported = engine.export();
        assertThat(exported.format()).isEqualTo(Snapshot.FORMAT);
        assertThat(exported.exportedAt()).isEqualTo(f.clock.instant());
        assertThat(exported.workers()).extracting(WorkerSnapshot::workerId)
                .containsExactlyElementsOf(WORKERS.stream().sorted().toList());
        WorkerSnapshot malicious = worker(exported, "w-malicious");
        assertThat(malicious.maliciousReports()).isEqualTo(3);
        assertThat(malicious.currentBan().automatic()).isTrue();
        assertThat(malicious.penaltyCounts().get(PenaltyType.MALICIOUS_BEHAVIOR)).isEqualTo(3);
        assertThat(malicious.penaltyCounts().get(PenaltyType.BAN)).isEqualTo(1);
        assertThat(worker(exported, "w-timed-ban").currentBan().until()).isBefore(f.clock.instant());
        assertThat(worker(exported, "w-lifted-ban").pastBans()).singleElement()
                .satisfies(b -> assertThat(b.liftReason()).isEqualTo("appeal accepted"));
        assertThat(worker(exported, "w-healthy").earnings()).isEqualTo(BigInteger.ONE.shiftLeft(100).multiply(
                BigInteger.valueOf(7)).add(BigInteger.valueOf(21)));
        // as stored, not decayed to now: w-penalized was last updated 3.5 hours ago
        assertThat(worker(exported, "w-penalized").decayedAt()).isBefore(f.clock.instant());

        String json = json(exported);
        Snapshot parsed = SnapshotReader.parse("export.json", json);
        assertThat(parsed).isEqualTo(exported);

        Fixtures other = freshEngineAtTheSameTime();
        other.engine.recordOutcome(JobOutcome.of("w-forgotten", true, 1, BigInteger.ONE, null));
        assertThat(other.engine.importSnapshot(parsed, ImportMode.REPLACE)).isEqualTo(WORKERS.size());

        Snapshot again = other.engine.export();
        assertThat(again).isEqualTo(exported);
        assertThat(json(again)).isEqualTo(json);
        assertThat(other.engine.workerIds()).containsExactlyInAnyOrderElementsOf(WORKERS);
        assertSameJudgement(engine, other.engine, WORKERS);

        // and both go on the same way: decay, expiry of the timed ban, new outcomes
        f.clock.advance(Duration.ofDays(2));
        other.clock.advance(Duration.ofDays(2));
        engine.recordOutcome(JobOutcome.of("w-healthy", true, 1000, BigInteger.ONE, 0.9));
        other.engine.recordOutcome(JobOutcome.of("w-healthy", true, 1000, BigInteger.ONE, 0.9));
        assertSameJudgement(engine, other.engine, WORKERS);
        assertThat(other.engine.export().workers()).isEqualTo(engine.export().workers());
    }

    @Test
    void recordsConvertExactlyBothWays() {
        recordVariedState();
        for (WorkerSnapshot s : engine.export().workers()) {
            assertThat(WorkerRecord.fromSnapshot(s).toSnapshot()).isEqualTo(s);
        }
    }

    @Test
    void mergeReplacesTheSameIdsAndKeepsTheOthers() {
        recordVariedState();
        Snapshot exported = engine.export();
        Fixtures other = freshEngineAtTheSameTime();
        other.engine.recordOutcome(JobOutcome.of("w-other", true, 5, BigInteger.TWO, 0.4));
        other.engine.recordOutcome(JobOutcome.of("w-healthy", false, 5, BigInteger.ZERO, null));
        WorkerSnapshot otherBefore = worker(other.engine.export(), "w-other");

        assertThat(other.engine.importSnapshot(exported, ImportMode.MERGE)).isEqualTo(WORKERS.size());

        assertThat(other.engine.workerIds()).hasSize(WORKERS.size() + 1).contains("w-other");
        assertThat(worker(other.engine.export(), "w-other")).isEqualTo(otherBefore);
        assertThat(worker(other.engine.export(), "w-healthy")).isEqualTo(worker(exported, "w-healthy"));
        assertSameJudgement(engine, other.engine, WORKERS);
        // totals: every imported worker's jobs plus w-other's one; w-healthy's earlier failure is gone with its record
        assertThat(other.engine.book().jobsCompleted()).isEqualTo(sum(exported, true) + 1);
        assertThat(other.engine.book().jobsFailed()).isEqualTo(sum(exported, false));
    }

    @Test
    void networkTotalsAndHealthFollowTheImport() {
        recordVariedState();
        Snapshot exported = engine.export();
        Fixtures other = freshEngineAtTheSameTime();
        for (int i = 0; i < 50; i++) {
            other.engine.recordOutcome(JobOutcome.of("w-x" + i, i % 2 == 0, 5, BigInteger.ONE, null));
        }
        NetworkHealth before = other.engine.networkHealth(); // cached: the clock does not move in this test
        assertThat(before.totalWorkers()).isEqualTo(50);

        other.engine.importSnapshot(exported, ImportMode.REPLACE);

        NetworkHealth after = other.engine.networkHealth();
        NetworkHealth original = engine.networkHealth();
        assertThat(after.totalWorkers()).isEqualTo(WORKERS.size());
        assertThat(other.engine.book().jobsCompleted()).isEqualTo(sum(exported, true)).isEqualTo(engine.book().jobsCompleted());
        assertThat(other.engine.book().jobsFailed()).isEqualTo(sum(exported, false)).isEqualTo(engine.book().jobsFailed());
        assertThat(after.successRate()).isEqualTo(original.successRate());
        assertThat(after.bannedWorkers()).isEqualTo(original.bannedWorkers()).isEqualTo(1);
        assertThat(after.averageReputation()).isEqualTo(original.averageReputation());
        assertThat(after.healthScore()).isEqualTo(original.healthScore());

        other.engine.importSnapshot(new Snapshot(Snapshot.FORMAT, f.clock.instant(), List.of()), ImportMode.REPLACE);
        assertThat(other.engine.workerIds()).isEmpty();
        assertThat(other.engine.book().jobsCompleted()).isZero();
        assertThat(other.engine.book().jobsFailed()).isZero();
        assertThat(other.engine.networkHealth().totalWorkers()).isZero();
    }

    @Test
    void aWorkerDatedAfterTheClockIsRefusedAndNothingChanges() {
        recordVariedState();
        Snapshot exported = engine.export();
        Instant future = f.clock.instant().plusSeconds(1);
        for (String field : List.of("decayedAt", "lastSeen", "firstSeen")) {
            List<WorkerSnapshot> workers = new ArrayList<>(exported.workers());
            int bad = 3;
            WorkerSnapshot w = workers.get(bad);
            workers.set(bad, switch (field) {
                case "decayedAt" -> with(w, future, w.lastSeen(), w.firstSeen());
                case "lastSeen" -> with(w, w.decayedAt(), future, w.firstSeen());
                default -> with(w, w.decayedAt(), future, future);
            });
            Snapshot snapshot = new Snapshot(Snapshot.FORMAT, exported.exportedAt(), workers);
            for (ImportMode mode : ImportMode.values()) {
                Fixtures other = freshEngineAtTheSameTime();
                other.engine.recordOutcome(JobOutcome.of("w-before", true, 5, BigInteger.TWO, 0.4));
                Snapshot before = other.engine.export();

                assertThatThrownBy(() -> other.engine.importSnapshot(snapshot, mode))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("worker '" + w.workerId() + "' (workers[3]): " + field + " " + future
                                + " is after the engine's clock, " + f.clock.instant());

                // the workers before the bad one were not imported either
                assertThat(other.engine.export()).isEqualTo(before);
                assertThat(other.engine.book().jobsCompleted()).isEqualTo(1);
            }
        }
    }

    @Test
    void badFilesAreRefusedWithAMessageNamingTheField() throws Exception {
        recordVariedState();
        String json = json(engine.export());
        ObjectMapper mapper = new ObjectMapper();

        assertRefused(json, mapper, root -> root.put("format", 2), "format must be 1, was 2");
        assertRefused(json, mapper, root -> root.put("format", "one"), "format must be 1, was one");
        // read as a stream: the format must be known before the first worker is
        assertRefused(json, mapper, root -> root.remove("format"),
                "export.json: not a Warden export: format must come before workers");
        assertRefused(json, mapper, root -> worker(root, 3).remove("jobsCompleted"), "workers[3].jobsCompleted is missing");
        assertRefused(json, mapper, root -> worker(root, 3).remove("lastJobAt"), "workers[3].lastJobAt is missing");
        assertRefused(json, mapper, root -> root.remove("workers"),
                "export.json: not a Warden export: workers is missing");
        assertRefused(json, mapper, root -> worker(root, 3).put("jobsCompleted", -1),
                "workers[3].jobsCompleted must not be negative, was -1");
        assertRefused(json, mapper, root -> worker(root, 1).put("maliciousReports", -2),
                "workers[1].maliciousReports must not be negative, was -2");
        assertRefused(json, mapper, root -> worker(root, 0).putNull("jobsFailed"), "workers[0].jobsFailed must not be null");
        assertRefused(json, mapper, root -> worker(root, 0).put("jobsFailed", 1.5),
                "workers[0].jobsFailed must be a whole number");
        assertRefused(json, mapper, root -> worker(root, 0).put("lastSeen", "yesterday"),
                "workers[0].lastSeen must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        assertRefused(json, mapper, root -> worker(root, 0).put("recentPenalties", "none"),
                "workers[0].recentPenalties must be an array");
        assertRefused(json, mapper, root -> ((ObjectNode) worker(root, 2).get("recentPenalties").get(0)).put("type", "FOO"),
                "workers[2].recentPenalties[0].type must be one of [JOB_TIMEOUT, JOB_FAILURE, MALICIOUS_BEHAVIOR, "
                        + "POOR_PERFORMANCE, NETWORK_ISSUES, RESOURCE_ABUSE, INVALID_RESULT, SPAM, BAN]");
        assertRefused(json, mapper, root -> worker(root, 0).putNull("firstSeen"), "workers[0].firstSeen must not be null");
        assertRefused(json, mapper, root -> worker(root, 0).put("jobsDone", 3), "workers[0].jobsDone: unknown field");
        assertRefused(json, mapper, root -> ((ObjectNode) worker(root, 2).get("recentPenalties").get(0)).put("severity", 2),
                "workers[2].recentPenalties[0].severity must be in [0, 1], was 2.0");
        assertRefused(json, mapper, root -> ((ObjectNode) worker(root, 2).get("decayedSuccesses")).remove("WEEK"),
                "workers[2].decayedSuccesses.WEEK is missing");
        assertRefused(json, mapper, root -> worker(root, 4).put("workerId", "w-healthy"),
                "workers[4]: worker 'w-healthy' appears twice");

        assertThatThrownBy(() -> SnapshotReader.parse("export.json", "{\"format\": 1,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("export.json: not a Warden export: malformed JSON at line 1, column 14: "
                        + "Unexpected end-of-input within/between Object entries");
        assertThatThrownBy(() -> SnapshotReader.parse("export.json", "{\"format\": 1, \"workers\": [}"))
                .hasMessage("export.json: not a Warden export: malformed JSON at line 1, column 27: "
                        + "Unexpected close marker '}': expected ']'");
        assertThatThrownBy(() -> SnapshotReader.parse("export.json", "[1, 2]"))
                .hasMessage("export.json: not a Warden export: expected a JSON object");
        assertThatThrownBy(() -> SnapshotReader.parse("export.json", ""))
                .hasMessage("export.json: not a Warden export: the file is empty");
        assertThatThrownBy(() -> SnapshotReader.parse("export.json", "{\"format\": 1} {}"))
                .hasMessage("export.json: not a Warden export: more than one JSON value, the second at line 1, column 15");
        assertThatThrownBy(() -> SnapshotReader.parse("export.json", "{\"name\": \"x\", \"format\": 1}"))
                .hasMessage("export.json: not a Warden export: unknown field 'name'");
        assertThat(SnapshotReader.parse("export.json", "{\"format\": 1, \"exportedAt\": \"2026-01-01T00:00:00Z\", "
                + "\"workers\": []}").workers()).isEmpty();
    }

    @Test
    void aFileIsWrittenWholeAndReadBack(@TempDir Path dir) throws Exception {
        recordVariedState();
        Snapshot exported = engine.export();
        Path exports = dir.resolve("exports");
        SnapshotFiles files = new SnapshotFiles(new ExportDirectory(exports), 1 << 20);
        Path file = files.export(exported, "warden.json", false);
        assertThat(file).isEqualTo(exports.resolve("warden.json"));
        assertThat(files.read("warden.json")).isEqualTo(exported);
        assertThat(Files.readString(file)).isEqualTo(json(exported));
        try (var listed = Files.list(exports)) {
            assertThat(listed).containsExactly(file); // no temporary file left
        }

        Files.writeString(file, "old content");
        assertThatThrownBy(() -> files.export(exported, "warden.json", false))
                .hasMessage("file warden.json already exists in " + exports + ": use --force to replace it");
        assertThat(Files.readString(file)).isEqualTo("old content");
        files.export(exported, "warden.json", true);
        assertThat(files.read("warden.json")).isEqualTo(exported);

        Files.createDirectory(exports.resolve("sub"));
        assertThatThrownBy(() -> files.export(exported, "sub", true)).hasMessage("file sub in " + exports + " is a directory");
        assertThatThrownBy(() -> files.read("missing.json")).hasMessage("no file missing.json in " + exports);
        assertThatThrownBy(() -> files.read("sub")).hasMessage("file sub in " + exports + " is a directory");
    }

    // ---------------------------------------------------------------- helpers

    /** The snapshot's JSON as warden:export writes it (a string only in a test: the command streams it). */
    private static String json(Snapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SnapshotWriter.write(snapshot, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertRefused(String json, ObjectMapper mapper, Consumer<ObjectNode> change, String message)
            throws Exception {
        ObjectNode root = (ObjectNode) mapper.readTree(json);
        change.accept(root);
        String bad = mapper.writeValueAsString(root);
        assertThatThrownBy(() -> SnapshotReader.parse("export.json", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static ObjectNode worker(ObjectNode root, int index) {
        return (ObjectNode) root.get("workers").get(index);
    }

    private static WorkerSnapshot worker(Snapshot snapshot, String id) {
        return snapshot.workers().stream().filter(w -> w.workerId().equals(id)).findFirst().orElseThrow();
    }

    private static long sum(Snapshot snapshot, boolean completed) {
        return snapshot.workers().stream().mapToLong(w -> completed ? w.jobsCompleted() : w.jobsFailed()).sum();
    }

    private static void assertSameJudgement(WardenEngine expected, WardenEngine actual, List<String> workers) {
        for (String w : workers) {
            assertThat(actual.reputation(w)).as("reputation of %s", w).isEqualTo(expected.reputation(w));
            assertThat(actual.health(w)).as("health of %s", w).isEqualTo(expected.health(w));
            assertThat(actual.eligibility(w)).as("eligibility of %s", w).isEqualTo(expected.eligibility(w));
            assertThat(actual.penalties(w)).as("penalties of %s", w).isEqualTo(expected.penalties(w));
            assertThat(actual.bans(w)).as("bans of %s", w).isEqualTo(expected.bans(w));
        }
    }

    /** The worker with other decayedAt, lastSeen and firstSeen. */
    private static WorkerSnapshot with(WorkerSnapshot w, Instant decayedAt, Instant lastSeen, Instant firstSeen) {
        return new WorkerSnapshot(w.workerId(), firstSeen, lastSeen, w.lastJobAt(), decayedAt, w.jobsCompleted(),
                w.jobsFailed(), w.decayedSuccesses(), w.decayedFailures(), w.consecutiveSuccesses(),
                w.consecutiveFailures(), w.executionTimeMs(), w.timeToEstimateRatio(), w.resultQuality(), w.earnings(),
                w.lastHealth(), w.lastHealthAt(), w.penaltyCounts(), w.decayedPenaltySeverity(), w.maliciousReports(),
                w.banCount(), w.currentBan(), w.recentPenalties(), w.pastBans());
    }
}
