package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.After;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TestWatcher;
import org.junit.rules.Timeout;

/**
 * Warden's own distribution ({@code distribution/target/warden-distribution-VERSION.tar.gz}) as an operator runs it:
 * extracted under {@code target/distribution}, nothing changed in it but its ports, started with {@code bin/start},
 * driven by {@code bin/client} as the shipped {@code karaf} user, stopped with {@code bin/stop}.
 *
 * <ul>
 * <li>It needs no Maven repository: the first start has an empty {@code maven.repo.local} and an empty
 * {@code user.home} (so no {@code ~/.m2} either), the second a {@code maven.repo.local} that does not exist; both
 * boot with Warden and the demo distributor from {@code system/}.</li>
 * <li>The demo distributor runs: its jobs show in {@code warden:network}'s job totals.</li>
 * <li>A refused command fails: {@code bin/client} prints its one {@code Error:} line and exits non-zero.</li>
 * <li>A malformed policy name set with {@code config:property-set} is refused by Warden: the policy pinned by
 * {@code warden:policy-use} stays in force and {@code hc:exec -v warden} WARNs until the value is fixed.</li>
 * <li>A second start keeps {@code data/}: a ban made in the first run is in force in the second.</li>
 * </ul>
 * Karaf is stopped (and killed if it lingers) whatever happens. Unix only (tar, the bin/ scripts).
 *
 * <p>Run it alone: {@code mvn -B -o verify -pl itests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=DistributionIT}.
 */
public class DistributionIT {

    private static final String BANNED = "cpu-07";
    private static final String BAN_REASON = "caught forging results";

    private final TestWatcher logsOnFailure = KarafProcess.dumpLogsOnFailure(() -> Arrays.asList(this.karaf));

    @Rule
    public final RuleChain rules = RuleChain.outerRule(logsOnFailure)
            .around(Timeout.builder().withTimeout(420, TimeUnit.SECONDS).withLookingForStuckThread(true).build());

    private KarafProcess karaf;

    @After
    public void stopKaraf() throws Exception {
        if (karaf != null) {
            stop();
        }
    }

    @Test
    public void runsFromItsSystemFolderOnlyFailsRefusalsAndKeepsItsDataAcrossARestart() throws Exception {
        Assume.assumeFalse("bin/ scripts and tar: Unix only", System.getProperty("os.name").toLowerCase().startsWith("windows"));
        Path runDir = Path.of(KarafProcess.required("project.build.directory"), "distribution");
        karaf = KarafProcess.extract("distribution", runDir, Path.of(KarafProcess.required("warden.distribution")));
        Path home = karaf.home();
        assertTrue("the distribution ships Warden's engine settings",
                Files.isRegularFile(home.resolve("etc/org.warden.engine.cfg")));

        // ---- first run: no Maven repository at all
        Path emptyRepo = Files.createDirectories(runDir.resolve("empty-m2-repository"));
        Path emptyHome = Files.createDirectories(runDir.resolve("empty-home"));
        start("-Dmaven.repo.local=" + emptyRepo + " -Duser.home=" + emptyHome);
        assertWardenInForce();
        try (var files = Files.list(emptyRepo)) {
            assertEquals("nothing resolved into the empty maven.repo.local", List.of(), files.toList());
        }

        // a refusal: the command fails with its one line (bin/client prints stdout and stderr together)
        KarafProcess.ClientResult severity = karaf.client("warden:penalize gpu-01 JOB_FAILURE 1,5 r");
        assertNotEquals("exit code of a refused warden:penalize: " + severity.out(), 0, severity.exit());
        assertEquals("Error: severity must be a number in [0, 1], was 1,5", severity.out().strip());

        assertEquals("Imported 5 workers (merge)", karaf.assertCommand("warden:import demo-workers.json").strip());
        assertEquals("Banned " + BANNED + " for good", karaf.assertCommand("warden:ban " + BANNED + " " + BAN_REASON).strip());
        KarafProcess.ClientResult unknown = karaf.client("warden:ban nobody-such " + BAN_REASON);
        assertNotEquals("exit code of a ban of an unknown worker: " + unknown.out(), 0, unknown.exit());
        assertTrue(unknown.out(), unknown.out().strip().startsWith("Error: "));
        assertEquals(unknown.out(), 1, unknown.out().strip().lines().count());

        // the policy is chosen by a name Warden checks: a malformed one is refused (not handed to SCR as a filter),
        // the pinned policy stays in force and the health check WARNs until the value is fixed
        assertTrue(karaf.assertCommand("warden:policy-use default").startsWith("Pinned to default"));
        karaf.assertCommand("config:property-set -p org.warden.engine policy bad/name");
        await("the malformed policy name refused, the health check WARNing").atMost(KarafProcess.WAIT)
                .pollInterval(Duration.ofSeconds(1)).until(this::healthCheck,
                        hc -> hc.contains("WARN") && hc.contains("policy must be a policy name"));
        JsonNode policies = karaf.json("warden:policies --json");
        assertEquals(policies.toString(), "default", policies.path("policyInForce").textValue());
        assertEquals(policies.toString(), "default", policies.path("policy").textValue());
        karaf.assertCommand("config:property-set -p org.warden.engine policy default");
        await("the fixed name accepted").atMost(KarafProcess.WAIT).pollInterval(Duration.ofSeconds(1))
                .until(this::healthCheck, hc -> !hc.contains("policy must be a policy name"));
        stop();

        // ---- second run: a maven.repo.local that does not exist; data/ kept
        start("-Dmaven.repo.local=" + runDir.resolve("no-such-dir/repository"));
        assertWardenInForce();
        JsonNode banned = karaf.json("warden:worker --json " + BANNED);
        assertEquals("the ban made in the first run: " + banned, "banned", banned.path("state").textValue());
        assertEquals(BAN_REASON, banned.path("reputation").path("ban").path("reason").textValue());
        assertFalse("no maven.repo.local created", Files.exists(runDir.resolve("no-such-dir")));
    }

    /** Warden, its default policy and the demo distributor (a boot feature) answer. */
    private void assertWardenInForce() throws Exception {
        await("warden:network answering, the default policy in force").atMost(KarafProcess.BOOT_WAIT)
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    assertTrue("Karaf " + karaf.home() + " is not running", javaProcess().isPresent());
                    KarafProcess.ClientResult r = karaf.client("warden:network --json");
                    assertEquals(r.out(), 0, r.exit());
                    JsonNode network = KarafProcess.MAPPER.readTree(r.out());
                    assertEquals("default", network.path("policyName").textValue());
                    assertFalse(network.path("fallbackActive").booleanValue());
                });
        await("the demo distributor running, its jobs in warden:network's totals").atMost(KarafProcess.BOOT_WAIT)
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> totalJobs(karaf.assertCommand("warden:network --no-format")), total -> total > 0);
    }

    /**
     * {@code hc:exec -v warden} at bin/client's console (it returns its table, which the batch mode does not print),
     * its whitespace collapsed (the table wraps the check's lines).
     */
    private String healthCheck() throws Exception {
        return karaf.console("hc:exec -v warden").replaceAll("\\s+", " ");
    }

    /** The {@code totalJobs} row of {@code warden:network --no-format} (tab-separated cells). */
    private static long totalJobs(String network) {
        return network.lines().map(line -> line.split("\t"))
                .filter(cells -> cells.length == 2 && cells[0].strip().equals("totalJobs"))
                .mapToLong(cells -> Long.parseLong(cells[1].strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no totalJobs row in: " + network));
    }

    /** {@code bin/start} with these {@code EXTRA_JAVA_OPTS}; it returns once Karaf runs in the background. */
    private void start(String extraJavaOpts) throws Exception {
        assertTrue("Karaf should not be running before bin/start", javaProcess().isEmpty());
        ProcessBuilder builder = new ProcessBuilder(karaf.home().resolve("bin/start").toString())
                .directory(karaf.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(karaf.runDir().resolve("karaf-console.log").toFile()));
        KarafProcess.environment(builder);
        builder.environment().put("EXTRA_JAVA_OPTS", extraJavaOpts);
        Process start = builder.start();
        start.getOutputStream().close();
        assertTrue("bin/start did not return", start.waitFor(KarafProcess.WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("bin/start's exit code", 0, start.exitValue());
    }

    /** {@code bin/stop}, then until Karaf's JVM is gone; killed if it lingers past the wait. */
    private void stop() throws Exception {
        Optional<ProcessHandle> jvm = javaProcess();
        if (jvm.isEmpty()) {
            return;
        }
        Process stop = new ProcessBuilder(karaf.home().resolve("bin/stop").toString())
                .directory(karaf.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(karaf.runDir().resolve("karaf-console.log").toFile()))
                .start();
        stop.waitFor(KarafProcess.WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            await("Karaf's JVM gone after bin/stop").atMost(KarafProcess.BOOT_WAIT).until(() -> !jvm.get().isAlive());
        } catch (RuntimeException e) {
            System.out.println("Karaf did not stop after bin/stop: SIGKILL " + jvm.get().pid());
            jvm.get().destroyForcibly();
            throw e;
        }
    }

    /** The JVM of this test's Karaf: the one whose command line names its home. */
    private Optional<ProcessHandle> javaProcess() throws IOException {
        String marker = "-Dkaraf.home=" + karaf.home().toRealPath();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
                .findFirst();
    }
}
