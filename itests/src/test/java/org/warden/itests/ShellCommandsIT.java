package org.warden.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;
import org.warden.api.Ban;
import org.warden.api.Bid;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.api.WorkerReputation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code warden:*} shell commands as an operator runs them: through Karaf's shell, as a subject with the
 * {@code admin} or {@code viewer} role, so the command ACL shipped with the {@code warden} feature
 * ({@code etc/org.apache.karaf.command.acl.warden.cfg}) applies (see {@link ShellTestSupport}). The state is set
 * up and checked through the services; JSON output is read back with Jackson and compared with them.
 *
 * <p>Karaf boots with {@code warden}: this class mentions Warden types in its fields. The methods share one
 * container, so each uses its own worker ids.
 */
public class ShellCommandsIT extends ShellTestSupport {

    private static final String[] COMMANDS = { "network", "workers", "worker", "penalize", "malicious", "ban", "unban",
            "explain" };

    private ReputationService reputation;
    private PenaltyService penalties;
    private HealthService health;
    private SelectionService selection;

    @Before
    public void findServicesAndCommands() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden")));
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        health = getService(HealthService.class);
        selection = getService(SelectionService.class);
        awaitCommands(COMMANDS);
    }

    @Test
    public void workersListsTheRecordedJobCounts() throws Exception {
        String worker = "shell-workers-1";
        for (int i = 0; i < 3; i++) {
            reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
        }
        reputation.recordOutcome(worker, false, 2_000, BigInteger.ZERO, null);
        WorkerReputation expected = reputation.reputation(worker).orElseThrow();

        Result result = execute("warden:workers --no-format", VIEWER);
        assertNull(result.failure());
        assertEquals("", result.err());
        String[] row = row(result.out(), worker).orElseThrow(() -> new AssertionError(worker + " not listed in\n" + result.out()));
        assertEquals(7, row.length);
        assertEquals(worker, row[0]);
        assertEquals("3", row[4]);
        assertEquals("1", row[5]);
        assertEquals("0", row[6]);
        assertTrue("reputation with three decimals: " + row[3], row[3].matches("\\d\\.\\d{3}"));
        assertEquals(expected.score(), Double.parseDouble(row[3]), 0.0015);
        assertTrue("state: " + row[1], List.of("active", "unhealthy", "inactive").contains(row[1]));

        Result one = execute("warden:worker --no-format " + worker, VIEWER);
        assertNull(one.failure());
        assertEquals("", one.err());
        assertEquals(List.of("jobsCompleted", "3"), Arrays.asList(row(one.out(), "jobsCompleted").orElseThrow()));
        assertEquals(List.of("jobsFailed", "1"), Arrays.asList(row(one.out(), "jobsFailed").orElseThrow()));

        Result network = execute("warden:network --no-format", VIEWER);
        assertNull(network.failure());
        assertEquals(List.of("policyName", "default"), Arrays.asList(row(network.out(), "policyName").orElseThrow()));
        assertEquals(List.of("fallbackActive", "false"), Arrays.asList(row(network.out(), "fallbackActive").orElseThrow()));
        // The durable store's rows: the feature's default store is H2 under karaf.data, available.
        assertEquals(List.of("storeBackend", "h2"), Arrays.asList(row(network.out(), "storeBackend").orElseThrow()));
        assertEquals(List.of("storeAvailable", "yes"), Arrays.asList(row(network.out(), "storeAvailable").orElseThrow()));
        String[] node = row(network.out(), "storeNodeId").orElseThrow();
        assertEquals(2, node.length);
        assertFalse("a node id: " + node[1], node[1].isEmpty() || node[1].equals("-"));
        assertTrue(row(network.out(), "storeBacklog").orElseThrow()[1].matches("\\d+"));
        String lastCommit = row(network.out(), "storeLastCommitAt").orElseThrow()[1];
        assertTrue("an instant or -: " + lastCommit, lastCommit.equals("-") || java.time.Instant.parse(lastCommit) != null);
    }

    @Test
    public void adminBansWithAReasonOfSeveralWordsAndUnbans() throws Exception {
        String worker = "shell-ban-1";
        reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);

        Result ban = execute("warden:ban --duration 2h " + worker + " caught forging results", ADMIN);
        assertNull(ban.failure());
        assertEquals("", ban.err());
        WorkerReputation banned = reputation.reputation(worker).orElseThrow();
        assertTrue(banned.banned());
        assertEquals("caught forging results", banned.ban().reason());
        assertEquals(java.time.Duration.ofHours(2),
                java.time.Duration.between(banned.ban().bannedAt(), banned.ban().until()));
        assertEquals("banned", row(execute("warden:workers --banned --no-format", VIEWER).out(), worker)
                .orElseThrow(() -> new AssertionError(worker + " not listed as banned"))[1]);

        Result unban = execute("warden:unban " + worker + " appeal accepted", ADMIN);
        assertNull(unban.failure());
        assertFalse(reputation.reputation(worker).orElseThrow().banned());
        assertEquals("appeal accepted", penalties.bans(worker).get(0).liftReason());
        assertTrue(row(execute("warden:workers --banned --no-format", VIEWER).out(), worker).isEmpty());
    }

    @Test
    public void badInputPrintsOneErrorLineAndChangesNothing() throws Exception {
        String worker = "shell-bad-1";
        reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
        long before = reputation.reputation(worker).orElseThrow().penaltyCount();

        Result bogus = execute("warden:penalize " + worker + " bogus 0.5 r", ADMIN);
        assertNull(bogus.failure());
        assertEquals("", bogus.out());
        assertEquals("Error: type must be one of job_timeout, job_failure, malicious_behavior, poor_performance, "
                + "network_issues, resource_abuse, invalid_result, spam, ban, was bogus\n", bogus.refusal());

        Result severity = execute("warden:penalize " + worker + " job_timeout 1.5 r", ADMIN);
        assertNull(severity.failure());
        assertEquals("Error: severity must be in [0, 1], was 1.5\n", severity.refusal());

        Result duration = execute("warden:ban -d forever " + worker + " r", ADMIN);
        assertNull(duration.failure());
        assertTrue(duration.refusal(), duration.refusal().startsWith("Error: duration must be like 30m, 2h, 7d or ISO-8601"));

        Result unknown = execute("warden:worker shell-nobody", VIEWER);
        assertNull(unknown.failure());
        assertEquals("Error: unknown worker shell-nobody\n", unknown.refusal());

        assertEquals(before, reputation.reputation(worker).orElseThrow().penaltyCount());
        assertTrue(penalties.penalties(worker).isEmpty());
        assertFalse(reputation.reputation(worker).orElseThrow().banned());

        // The same penalty, well formed, goes through (case-insensitive type, reason of several words, a job).
        Result ok = execute("warden:penalize --job job-7 " + worker + " JOB_Timeout 0.5 took far too long", ADMIN);
        assertNull(ok.failure());
        assertEquals("", ok.err());
        assertEquals(before + 1, reputation.reputation(worker).orElseThrow().penaltyCount());
        assertEquals("took far too long", penalties.penalties(worker).get(0).reason());
        assertEquals("job-7", penalties.penalties(worker).get(0).jobId());
    }

    @Test
    public void viewerMayReadButNotBan() throws Exception {
        String worker = "shell-acl-1";
        reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
        // The ACL reaches the shell through fileinstall and ConfigurationAdmin, then the shell's listener: wait.
        awaitCommandAcl();

        Result ban = execute("warden:ban " + worker + " not allowed", VIEWER);
        // Karaf's secured shell hides a command from a subject without the role: Gogo reports it as not found
        // (the same command is found for an admin, see the other tests).
        assertTrue("a viewer's ban must be refused by the shell's ACL, was " + ban.failure(),
                ban.failure() != null && "Command not found: warden:ban".equals(ban.failure().getMessage()));
        assertFalse(reputation.reputation(worker).orElseThrow().banned());
        assertTrue(penalties.bans(worker).isEmpty());
        for (String command : List.of("penalize " + worker + " spam 0.5 not allowed", "malicious " + worker + " not allowed")) {
            Result refused = execute("warden:" + command, VIEWER);
            String name = command.substring(0, command.indexOf(' '));
            assertTrue("a viewer's " + name + " must be refused, was " + refused.failure(), refused.failure() != null
                    && ("Command not found: warden:" + name).equals(refused.failure().getMessage()));
        }
        assertTrue(penalties.penalties(worker).isEmpty());
        assertEquals(0, reputation.reputation(worker).orElseThrow().maliciousReports());

        Result read = execute("warden:workers --no-format", VIEWER);
        assertNull(read.failure());
        assertTrue(row(read.out(), worker).isPresent());

        // With the ACL in force, an admin still may.
        Result adminBan = execute("warden:ban " + worker + " admin decision", ADMIN);
        assertNull(adminBan.failure());
        assertTrue(reputation.reputation(worker).orElseThrow().banned());

        Result unban = execute("warden:unban " + worker + " not allowed", VIEWER);
        assertTrue("a viewer's unban must be refused, was " + unban.failure(), unban.failure() != null
                && "Command not found: warden:unban".equals(unban.failure().getMessage()));
        assertTrue(reputation.reputation(worker).orElseThrow().banned());
        assertNull(execute("warden:unban " + worker + " admin decision", ADMIN).failure());
        assertFalse(reputation.reputation(worker).orElseThrow().banned());
    }

    @Test
    public void jsonOutputReadsBackAsTheServicesValues() throws Exception {
        String worker = "shell-json-1";
        health.reportHealth(worker, Fixtures.FIT);
        reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
        reputation.recordOutcome(worker, true, 1_200, BigInteger.valueOf(100), 0.8);
        reputation.recordOutcome(worker, false, 3_000, BigInteger.ZERO, null);
        penalties.applyPenalty(worker, PenaltyType.JOB_TIMEOUT, 0.25, "late", "job-j1");
        penalties.ban(worker, "json test", java.time.Duration.ofHours(1));
        ObjectMapper mapper = mapper();

        // warden:worker --json: {state, reputation, health, eligibility, penalties, bans} of API values
        JsonNode one = mapper.readTree(ok("warden:worker --json " + worker, VIEWER));
        WorkerReputation expected = reputation.reputation(worker).orElseThrow();
        WorkerReputation rep = mapper.treeToValue(one.get("reputation"), WorkerReputation.class);
        assertEquals(worker, rep.workerId());
        assertEquals(2, rep.jobsCompleted());
        assertEquals(1, rep.jobsFailed());
        assertEquals(expected.penaltyCount(), rep.penaltyCount());
        assertEquals(2, rep.penaltyCount()); // the job timeout, and the ban (recorded as a BAN penalty)
        assertEquals(expected.maliciousReports(), rep.maliciousReports());
        assertTrue(rep.banned());
        assertEquals(expected.ban(), rep.ban());
        assertEquals(expected.firstSeen(), rep.firstSeen());
        assertEquals(expected.score(), rep.score(), 1e-6);
        assertEquals(expected.breakdown().components().size(), rep.breakdown().components().size());
        assertEquals("banned", one.get("state").asText());
        assertFalse(one.get("eligibility").get("eligible").asBoolean());
        assertEquals(reputation.eligibility(worker).reason(), one.get("eligibility").get("reason").asText());
        assertEquals(health.health(worker).orElseThrow().lastReport().toString(), one.get("health").get("lastReport").asText());
        assertEquals(Fixtures.FIT.responseTimeMs(), one.get("health").get("metrics").get("responseTimeMs").asLong());
        assertEquals(2, one.get("penalties").size()); // newest first
        assertEquals("BAN", one.get("penalties").get(0).get("type").asText());
        assertEquals("JOB_TIMEOUT", one.get("penalties").get(1).get("type").asText());
        assertEquals("job-j1", one.get("penalties").get(1).get("jobId").asText());
        assertEquals(0.25, one.get("penalties").get(1).get("severity").asDouble(), 0);
        assertEquals(penalties.penalties(worker).get(1),
                mapper.treeToValue(one.get("penalties").get(1), org.warden.api.Penalty.class));
        Ban ban = mapper.treeToValue(one.get("bans").get(0), Ban.class);
        assertEquals(penalties.bans(worker).get(0), ban);

        // warden:network --json: the API's NetworkHealth. Network health is cached for up to a second: compare the
        // shell's figures with the service's computed at the same instant (retry until both reads share one).
        NetworkHealth[] pair = new NetworkHealth[2];
        org.awaitility.Awaitility.await("the shell and the service read the same figures").atMost(WAIT).until(() -> {
            pair[0] = mapper.readValue(ok("warden:network --json", VIEWER), NetworkHealth.class);
            pair[1] = health.networkHealth();
            return pair[0].computedAt().equals(pair[1].computedAt());
        });
        NetworkHealth shown = pair[0];
        NetworkHealth now = pair[1];
        assertEquals(now, shown);
        assertEquals(now.totalWorkers(), shown.totalWorkers());
        assertEquals(now.activeWorkers(), shown.activeWorkers());
        assertEquals(now.healthyWorkers(), shown.healthyWorkers());
        assertEquals(now.bannedWorkers(), shown.bannedWorkers());
        assertEquals(now.successRate(), shown.successRate(), 1e-9);
        assertEquals("default", shown.policyName());
        assertFalse(shown.fallbackActive());
        assertEquals(now.policyFaults(), shown.policyFaults());
        assertEquals(now.store(), shown.store());
        assertEquals("h2", shown.store().backend());
        assertTrue(shown.store().available());
        assertNull(shown.store().problem());

        // warden:workers --json: [{workerId, state, reputation, health}]
        JsonNode list = mapper.readTree(ok("warden:workers --json --banned --sort id", VIEWER));
        JsonNode mine = null;
        for (JsonNode node : list) {
            assertTrue("only banned workers: " + node, node.get("reputation").get("ban").isObject());
            if (worker.equals(node.get("workerId").asText())) {
                mine = node;
            }
        }
        assertTrue(worker + " listed", mine != null);
        assertEquals("banned", mine.get("state").asText());
        assertEquals(2, mine.get("reputation").get("jobsCompleted").asLong());
        assertEquals(worker, mapper.treeToValue(mine.get("health"), org.warden.api.WorkerHealth.class).workerId());
    }

    @Test
    public void explainRanksLikeTheSelectionServiceAndRecordsNothing() throws Exception {
        String a = "shell-ex-a";
        String b = "shell-ex-b";
        String c = "shell-ex-c";
        for (String w : List.of(a, b, c)) {
            health.reportHealth(w, Fixtures.FIT);
        }
        for (int i = 0; i < 5; i++) {
            reputation.recordOutcome(a, true, 1_000, BigInteger.valueOf(100), 0.95);
        }
        for (int i = 0; i < 3; i++) {
            reputation.recordOutcome(b, true, 1_000, BigInteger.valueOf(100), 0.7);
        }
        reputation.recordOutcome(b, false, 1_000, BigInteger.ZERO, null);
        reputation.recordOutcome(c, true, 1_000, BigInteger.valueOf(100), 0.9);
        penalties.ban(c, "explain test", null);
        Map<String, WorkerReputation> before = Map.of(a, reputation.reputation(a).orElseThrow(),
                b, reputation.reputation(b).orElseThrow(), c, reputation.reputation(c).orElseThrow());

        String bids = a + ":100:2000 " + b + ":40:1000 " + c + ":10:500 shell-ex-nobody:1:1";
        ok("warden:explain --job job-x " + bids, VIEWER);
        JsonNode json = mapper().readTree(ok("warden:explain --json --job job-x " + bids, VIEWER));
        List<RankedBid> expected = selection.rank("job-x", List.of(Bid.of(a, 100, 2000), Bid.of(b, 40, 1000),
                Bid.of(c, 10, 500), Bid.of("shell-ex-nobody", 1, 1)));
        assertEquals("job-x", json.get("jobId").asText());
        assertEquals("default", json.get("policy").asText());
        List<RankedBid> shown = new ArrayList<>();
        for (JsonNode node : json.get("ranked")) {
            shown.add(mapper().treeToValue(node, RankedBid.class));
        }
        assertEquals(expected.size(), shown.size());
        assertEquals(2, shown.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(i + 1, shown.get(i).rank());
            assertEquals(expected.get(i).bid(), shown.get(i).bid());
            // the two rankings are seconds apart and reputation decays with wall-clock time (1 %/day, about 1.2e-7 a
            // second): 1e-4 allows minutes between them on a loaded machine, far below any difference of ranking
            assertEquals(expected.get(i).score(), shown.get(i).score(), 1e-4);
            assertEquals(expected.get(i).breakdown().components().size(), shown.get(i).breakdown().components().size());
        }
        assertEquals(2, json.get("leftOut").size());
        assertEquals(c, json.get("leftOut").get(0).get("workerId").asText());
        assertEquals(reputation.eligibility(c).reason(), json.get("leftOut").get(0).get("reason").asText());
        assertEquals("shell-ex-nobody", json.get("leftOut").get(1).get("workerId").asText());
        assertEquals("unknown worker", json.get("leftOut").get(1).get("reason").asText());

        // --no-format: one row per ranked bid, in the service's order, with its score; then the bids left out
        List<String[]> rows = rows(ok("warden:explain --no-format " + bids, VIEWER));
        assertEquals(4, rows.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(String.valueOf(i + 1), rows.get(i)[0]);
            assertEquals(expected.get(i).bid().workerId(), rows.get(i)[1]);
            assertEquals(expected.get(i).score(), Double.parseDouble(rows.get(i)[4]), 0.0015);
            assertEquals(5 + expected.get(i).breakdown().components().size(), rows.get(i).length);
        }
        assertEquals(List.of("left out", c, reputation.eligibility(c).reason()), Arrays.asList(rows.get(2)));
        assertEquals(List.of("left out", "shell-ex-nobody", "unknown worker"), Arrays.asList(rows.get(3)));

        // nothing recorded
        for (String w : List.of(a, b, c)) {
            WorkerReputation after = reputation.reputation(w).orElseThrow();
            assertEquals(before.get(w).jobsCompleted(), after.jobsCompleted());
            assertEquals(before.get(w).jobsFailed(), after.jobsFailed());
            assertEquals(before.get(w).penaltyCount(), after.penaltyCount());
        }
        assertTrue(reputation.reputation("shell-ex-nobody").isEmpty());
    }

    @Test
    public void moreBadInvocationsPrintTheExactErrorLineAndChangeNothing() throws Exception {
        String w = "shell-bad-2";
        health.reportHealth(w, Fixtures.FIT);
        reputation.recordOutcome(w, true, 1_000, BigInteger.valueOf(100), 0.9);
        WorkerReputation before = reputation.reputation(w).orElseThrow();
        long total = reputation.workerIds().size();

        refused("warden:penalize " + w + " job_timeout NaN r", ADMIN, "Error: severity must be a finite number, was NaN");
        refused("warden:penalize " + w + " job_timeout abc r", ADMIN, "Error: severity must be a number in [0, 1], was abc");
        refused("warden:penalize " + w + " job_timeout 0.5 \"\"", ADMIN, "Error: reason must not be blank");
        refused("warden:malicious " + w + " \"  \"", ADMIN, "Error: reason must not be blank");
        refused("warden:penalize shell-nobody job_timeout 0.5 r", ADMIN, "Error: workerId: unknown worker 'shell-nobody'");
        refused("warden:ban shell-nobody r", ADMIN, "Error: workerId: unknown worker 'shell-nobody'");
        refused("warden:unban shell-nobody r", ADMIN, "Error: workerId: unknown worker 'shell-nobody'");
        refused("warden:malicious shell-nobody r", ADMIN, "Error: workerId: unknown worker 'shell-nobody'");
        refused("warden:ban -d 5x " + w + " r", ADMIN, "Error: duration must be like 30m, 2h, 7d or ISO-8601 (PT30M), was 5x");
        refused("warden:ban -d -PT5M " + w + " r", ADMIN, "Error: duration must be positive, was -PT5M");
        refused("warden:ban -d 0m " + w + " r", ADMIN, "Error: duration must be positive, was 0m");
        // issue 12: no Instant holds the end of such a ban; one line, not a DateTimeException's stack trace
        refused("warden:ban --duration 400000000000d " + w + " reason", ADMIN, "Error: duration must be at most 36500d "
                + "(100 years; for good, give no --duration), was 400000000000d");
        refused("warden:ban \"shell\u202Ebad\" reason", ADMIN,
                "Error: workerId contains U+202E (a bidi control) at index 5");
        refused("warden:workers --limit -1", VIEWER, "Error: limit must not be negative, was -1");
        refused("warden:workers --limit abc", VIEWER, "Error: limit must be a whole number, was abc");
        refused("warden:workers --sort foo", VIEWER, "Error: sort must be one of rep, health, jobs, id, was foo");
        refused("warden:workers --min-rep 2", VIEWER, "Error: min-rep must be in [0, 1], was 2");
        refused("warden:workers --min-rep NaN", VIEWER, "Error: min-rep must be in [0, 1], was NaN");
        refused("warden:worker --json shell-nobody", VIEWER, "Error: unknown worker shell-nobody");
        refused("warden:explain " + w + ":100", VIEWER, "Error: bids[0]: expected worker:amount:estimateMs, was '" + w + ":100'");
        refused("warden:explain " + w + ":1:1 x", VIEWER, "Error: bids[1]: expected worker:amount:estimateMs, was 'x'");
        refused("warden:explain " + w + ":1:soon", VIEWER, "Error: bids[0]: expected worker:amount:estimateMs, was '" + w + ":1:soon'");
        refused("warden:explain " + w + ":-5:100", VIEWER, "Error: bids[0]: amount must not be negative, was -5");
        refused("warden:explain " + w + ":5:-1", VIEWER, "Error: bids[0]: estimatedCompletionMs must not be negative, was -1");
        refused("warden:explain " + w + ":1:1 " + w + ":2:2", VIEWER, "Error: bids[1]: worker '" + w + "' bids twice");

        WorkerReputation after = reputation.reputation(w).orElseThrow();
        assertEquals(before.jobsCompleted(), after.jobsCompleted());
        assertEquals(before.jobsFailed(), after.jobsFailed());
        assertEquals(before.penaltyCount(), after.penaltyCount());
        assertEquals(before.maliciousReports(), after.maliciousReports());
        assertFalse(after.banned());
        assertTrue(penalties.penalties(w).isEmpty());
        assertTrue(penalties.bans(w).isEmpty());
        assertTrue(reputation.reputation("shell-nobody").isEmpty());
        assertEquals(total, reputation.workerIds().size());
    }
}
