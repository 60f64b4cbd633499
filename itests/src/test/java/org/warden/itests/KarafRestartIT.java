package org.warden.itests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.After;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.ErrorCollector;
import org.junit.rules.RuleChain;
import org.junit.rules.TestWatcher;
import org.junit.rules.Timeout;
import org.junit.runner.Description;

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
 * <li>the workers are as exported before the crash, field by field (but for the export's own time), the ban is in
 * force and the penalty there: that is Warden's durable store (PID {@code org.warden.store}, H2 under
 * {@code data/warden/} by default). These checks are collected, so a failure lists every one that failed.</li>
 * </ul>
 * Imports, penalties and bans are committed synchronously by the store (only job outcomes and health reports may be
 * asynchronous), so nothing waits for the store before the crash.
 *
 * <p>Karaf resolves {@code mvn:} URLs offline as in {@link WardenTestSupport}: its {@code system} folder, this build's
 * {@code target/itest-repo}, then the local repository; no remote repository, and no snapshot updates (another build
 * installing Warden in the local repository meanwhile must not update the bundles of this Karaf under the test).
 * Ports (SSH, RMI registry and server) are free ones, the same for both starts. Unix only (tar, the bin/ scripts).
 *
 * <p>Run it alone: {@code mvn -B -o -pl itests verify -Dit.test=KarafRestartIT} (after {@code mvn install}). Karaf's
 * folder stays in {@code target/karaf-restart} for a look afterwards; on failure the test output (Failsafe's
 * {@code target/failsafe-reports/*-output.txt}) has the tail of {@code data/log/karaf.log}.
 */
public class KarafRestartIT {

    /** Longest wait for Karaf to boot and Warden's commands to answer (the first boot installs every bundle). */
    private static final Duration BOOT_WAIT = Duration.ofSeconds(180);
    /** Longest a single bin/client call may take. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Longest wait for anything else: the pin in force, a process gone. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String USER = "karaf";
    private static final String PASSWORD = "karaf";
    private static final String PINNED = "strict";
    private static final String PIN_TARGET = "(warden.policy.name=" + PINNED + ")";

    private static final String STEADY = "restart-steady";
    private static final String PENALIZED = "restart-penalized";
    private static final String BANNED = "restart-banned";
    private static final String PENALTY_REASON = "took too long";
    private static final String BAN_REASON = "crashed the test";

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final int LOG_TAIL_LINES = 200;

    /** The store's checks: collected, so a failure reports all that failed (Warden's store, not Karaf's). */
    private final ErrorCollector storeChecks = new ErrorCollector();

    private final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            dumpLogs();
        }
    };

    @Rule
    public final RuleChain rules = RuleChain.outerRule(logsOnFailure)
            .around(Timeout.builder().withTimeout(420, TimeUnit.SECONDS).withLookingForStuckThread(true).build())
            .around(storeChecks);

    private final ObjectMapper mapper = new ObjectMapper();

    private Path runDir;
    private Path home;
    private int sshPort;
    /** bin/karaf of the running Karaf (read by the shutdown hook too). */
    private volatile Process karaf;
    private Thread killOnExit;

    /** What bin/client printed (stdout and stderr together, as the client writes both to its terminal) and its exit code. */
    private record ClientResult(int exit, String out) {
    }

    @Test
    public void stateRecordedBeforeAKill9IsThereAfterTheRestart() throws Exception {
        Assume.assumeFalse("bin/karaf and tar: Unix only", System.getProperty("os.name").toLowerCase().startsWith("windows"));
        long t0 = System.nanoTime();
        unpackAndConfigure();
        long t1 = System.nanoTime();

        // ---- first start: record state
        startKaraf();
        awaitWarden();
        long t2 = System.nanoTime();

        assertCommand("feature:install warden-policy-strict");
        String pin = assertCommand("warden:policy-use " + PINNED);
        assertTrue(pin, pin.startsWith("Pinned to " + PINNED + " (policy.target=" + PIN_TARGET + "); in force: " + PINNED));
        // Config Admin has the pin at once; fileinstall writes it back to etc/ asynchronously: wait for that, so
        // the crash does not race fileinstall (Karaf's behaviour, not Warden's).
        Path engineCfg = home.resolve("etc/org.warden.engine.cfg");
        await("policy.target written back to " + engineCfg).atMost(WAIT)
                .until(() -> cfgValue(engineCfg, "policy.target"), PIN_TARGET::equals);

        Path snapshot = runDir.resolve("restart-workers.json");
        Files.writeString(snapshot, snapshotJson());
        assertEquals("Imported 3 workers (merge)", assertCommand("warden:import \"" + snapshot + "\"").strip());
        assertEquals("Penalized " + PENALIZED + ": job_timeout, severity 0.400",
                assertCommand("warden:penalize " + PENALIZED + " job_timeout 0.4 " + PENALTY_REASON).strip());
        assertEquals("Banned " + BANNED + " for good", assertCommand("warden:ban " + BANNED + " " + BAN_REASON).strip());

        JsonNode before = json("warden:export");
        Map<String, JsonNode> workersBefore = workersById(before);
        assertEquals(List.of(BANNED, PENALIZED, STEADY), List.copyOf(workersBefore.keySet()));
        assertTrue("banned before the crash: " + workersBefore.get(BANNED), workersBefore.get(BANNED).get("currentBan").isObject());
        assertEquals(1, workersBefore.get(PENALIZED).get("penaltyCounts").get("JOB_TIMEOUT").intValue());
        assertEquals("banned", json("warden:worker --json " + BANNED).get("state").textValue());
        long t3 = System.nanoTime();

        // ---- crash: SIGKILL, nothing of Karaf's shutdown runs
        kill9();
        long t4 = System.nanoTime();

        // ---- restart in the same folder, same ports, not clean
        startKaraf();
        awaitWarden();
        long t5 = System.nanoTime();

        // Karaf's own durable state: the strict policy's feature and the engine's configuration.
        await("the pinned policy " + PINNED + " in force after the restart").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode policies = json("warden:policies --json");
                    assertEquals(PIN_TARGET, policies.get("policyTarget").textValue());
                    assertEquals(PINNED, policies.get("policyInForce").textValue());
                    assertFalse(policies.get("fallbackActive").booleanValue());
                });
        assertEquals(PIN_TARGET, assertCommand("config:property-get -p org.warden.engine policy.target").strip());
        assertEquals(PIN_TARGET, cfgValue(engineCfg, "policy.target"));

        // Warden's durable store: every worker as before the crash, the ban in force, the penalty there.
        storeChecks.checkSucceeds(() -> {
            Map<String, JsonNode> workersAfter = workersById(json("warden:export"));
            assertEquals("the workers after the restart", workersBefore.keySet(), workersAfter.keySet());
            for (Map.Entry<String, JsonNode> w : workersBefore.entrySet()) {
                assertEquals("worker " + w.getKey() + " after the restart, as exported before the crash",
                        w.getValue(), workersAfter.get(w.getKey()));
            }
            return null;
        });
        storeChecks.checkSucceeds(() -> {
            JsonNode banned = json("warden:worker --json " + BANNED);
            assertEquals("the state of " + BANNED + ": " + banned, "banned", banned.path("state").textValue());
            JsonNode ban = banned.path("reputation").path("ban");
            assertEquals("the ban of " + BANNED + ": " + banned, BAN_REASON, ban.path("reason").textValue());
            assertTrue("a ban for good: " + ban, ban.path("until").isNull());
            assertTrue("the ban is not lifted: " + ban, ban.path("liftedAt").isNull());
            return null;
        });
        storeChecks.checkSucceeds(() -> {
            JsonNode penalized = json("warden:worker --json " + PENALIZED);
            assertEquals(penalized.toString(), 1, penalized.path("reputation").path("penaltyCount").intValue());
            JsonNode penalty = penalized.path("penalties").path(0);
            assertFalse("a penalty: " + penalized, penalty.isMissingNode());
            assertEquals("JOB_TIMEOUT", penalty.path("type").textValue());
            assertEquals(PENALTY_REASON, penalty.path("reason").textValue());
            return null;
        });
        storeChecks.checkSucceeds(() -> {
            JsonNode network = json("warden:network --json");
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
            long t = System.nanoTime();
            stop(karaf.toHandle());
            System.out.printf("Karaf stopped in %.1f s%n", secs(t, System.nanoTime()));
            karaf = null;
        }
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs
            }
            killOnExit = null;
        }
    }

    // ---------------------------------------------------------------- the distribution

    private void unpackAndConfigure() throws Exception {
        String distribution = required("warden.karaf.distribution");
        String version = required("warden.version");
        String itestRepository = new File(required("warden.itest.repo")).toURI().toString();
        String localRepository = required("warden.local.repo");
        runDir = Path.of(required("project.build.directory"), "karaf-restart");
        deleteTree(runDir);
        home = runDir.resolve("karaf");
        Files.createDirectories(home);
        Process tar = new ProcessBuilder("tar", "-xzf", distribution, "-C", home.toString(), "--strip-components=1")
                .redirectErrorStream(true).redirectOutput(runDir.resolve("tar.log").toFile()).start();
        assertTrue("tar -xzf " + distribution + " took too long", tar.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("tar -xzf " + distribution + ": " + Files.readString(runDir.resolve("tar.log")), 0, tar.exitValue());
        assertTrue(home.resolve("bin/karaf") + " should be there", Files.isExecutable(home.resolve("bin/karaf")));

        Path etc = home.resolve("etc");
        // Boot with this build's Warden, as an operator who adds its features repository and boot feature.
        Path features = etc.resolve("org.apache.karaf.features.cfg");
        editCfg(features, "featuresRepositories", v -> required(v, "featuresRepositories")
                + ", mvn:org.warden/warden-karaf-feature/" + version + "/xml/features");
        editCfg(features, "featuresBoot", v -> required(v, "featuresBoot") + ", warden");
        editCfg(features, "updateSnapshots", v -> "none");

        // Offline Maven resolution (as WardenTestSupport): the system folder, this build's artifacts, the local repository.
        Path mvn = etc.resolve("org.ops4j.pax.url.mvn.cfg");
        editCfg(mvn, "org.ops4j.pax.url.mvn.localRepository", v -> localRepository);
        editCfg(mvn, "org.ops4j.pax.url.mvn.defaultRepositories",
                v -> "${karaf.home.uri}system@id=system.repository@snapshots, " + itestRepository + "@id=warden.itest@snapshots");
        editCfg(mvn, "org.ops4j.pax.url.mvn.repositories", v -> "");

        // Free ports, the same for both starts.
        int[] ports = freePorts(3);
        sshPort = ports[0];
        editCfg(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", v -> Integer.toString(ports[0]));
        editCfg(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", v -> Integer.toString(ports[1]));
        editCfg(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", v -> Integer.toString(ports[2]));

        // Karaf 4.4.10 ships its karaf user and admingroup commented out: enable them, for bin/client.
        Path users = etc.resolve("users.properties");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(users)) {
            lines.add(line.startsWith("#karaf =") || line.startsWith("#_g_\\:admingroup =") ? line.substring(1) : line);
        }
        Files.write(users, lines);
        assertTrue(users + " should give the karaf user", lines.contains("karaf = karaf,_g_:admingroup"));
        assertTrue(users + " should give admingroup admin and ssh",
                lines.stream().anyMatch(l -> l.startsWith("_g_\\:admingroup =") && l.contains("admin") && l.contains("ssh")));
        System.out.println("Karaf in " + home + ", SSH port " + ports[0] + ", RMI ports " + ports[1] + " and " + ports[2]);
    }

    /** Starts {@code bin/karaf server} (no local console), its output appended to {@code karaf-console.log}. */
    private void startKaraf() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("karaf-console.log").toFile()));
        environment(builder);
        karaf = builder.start();
        karaf.getOutputStream().close();
        if (killOnExit == null) {
            // Should this JVM be ended (Failsafe's fork timeout) before @After: no Karaf left running.
            killOnExit = new Thread(() -> {
                Process p = karaf;
                if (p != null) {
                    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }, "kill Karaf of KarafRestartIT");
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
    }

    /** Until {@code warden:network} answers over SSH: Karaf booted, its boot features installed, Warden's commands there. */
    private void awaitWarden() {
        await("Karaf up and warden:network answering over SSH").atMost(BOOT_WAIT)
                .pollDelay(Duration.ofSeconds(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!karaf.isAlive()) {
                        throw new AssertionError("Karaf exited with " + karaf.exitValue() + " while booting");
                    }
                    ClientResult r = client("warden:network");
                    return r.exit() == 0 && r.out().contains("policyName");
                });
    }

    /**
     * {@code kill -9}: bin/karaf runs Java as its child (it execs it only for {@code daemon}); SIGKILL every descendant
     * (the JVM) first, then the script, and wait until all are gone.
     */
    private void kill9() {
        ProcessHandle script = karaf.toHandle();
        List<ProcessHandle> descendants = script.descendants().toList();
        assertTrue("bin/karaf should have a java process under it: " + describe(descendants),
                descendants.stream().anyMatch(p -> p.info().command().orElse("").endsWith("java")));
        List<ProcessHandle> all = Stream.concat(descendants.stream(), Stream.of(script)).toList();
        String killed = describe(all);
        descendants.forEach(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
        await("Karaf's processes gone after SIGKILL").atMost(WAIT)
                .until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        System.out.println("Killed -9: " + killed);
        karaf = null;
    }

    /** Stops Karaf: SIGTERM to the JVM (Karaf's shutdown hook stops the framework) and the script; SIGKILL if it lingers. */
    private static void stop(ProcessHandle script) {
        List<ProcessHandle> all = Stream.concat(script.descendants(), Stream.of(script)).toList();
        all.forEach(ProcessHandle::destroy);
        try {
            await("Karaf stopped").atMost(WAIT).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        } catch (RuntimeException e) {
            System.out.println("Karaf did not stop within " + WAIT + ": SIGKILL " + describe(all));
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList().toString();
    }

    private void dumpLogs() {
        if (home == null) {
            return;
        }
        for (Path log : List.of(home.resolve("data/log/karaf.log"), runDir.resolve("karaf-console.log"))) {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                System.out.println("==== last " + LOG_TAIL_LINES + " lines of " + log + " (" + lines.size() + " lines)");
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("==== " + log + ": " + e);
            }
        }
    }

    // ---------------------------------------------------------------- the shell, over SSH

    /**
     * Runs a command through {@code bin/client -b} (batch: the command on its standard input). Without {@code -b} the
     * client closes the session as soon as its own standard input ends. Note that, over SSH, what a command prints on
     * System.err (Warden's one-line {@code Error: ...}) does not reach the client in Karaf 4.4.10: a refused Warden
     * command shows as missing output, with exit code 0.
     */
    private ClientResult client(String command) throws Exception {
        Path out = runDir.resolve("client-output.txt");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-b",
                "-h", "127.0.0.1", "-a", Integer.toString(sshPort), "-u", USER, "-p", PASSWORD)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        environment(builder);
        Process p = builder.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((command + "\n").getBytes(UTF_8));
        }
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("bin/client \"" + command + "\" took more than " + COMMAND_TIMEOUT);
        }
        return new ClientResult(p.exitValue(), ANSI.matcher(Files.readString(out, UTF_8)).replaceAll(""));
    }

    /** Runs a command that must succeed (exit code 0); what it printed. */
    private String assertCommand(String command) throws Exception {
        ClientResult r = client(command);
        assertEquals(command + " printed: " + r.out(), 0, r.exit());
        return r.out();
    }

    /** Runs a command that prints JSON. */
    private JsonNode json(String command) throws Exception {
        String out = assertCommand(command);
        if (out.isBlank()) {
            throw new AssertionError(command + " printed nothing (its error, if any, is lost over SSH: an unknown worker?)");
        }
        try {
            return mapper.readTree(out);
        } catch (IOException e) {
            throw new AssertionError(command + " did not print JSON: " + out, e);
        }
    }

    /** The workers of a {@code warden:export} by id (the export's own {@code exportedAt} left out). */
    private static Map<String, JsonNode> workersById(JsonNode export) {
        assertEquals(1, export.get("format").intValue());
        Map<String, JsonNode> workers = new TreeMap<>();
        for (JsonNode w : export.get("workers")) {
            workers.put(w.get("workerId").textValue(), w);
        }
        return workers;
    }

    /** bin/karaf and bin/client with the JVM running this test, and no Karaf location inherited from the caller. */
    private static void environment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        for (String name : List.of("KARAF_HOME", "KARAF_BASE", "KARAF_DATA", "KARAF_ETC", "KARAF_LOG", "KARAF_OPTS",
                "KARAF_DEBUG", "KARAF_EXEC", "EXTRA_JAVA_OPTS")) {
            env.remove(name);
        }
    }

    // ---------------------------------------------------------------- the snapshot imported

    /** Three workers in warden:export's format (1), dated in the past: steady, to be penalized, to be banned. */
    private static String snapshotJson() {
        return """
                {"format": 1, "exportedAt": "2025-06-01T12:00:00Z", "workers": [%s, %s, %s]}
                """.formatted(worker(STEADY, 12, 1), worker(PENALIZED, 5, 3), worker(BANNED, 7, 0));
    }

    private static String worker(String id, int completed, int failed) {
        String zeroPenalties = """
                {"JOB_TIMEOUT": %1$s, "JOB_FAILURE": %1$s, "MALICIOUS_BEHAVIOR": %1$s, "POOR_PERFORMANCE": %1$s,
                 "NETWORK_ISSUES": %1$s, "RESOURCE_ABUSE": %1$s, "INVALID_RESULT": %1$s, "SPAM": %1$s, "BAN": %1$s}""";
        return """
                {"workerId": "%1$s",
                 "firstSeen": "2025-06-01T10:00:00Z", "lastSeen": "2025-06-01T11:00:00Z",
                 "lastJobAt": "2025-06-01T11:00:00Z", "decayedAt": "2025-06-01T11:00:00Z",
                 "jobsCompleted": %2$d, "jobsFailed": %3$d,
                 "decayedSuccesses": {"HOUR": %2$d.0, "DAY": %2$d.0, "WEEK": %2$d.0, "MONTH": %2$d.0},
                 "decayedFailures": {"HOUR": %3$d.0, "DAY": %3$d.0, "WEEK": %3$d.0, "MONTH": %3$d.0},
                 "consecutiveSuccesses": %4$d, "consecutiveFailures": %5$d,
                 "executionTimeMs": {"count": %6$d, "mean": 1200.0, "variance": 100.0},
                 "timeToEstimateRatio": {"count": %6$d, "mean": 0.9, "variance": 0.01},
                 "resultQuality": {"count": %2$d, "mean": 0.8, "variance": 0.0},
                 "earnings": %7$d,
                 "lastHealth": {"responseTimeMs": 120, "cpuUsagePercent": 40.0, "memoryUsagePercent": 50.0,
                   "diskUsagePercent": 30.0, "networkLatencyMs": 15, "bandwidthMbps": 500.0,
                   "gpuUtilizationPercent": null, "temperatureCelsius": 55.0, "errorCount": 0},
                 "lastHealthAt": "2025-06-01T11:00:00Z",
                 "penaltyCounts": %8$s,
                 "decayedPenaltySeverity": %9$s,
                 "maliciousReports": 0, "banCount": 0, "currentBan": null, "recentPenalties": [], "pastBans": []}"""
                .formatted(id, completed, failed, failed == 0 ? completed : 0, failed == 0 ? 0 : 1, completed + failed,
                        completed * 10L, zeroPenalties.formatted("0"), zeroPenalties.formatted("0.0"));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Sets {@code key} in a Karaf {@code .cfg} file (Felix properties: a value goes on over lines ending with a
     * backslash) to {@code update} of its current value (null when absent), in place of its lines, or at the end.
     */
    static void editCfg(Path file, String key, UnaryOperator<String> update) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int[] range = cfgLines(lines, key);
        String line = key + " = " + update.apply(range == null ? null : cfgValue(lines, range, key));
        if (range == null) {
            lines.add(line);
        } else {
            lines.subList(range[0], range[1]).clear();
            lines.add(range[0], line);
        }
        Files.write(file, lines);
    }

    /** A value of a Karaf {@code .cfg} file, its lines joined; null when absent. */
    static String cfgValue(Path file, String key) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int[] range = cfgLines(lines, key);
        return range == null ? null : cfgValue(lines, range, key);
    }

    /** The lines [from, to) of the first property {@code key}, or null. */
    private static int[] cfgLines(List<String> lines, String key) {
        Pattern keyLine = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        for (int i = 0; i < lines.size(); i++) {
            if (keyLine.matcher(lines.get(i)).matches()) {
                int end = i;
                while (continues(lines.get(end)) && end + 1 < lines.size()) {
                    end++;
                }
                return new int[] { i, end + 1 };
            }
        }
        return null;
    }

    private static String cfgValue(List<String> lines, int[] range, String key) {
        StringBuilder value = new StringBuilder();
        for (int i = range[0]; i < range[1]; i++) {
            String part = lines.get(i);
            if (i == range[0]) { // what follows "key =" (or "key:")
                part = part.substring(part.indexOf(key) + key.length()).stripLeading().substring(1);
            }
            value.append(continues(part) ? part.substring(0, part.length() - 1) : part).append(' ');
        }
        return value.toString().trim().replaceAll("\\s+", " ");
    }

    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String required(String value, String what) {
        assertNotNull(what + " should be in the distribution's configuration", value);
        return value;
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + key + " is not set: run the tests with Maven (mvn verify)");
        }
        return value;
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double secs(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
