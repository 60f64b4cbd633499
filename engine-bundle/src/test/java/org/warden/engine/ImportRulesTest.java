package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.engine.core.SnapshotRules;
import org.warden.engine.shell.SnapshotReader;
import org.warden.engine.shell.SnapshotWriter;
import org.warden.engine.state.WorkerRecord;

/**
 * What an import refuses beyond the file's shape (issue 12, row 7): counts the engine could not add one to, times
 * after its clock, a lift before its ban, escape sequences in a lift reason. Each refused with one message naming
 * the worker and the field, and the engine exactly as it was. The snapshots go through the file format (written,
 * changed as a hostile file would be, read back), as warden:import takes them.
 */
class ImportRulesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Fixtures f = new Fixtures();
    private final StubPolicy policy = new StubPolicy();
    private String exported;
    private Snapshot before;

    @BeforeEach
    void someWorkers() throws IOException {
        policy.banAt = 3;
        f.with("stub", policy);
        f.engine.recordOutcome(JobOutcome.of("w-0", true, 900, BigInteger.TEN, 0.8));
        f.engine.recordOutcome(JobOutcome.of("w-1", false, 1_200, BigInteger.ZERO, null));
        f.engine.ban("w-1", "suspected", null);
        f.clock.advance(Duration.ofMinutes(10));
        f.engine.unban("w-1", "appeal accepted");
        f.engine.recordOutcome(JobOutcome.of("w-2", true, 700, BigInteger.ONE, null));
        f.engine.applyPenalty("w-2", PenaltyType.SPAM, 0.4, "spam", null);
        f.clock.advance(Duration.ofMinutes(5));
        before = f.engine.export();
        exported = json(before);
    }

    @Test
    void theUnchangedExportIsTaken() {
        assertThat(f.engine.importSnapshot(read(exported), ImportMode.REPLACE)).isEqualTo(3);
        assertThat(f.engine.export().workers()).isEqualTo(before.workers());
    }

    @Test
    void countsThatCouldWrapAreRefused() throws IOException {
        refused(w -> w.get(0).put("maliciousReports", Integer.MAX_VALUE),
                "worker 'w-0' (workers[0]): maliciousReports must be at most 1000000000, was 2147483647");
        refused(w -> w.get(0).put("maliciousReports", WorkerRecord.MAX_MALICIOUS_REPORTS + 1),
                "worker 'w-0' (workers[0]): maliciousReports must be at most 1000000000, was 1000000001");
        refused(w -> w.get(1).put("banCount", Integer.MAX_VALUE),
                "worker 'w-1' (workers[1]): banCount must be at most 1000000000, was 2147483647");
        refused(w -> w.get(0).put("consecutiveSuccesses", Integer.MAX_VALUE),
                "worker 'w-0' (workers[0]): consecutiveSuccesses must be at most 1000000000, was 2147483647");
        refused(w -> w.get(2).with("penaltyCounts").put("SPAM", Integer.MAX_VALUE),
                "worker 'w-2' (workers[2]): penaltyCounts.SPAM must be at most 1000000000, was 2147483647");
        refused(w -> w.get(0).put("jobsCompleted", Long.MAX_VALUE),
                "worker 'w-0' (workers[0]): jobsCompleted must be at most 1000000000000000, was 9223372036854775807");
        refused(w -> w.get(0).with("executionTimeMs").put("count", Long.MAX_VALUE),
                "worker 'w-0' (workers[0]): executionTimeMs.count must be at most 1000000000000000, was "
                        + Long.MAX_VALUE);
        refused(w -> w.get(0).with("decayedSuccesses").put("HOUR", 1e300),
                "worker 'w-0' (workers[0]): decayedSuccesses.HOUR must be at most 1000000000000000, was 1.0E300");
    }

    @Test
    void aMaliciousCountAtItsMaximumRefusesTheNextReportInsteadOfWrapping() throws IOException {
        f.engine.importSnapshot(read(changed(w -> w.get(0).put("maliciousReports", WorkerRecord.MAX_MALICIOUS_REPORTS))),
                ImportMode.MERGE);
        Snapshot atMax = f.engine.export();

        assertThatThrownBy(() -> f.engine.reportMalicious("w-0", "once more"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("worker 'w-0' already has 1000000000 malicious reports, the most Warden counts "
                        + "(1000000000); report refused");

        assertThat(f.engine.export().workers()).isEqualTo(atMax.workers());
        assertThat(f.engine.reputation("w-0").orElseThrow().maliciousReports()).isEqualTo(1_000_000_000);
        // and the state still exports and imports: nothing wrapped to a negative count
        assertThat(f.engine.importSnapshot(read(json(f.engine.export())), ImportMode.REPLACE)).isEqualTo(3);
    }

    @Test
    void timesAfterTheClockAreRefused() throws IOException {
        Instant now = f.clock.instant();
        String later = now.plusSeconds(1).toString();
        refused(w -> ((ObjectNode) w.get(2).get("recentPenalties").get(0)).put("at", later),
                "worker 'w-2' (workers[2]): recentPenalties[0].at " + later + " is after the engine's clock, " + now);
        refused(w -> ((ObjectNode) w.get(1).get("pastBans").get(0)).put("liftedAt", later),
                "worker 'w-1' (workers[1]): pastBans[0].liftedAt " + later + " is after the engine's clock, " + now);
        refused(w -> {
            ObjectNode ban = (ObjectNode) w.get(1).get("pastBans").get(0);
            ban.put("bannedAt", later);
            ban.put("liftedAt", later);
        }, "worker 'w-1' (workers[1]): pastBans[0].bannedAt " + later + " is after the engine's clock, " + now);
        refused(w -> w.get(0).set("currentBan", MAPPER.createObjectNode().put("workerId", "w-0")
                .put("reason", "later").put("automatic", false).put("bannedAt", later).putNull("until")
                .putNull("liftedAt").putNull("liftReason")),
                "worker 'w-0' (workers[0]): currentBan.bannedAt " + later + " is after the engine's clock, " + now);
    }

    @Test
    void inconsistentBansAreRefused() throws IOException {
        refused(w -> {
            ObjectNode ban = (ObjectNode) w.get(1).get("pastBans").get(0);
            ban.put("liftedAt", Instant.parse(ban.get("bannedAt").textValue()).minusSeconds(60).toString());
        }, "worker 'w-1' (workers[1]): pastBans[0].liftedAt 2025-12-31T23:59:00Z must not be before "
                + "pastBans[0].bannedAt 2026-01-01T00:00:00Z");
        refused(w -> ((ObjectNode) w.get(1).get("pastBans").get(0)).putNull("liftReason"),
                "worker 'w-1' (workers[1]): pastBans[0].liftedAt and pastBans[0].liftReason must be both present "
                        + "or both absent");
        refused(w -> w.get(1).set("currentBan", w.get(1).get("pastBans").get(0).deepCopy()),
                "worker 'w-1' (workers[1]): currentBan.liftedAt must be null: a lifted ban is one of pastBans");
        refused(w -> w.get(0).set("currentBan", MAPPER.createObjectNode().put("workerId", "w-0")
                .put("reason", "for ever and ever").put("automatic", false).put("bannedAt", "2026-01-01T00:00:00Z")
                .put("until", "+10000-01-01T00:00:00Z").putNull("liftedAt").putNull("liftReason")),
                "worker 'w-0' (workers[0]): currentBan.until must be before +10000-01-01T00:00:00Z, was "
                        + "+10000-01-01T00:00:00Z");
    }

    @Test
    void escapeSequencesInALiftReasonAreRefused() throws IOException {
        // ESC ] 0 ; title BEL: sets the title of the operator's terminal window; ESC [ 2 J clears it
        refused(w -> ((ObjectNode) w.get(1).get("pastBans").get(0)).put("liftReason", "ok\u001b]0;pwned\u0007\u001b[2J"),
                "worker 'w-1' (workers[1]): pastBans[0].liftReason must not contain control characters "
                        + "(found U+001B at index 2)");
        refused(w -> ((ObjectNode) w.get(1).get("pastBans").get(0)).put("liftReason", "x".repeat(1025)),
                "worker 'w-1' (workers[1]): pastBans[0].liftReason is 1025 characters long, at most 1024 allowed");
    }

    @Test
    void theBoundsAreWellBelowWhatWraps() {
        assertThat((long) WorkerRecord.MAX_MALICIOUS_REPORTS).isLessThan(Integer.MAX_VALUE / 2);
        assertThat((long) SnapshotRules.MAX_COUNT).isLessThan(Integer.MAX_VALUE / 2);
        assertThat(SnapshotRules.MAX_JOBS).isLessThan(1L << 53); // exact as a double, as policies compute
    }

    // ---------------------------------------------------------------- helpers

    /** The export with one change, read back as warden:import reads a file; the import must be refused. */
    private void refused(Consumer<Workers> change, String message) throws IOException {
        Snapshot bad = read(changed(change));
        for (ImportMode mode : ImportMode.values()) {
            assertThatThrownBy(() -> f.engine.importSnapshot(bad, mode))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
            assertThat(f.engine.export().workers()).as("nothing changed").isEqualTo(before.workers());
        }
    }

    private String changed(Consumer<Workers> change) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(exported);
        change.accept(i -> (ObjectNode) root.get("workers").get(i));
        return MAPPER.writeValueAsString(root);
    }

    /** The i-th worker of the file, to change. */
    @FunctionalInterface
    private interface Workers {
        ObjectNode get(int index);
    }

    private static Snapshot read(String json) {
        return SnapshotReader.parse("export.json", json);
    }

    private static String json(Snapshot snapshot) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(snapshot, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
