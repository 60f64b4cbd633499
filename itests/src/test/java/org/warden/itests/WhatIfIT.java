package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.whatif.WhatIfReport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code warden:whatif} as an operator runs it (issue 16): the demo plays a short scenario under the {@code default}
 * policy and stops; {@code warden:whatif strict --since 1h} then replays that history under {@code strict} and lists
 * the workers strict would have banned that default did not (honest ones it would have ejected, adversaries it
 * would have caught), the recorded auctions ranked again, and a baseline that reproduces the live engine; and the
 * live state is exactly as before (the console export before and after equal, the policy in force and the pending
 * bans unchanged). A viewer may not run it; an unknown policy is refused with one {@code Error:} line.
 *
 * <p>The demo plays a scenario file of {@value #JOBS} jobs (the shipped population, fewer jobs) and then stops by
 * itself, so nothing changes the live state while the exports are compared. The ban budget is lifted: strict's extra
 * bans are then bans, not pending ones, on both sides.
 */
public class WhatIfIT extends ShellTestSupport {

    private static final int JOBS = 10_000;
    /** The scenario file, relative to {@code ${karaf.data}} as the demo's {@code scenario} setting takes it. */
    private static final String SCENARIO = "warden/whatif-demo.json";
    /** The demo at 1000 jobs a second on a loaded machine, and a replay of its history: more than {@link #WAIT}. */
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final Set<String> HONEST_GROUPS = Set.of("honest", "flaky", "slow");
    private static final Set<String> ADVERSARY_GROUPS = Set.of("malicious", "on-off", "whitewasher", "cheap-bidder",
            "health-spoofer");

    private HealthService health;
    private ReputationService reputation;
    private PenaltyService penalties;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                KarafDistributionOption.editConfigurationFilePut("etc/org.warden.engine.cfg", "banBudgetShare", "1.0"),
                KarafDistributionOption.editConfigurationFilePut("etc/org.warden.demo.cfg", "scenario", SCENARIO),
                KarafDistributionOption.editConfigurationFilePut("etc/org.warden.demo.cfg", "jobsPerSecond", "1000"));
    }

    @Before
    public void strictInstalledDefaultPinned() throws Exception {
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        installAndAssertFeature("warden-policy-strict");
        awaitCommands("whatif", "export", "policy-use");
        assertStartsWith("Pinned to default (policy=default); in force: default",
                ok("warden:policy-use default", ADMIN));
    }

    @Test
    public void strictOverTheDemosHourShowsItsBansAndChangesNothingLive() throws Exception {
        writeScenario();
        installAndAssertFeature("warden-demo");
        await("command warden:demo registered").atMost(WAIT)
                .until(() -> sessionFactory.getRegistry().getCommand("warden", "demo") != null);
        await("the demo plays its " + JOBS + " jobs and stops").atMost(LONG).pollInterval(Duration.ofSeconds(1))
                .until(() -> ok("warden:demo --no-format", VIEWER),
                        out -> "false".equals(row(out, "running").orElseThrow()[1]));
        String demo = ok("warden:demo --no-format", VIEWER);
        assertEquals(demo, Integer.toString(JOBS), row(demo, "jobs").orElseThrow()[1]);
        assertEquals(demo, "0", row(demo, "failedCalls").orElseThrow()[1]);
        assertTrue("workers known", reputation.workerIds().size() >= 150);

        Map<String, JsonNode> before = exported();
        List<?> pendingBefore = penalties.pendingBans();

        Result json = execute("warden:whatif strict --since 1h --json", LONG, ADMIN);
        assertNull("threw: " + json.failure(), json.failure());
        assertNull("refused: " + json.refusal(), json.refusal());
        assertEquals("", json.err());
        WhatIfReport report = mapper().readValue(json.out(), WhatIfReport.class);

        assertEquals("strict", report.policy());
        assertEquals("default", report.livePolicy());
        assertEquals(Map.of(), report.overrides());
        assertTrue("the store was created with this container: nothing compacted", report.historyComplete());
        assertEquals("the baseline replay reproduces the live engine", 0, report.baselineMismatches());
        assertTrue(report.from() + " to " + report.to(), !report.from().isAfter(report.to()));
        assertTrue("entries replayed: " + report.entriesReplayed(), report.entriesReplayed() > JOBS);
        assertTrue("workers: " + report.workers(), report.workers() >= 150);
        assertTrue("auctions: " + report.auctions(), report.auctions().recorded() > 0
                && report.auctions().recorded() <= JOBS);
        assertTrue("auctions: " + report.auctions(),
                report.auctions().noEligibleRecorded() <= report.auctions().recorded()
                && report.auctions().topChoiceDiffers() <= report.auctions().recorded());

        // strict bans sooner (one malicious report, five failures in a row): workers default did not ban
        assertFalse("strict bans some worker default did not: " + report, report.bansAdded().isEmpty());
        Set<String> honestEjected = new TreeSet<>();
        Set<String> adversariesCaught = new TreeSet<>();
        for (WhatIfReport.BanDifference ban : report.bansAdded()) {
            String group = group(ban.workerId());
            assertTrue(ban.workerId() + " is one of the demo's workers", HONEST_GROUPS.contains(group)
                    || ADVERSARY_GROUPS.contains(group));
            assertTrue(ban + " within the window", !ban.at().isBefore(report.from()) && !ban.at().isAfter(report.to()));
            assertFalse(ban + " has a reason", ban.reason() == null || ban.reason().isBlank());
            (HONEST_GROUPS.contains(group) ? honestEjected : adversariesCaught).add(ban.workerId());
        }
        System.out.println("strict would have ejected honest workers " + honestEjected + " and caught adversaries "
                + adversariesCaught);
        assertTrue("largest movers listed, at most " + WhatIfReport.MOVERS, !report.largestMovers().isEmpty()
                && report.largestMovers().size() <= WhatIfReport.MOVERS);
        assertEquals(report.workers(), report.reputationShift().count());

        // the same as the operator reads it
        Result text = execute("warden:whatif strict --since 1h", LONG, ADMIN);
        transcript("warden:whatif strict --since 1h", text);
        assertNull(text.failure());
        assertNull(text.refusal());
        assertStartsWith("What-if strict against default (the policy in force)\n", text.out());
        assertTrue(text.out(), text.out().contains("Bans added (strict bans, default does not): "
                + report.bansAdded().size() + "\n"));

        // nothing live changed: every worker as exported before, the same policy, the same pending bans
        assertEquals(before, exported());
        assertEquals("default", health.networkHealth().policyName());
        assertEquals(pendingBefore, penalties.pendingBans());
    }

    @Test
    public void anUnknownPolicyIsRefused() throws Exception {
        refused("warden:whatif lenient --since 1h", ADMIN,
                "Error: unknown policy 'lenient'; installed: default, strict");
        refused("warden:whatif --since 400d strict", ADMIN, "Error: since must be at most 366d, was 400d");
        refused("warden:whatif strict --config novalue", ADMIN, "Error: --config must be key=value, was 'novalue'");
    }

    @Test
    public void aViewerMayNotRunIt() throws Exception {
        awaitCommandAcl();
        Result result = execute("warden:whatif strict", VIEWER);
        assertTrue("a viewer's whatif must be refused by the shell's ACL, was " + result.failure(),
                result.failure() != null && "Command not found: warden:whatif".equals(result.failure().getMessage()));
        assertEquals("", result.out());
    }

    // ---------------------------------------------------------------- helpers

    /** The shipped demo population with {@link #JOBS} jobs, under {@code ${karaf.data}} where the demo reads it. */
    private static void writeScenario() throws Exception {
        Path file = Path.of(System.getProperty("karaf.data")).resolve(SCENARIO);
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"name": "whatif", "seed": 42, "jobs": %d, "biddersPerJob": 8, "verificationRate": 0.3,
                 "groups": [
                   {"name": "honest", "count": 144, "behaviour": "honest"},
                   {"name": "flaky", "count": 18, "behaviour": "flaky"},
                   {"name": "slow", "count": 18, "behaviour": "slow"},
                   {"name": "malicious", "count": 4, "behaviour": "malicious"},
                   {"name": "on-off", "count": 4, "behaviour": "on-off"},
                   {"name": "whitewasher", "count": 4, "behaviour": "whitewasher"},
                   {"name": "cheap-bidder", "count": 4, "behaviour": "cheap-bidder"},
                   {"name": "health-spoofer", "count": 4, "behaviour": "health-spoofer"}]}
                """.formatted(JOBS));
    }

    /** A demo worker's group: its id is {@code <group>-<index>}, a whitewasher's new identity {@code ...-rN}. */
    private static String group(String workerId) {
        String id = workerId.replaceFirst("-r\\d+$", "");
        return id.substring(0, id.lastIndexOf('-'));
    }

    /** Every worker of {@code warden:export} (to the console) by id; no transcript (200 workers of JSON). */
    private Map<String, JsonNode> exported() throws Exception {
        Result export = execute("warden:export", VIEWER);
        assertNull(export.failure());
        assertNull(export.refusal());
        return WorkerSnapshots.workersById(mapper().readTree(export.out()));
    }
}
