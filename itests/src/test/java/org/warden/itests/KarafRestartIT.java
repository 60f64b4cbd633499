package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.ErrorCollector;
import org.junit.rules.RuleChain;
import org.junit.rules.TestWatcher;
import org.junit.rules.Timeout;

/**
 * Warden's state survives a crash of Karaf: the real distribution ({@code apache-karaf-4.4.10.tar.gz}) unpacked
 * under {@code target/karaf-restart}, booted with {@code warden} by {@code bin/karaf server} in a process of its own,
 * driven over SSH by {@code bin/client} as an operator would, killed with SIGKILL (no shutdown of any kind), and
 * started again in the same folder. Not a Pax Exam test: Pax Exam cannot restart its container.
 *
 * <p>Before the crash: {@code feature:install warden-policy-strict} and {@code warden:policy-use strict}, three
 * workers from a {@code warden:import}, a {@code warden:penalize}, a {@code warden:ban} for good, then
 * {@code warden:export}. After the restart:
 * <ul>
 * <li>the pin is in force ({@code warden:policies --json}, {@code config:property-get}, {@code etc/}): Config Admin
 * and Karaf's features state are durable without Warden's store;</li>
 * <li>the strict policy's {@code acceptableSuccessRate}, set to 0.7 and then to {@code abc} (refused, left in
 * {@code etc/}): the settings last accepted (0.7, kept in {@code data/warden/org.warden.policy.strict.properties})
 * are in force, the ERROR says so, and {@code hc:exec -v warden} WARNs naming the PID until the value is fixed;</li>
 * <li>the workers are as exported before the crash, field by field (but for the export's own time), the ban is in
 * force and the penalty there: that is Warden's durable store (PID {@code org.warden.store}, H2 under
 * {@code data/warden/} by default). These checks are collected, so a failure lists every one that failed.</li>
 * </ul>
 * Imports, penalties and bans are committed synchronously by the store (only job outcomes and health reports may be
 * asynchronous), so nothing waits for the store before the crash.
 *
 * <p>The Karaf process (unpacking, offline Maven resolution, free ports, bin/client, SIGKILL) is {@link KarafProcess}'s;
 * its ports are the same for both starts. Unix only (tar, the bin/ scripts).
 *
 * <p>Run it alone: {@code mvn -B -o -pl itests verify -Dit.test=KarafRestartIT} (after {@code mvn install}). Karaf's
 * folder stays in {@code target/karaf-restart} for a look afterwards; on failure the test output (Failsafe's
 * {@code target/failsafe-reports/*-output.txt}) has the tail of {@code data/log/karaf.log}.
 */
public class KarafRestartIT {

    /** Longest wait for anything but a boot: the pin in force. */
    private static final Duration WAIT = KarafProcess.WAIT;

    private static final String PINNED = "strict";

    /** The pinned policy's PID, and the key whose refused value must survive the restart on the good one. */
    private static final String STRICT_PID = "org.warden.policy.strict";
    private static final String STRICT_KEY = "acceptableSuccessRate";
    private static final String GOOD_VALUE = "0.7";
    private static final String FIXED_VALUE = "0.75";

    private static final String STEADY = "restart-steady";
    private static final String PENALIZED = "restart-penalized";
    private static final String BANNED = "restart-banned";
    private static final String PENALTY_REASON = "took too long";
    private static final String BAN_REASON = "crashed the test";

    /** The store's checks: collected, so a failure reports all that failed (Warden's store, not Karaf's). */
    private final ErrorCollector storeChecks = new ErrorCollector();

    private final TestWatcher logsOnFailure = KarafProcess.dumpLogsOnFailure(() -> Arrays.asList(this.karaf));

    @Rule
    public final RuleChain rules = RuleChain.outerRule(logsOnFailure)
            .around(Timeout.builder().withTimeout(420, TimeUnit.SECONDS).withLookingForStuckThread(true).build())
            .around(storeChecks);

    /** The Karaf under the test, in target/karaf-restart. */
    private KarafProcess karaf;
    private Path runDir;
    private Path home;

    @Test
    public void stateRecordedBeforeAKill9IsThereAfterTheRestart() throws Exception {
        Assume.assumeFalse("bin/karaf and tar: Unix only", System.getProperty("os.name").toLowerCase().startsWith("windows"));
        long t0 = System.nanoTime();
        runDir = Path.of(KarafProcess.required("project.build.directory"), "karaf-restart");
        karaf = KarafProcess.unpack("karaf-restart", runDir);
        home = karaf.home();
        long t1 = System.nanoTime();

        // ---- first start: record state
        karaf.start();
        karaf.awaitWarden();
        long t2 = System.nanoTime();

        karaf.assertCommand("feature:install warden-policy-strict");
        String pin = karaf.assertCommand("warden:policy-use " + PINNED);
        assertTrue(pin, pin.startsWith("Pinned to " + PINNED + " (policy=" + PINNED + "); in force: " + PINNED));
        // Config Admin has the pin at once; fileinstall writes it back to etc/ asynchronously: wait for that, so
        // the crash does not race fileinstall (Karaf's behaviour, not Warden's).
        Path engineCfg = home.resolve("etc/org.warden.engine.cfg");
        await("policy written back to " + engineCfg).atMost(WAIT)
                .until(() -> KarafProcess.cfgValue(engineCfg, "policy"), PINNED::equals);

        // A policy key set to a good value, then to one Warden refuses, left on file (the case of issue 13): the good
        // one is kept under data/warden/ when accepted, the refused one is not, and the refused one reaches etc/
        // before the crash (fileinstall writes back asynchronously).
        Path kept = home.resolve("data/warden/" + STRICT_PID + ".properties");
        karaf.assertCommand("config:property-set -p " + STRICT_PID + " " + STRICT_KEY + " " + GOOD_VALUE);
        await("the accepted " + STRICT_KEY + " kept in " + kept).atMost(WAIT)
                .until(() -> Files.isRegularFile(kept) && Files.readString(kept).contains(STRICT_KEY + "=" + GOOD_VALUE));
        karaf.assertCommand("config:property-set -p " + STRICT_PID + " " + STRICT_KEY + " abc");
        Path strictCfg = home.resolve("etc/" + STRICT_PID + ".cfg");
        await("the refused value written back to " + strictCfg).atMost(WAIT)
                .until(() -> Files.isRegularFile(strictCfg) ? KarafProcess.cfgValue(strictCfg, STRICT_KEY) : null, "abc"::equals);
        await("the refusal logged").atMost(WAIT).until(() -> karafLog().contains("Configuration " + STRICT_PID
                + " refused: " + STRICT_KEY + " must be a number, was 'abc'. The settings in force stay: "));
        assertTrue("the refused value is not kept: " + Files.readString(kept),
                Files.readString(kept).contains(STRICT_KEY + "=" + GOOD_VALUE) && !Files.readString(kept).contains("abc"));

        // warden:import reads only ${karaf.data}/warden/exports, by file name
        Path exports = Files.createDirectories(home.resolve("data").resolve("warden").resolve("exports"));
        Files.writeString(exports.resolve("restart-workers.json"), snapshotJson());
        assertEquals("Imported 3 workers (merge)", karaf.assertCommand("warden:import restart-workers.json").strip());
        assertEquals("Penalized " + PENALIZED + ": job_timeout, severity 0.400",
                karaf.assertCommand("warden:penalize " + PENALIZED + " job_timeout 0.4 " + PENALTY_REASON).strip());
        assertEquals("Banned " + BANNED + " for good", karaf.assertCommand("warden:ban " + BANNED + " " + BAN_REASON).strip());

        JsonNode before = karaf.json("warden:export");
        Map<String, JsonNode> workersBefore = WorkerSnapshots.workersById(before);
        assertEquals(List.of(BANNED, PENALIZED, STEADY), List.copyOf(workersBefore.keySet()));
        assertTrue("banned before the crash: " + workersBefore.get(BANNED), workersBefore.get(BANNED).get("currentBan").isObject());
        assertEquals(1, workersBefore.get(PENALIZED).get("penaltyCounts").get("JOB_TIMEOUT").intValue());
        assertEquals("banned", karaf.json("warden:worker --json " + BANNED).get("state").textValue());
        long t3 = System.nanoTime();

        // ---- crash: SIGKILL, nothing of Karaf's shutdown runs
        karaf.kill9();
        long t4 = System.nanoTime();

        // ---- restart in the same folder, same ports, not clean
        karaf.start();
        karaf.awaitWarden();
        long t5 = System.nanoTime();

        // Karaf's own durable state: the strict policy's feature and the engine's configuration.
        await("the pinned policy " + PINNED + " in force after the restart").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode policies = karaf.json("warden:policies --json");
                    assertEquals(PINNED, policies.get("policy").textValue());
                    assertEquals(PINNED, policies.get("policyInForce").textValue());
                    assertFalse(policies.get("fallbackActive").booleanValue());
                });
        assertEquals(PINNED, karaf.assertCommand("config:property-get -p org.warden.engine policy").strip());
        assertEquals(PINNED, KarafProcess.cfgValue(engineCfg, "policy"));

        // The strict policy's refused value survived the restart (in etc/ and Config Admin): the settings last accepted
        // are in force, the ERROR says so naming them, and the health check WARNs naming the PID until it is fixed.
        assertEquals("abc", KarafProcess.cfgValue(strictCfg, STRICT_KEY));
        await("the strict policy on the settings last accepted").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> karafLog().lines().anyMatch(line -> line.contains("Configuration " + STRICT_PID
                        + " refused: " + STRICT_KEY + " must be a number, was 'abc'. The settings last accepted (saved ")
                        // the file named as Karaf sees karaf.data, which may differ from home/data by links
                        && line.contains("/warden/" + STRICT_PID + ".properties) apply: StrictPolicySettings[")
                        && line.contains(STRICT_KEY + "=" + GOOD_VALUE + ",")));
        await("the health check WARNs naming " + STRICT_PID).atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    String hc = hcExec();
                    assertTrue("hc:exec -v warden: " + hc, hc.contains("WARN"));
                    assertTrue("hc:exec -v warden: " + hc, hc.contains("configuration " + STRICT_PID + " refused since "));
                    assertTrue("hc:exec -v warden: " + hc, hc.contains(STRICT_KEY + " must be a number, was 'abc'; the "
                            + "settings last accepted (saved "));
                });
        karaf.assertCommand("config:property-set -p " + STRICT_PID + " " + STRICT_KEY + " " + FIXED_VALUE);
        await("fixed: accepted and kept").atMost(WAIT)
                .until(() -> Files.readString(kept).contains(STRICT_KEY + "=" + FIXED_VALUE));
        await("fixed: the health check no longer names " + STRICT_PID).atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(this::hcExec, hc -> !hc.contains("configuration " + STRICT_PID));

        // Warden's durable store: every worker as before the crash, the ban in force, the penalty there.
        storeChecks.checkSucceeds(() -> {
            Map<String, JsonNode> workersAfter = WorkerSnapshots.workersById(karaf.json("warden:export"));
            assertEquals("the workers after the restart", workersBefore.keySet(), workersAfter.keySet());
            for (Map.Entry<String, JsonNode> w : workersBefore.entrySet()) {
                assertEquals("worker " + w.getKey() + " after the restart, as exported before the crash",
                        w.getValue(), workersAfter.get(w.getKey()));
            }
            return null;
        });
        storeChecks.checkSucceeds(() -> {
            JsonNode banned = karaf.json("warden:worker --json " + BANNED);
            assertEquals("the state of " + BANNED + ": " + banned, "banned", banned.path("state").textValue());
            JsonNode ban = banned.path("reputation").path("ban");
            assertEquals("the ban of " + BANNED + ": " + banned, BAN_REASON, ban.path("reason").textValue());
            assertTrue("a ban for good: " + ban, ban.path("until").isNull());
            assertTrue("the ban is not lifted: " + ban, ban.path("liftedAt").isNull());
            return null;
        });
        storeChecks.checkSucceeds(() -> {
            JsonNode penalized = karaf.json("warden:worker --json " + PENALIZED);
            assertEquals(penalized.toString(), 1, penalized.path("reputation").path("penaltyCount").intValue());
            JsonNode penalty = penalized.path("penalties").path(0);
            assertFalse("a penalty: " + penalized, penalty.isMissingNode());
            assertEquals("JOB_TIMEOUT", penalty.path("type").textValue());
            assertEquals(PENALTY_REASON, penalty.path("reason").textValue());
            return null;
        });
        storeChecks.checkSucceeds(() -> {
            JsonNode network = karaf.json("warden:network --json");
            assertEquals("warden:network totalWorkers", 3, network.path("totalWorkers").intValue());
            assertEquals("warden:network bannedWorkers", 1, network.path("bannedWorkers").intValue());
            return null;
        });
        long t6 = System.nanoTime();

        System.out.printf("KarafRestartIT timings (s): unpack+configure %.1f, first boot %.1f, record %.1f, kill -9 %.1f, "
                + "restart %.1f, checks %.1f, total %.1f%n", secs(t0, t1), secs(t1, t2), secs(t2, t3), secs(t3, t4),
                secs(t4, t5), secs(t5, t6), secs(t0, t6));
    }

    @After
    public void stopKaraf() {
        if (karaf != null) {
            karaf.stop();
        }
    }

    // ---------------------------------------------------------------- the snapshot imported

    /** Three workers in warden:export's format (1), dated in the past: steady, to be penalized, to be banned. */
    private static String snapshotJson() {
        return WorkerSnapshots.snapshot(WorkerSnapshots.worker(STEADY, 12, 1), WorkerSnapshots.worker(PENALIZED, 5, 3),
                WorkerSnapshots.worker(BANNED, 7, 0));
    }

    /**
     * {@code hc:exec -v warden} through bin/client, its whitespace collapsed: the command wraps the check's lines in
     * a table column, at spaces.
     */
    private String hcExec() throws Exception {
        return karaf.console("hc:exec -v warden").replaceAll("\\s+", " ");
    }

    /** Karaf's log so far ({@code data/log/karaf.log}). */
    private String karafLog() throws java.io.IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static double secs(long fromNanos, long toNanos) {
        return KarafProcess.secs(fromNanos, toNanos);
    }
}
