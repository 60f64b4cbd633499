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
import java.security.Principal;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.WorkerReputation;

/**
 * The {@code warden:*} shell commands as an operator runs them: through Karaf's shell ({@link SessionFactory}),
 * as a subject with the {@code admin} or {@code viewer} role, so the command ACL shipped with the {@code warden}
 * feature ({@code etc/org.apache.karaf.command.acl.warden.cfg}) applies, as in Karaf's own
 * {@code KarafTestSupport.executeCommand(command, principals)}. The state is set up and checked through the services.
 *
 * <p>Karaf boots with {@code warden}: this class mentions Warden types in its fields. The methods share one
 * container, so each uses its own worker ids.
 */
public class ShellCommandsIT extends WardenTestSupport {

    private static final Principal ADMIN = new RolePrincipal("admin");
    private static final Principal VIEWER = new RolePrincipal("viewer");
    private static final String[] COMMANDS = { "network", "workers", "worker", "penalize", "malicious", "ban", "unban" };

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    private ReputationService reputation;
    private PenaltyService penalties;
    private SessionFactory sessionFactory;
    private ExecutorService executor;

    /** What a command printed, and what it threw (the shell's own refusals: ACL, unknown command). */
    private record Result(String out, String err, Exception failure) {
    }

    @Before
    public void findServicesAndCommands() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden")));
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        sessionFactory = getService(SessionFactory.class);
        executor = Executors.newSingleThreadExecutor();
        for (String name : COMMANDS) {
            await("command warden:" + name + " registered").atMost(WAIT)
                    .until(() -> sessionFactory.getRegistry().getCommand("warden", name) != null);
        }
    }

    @After
    public void stopExecutor() {
        if (executor != null) {
            executor.shutdownNow();
        }
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
                + "network_issues, resource_abuse, invalid_result, spam, ban, was bogus\n", bogus.err());

        Result severity = execute("warden:penalize " + worker + " job_timeout 1.5 r", ADMIN);
        assertNull(severity.failure());
        assertEquals("Error: severity must be in [0, 1], was 1.5\n", severity.err());

        Result duration = execute("warden:ban -d forever " + worker + " r", ADMIN);
        assertNull(duration.failure());
        assertTrue(duration.err(), duration.err().startsWith("Error: duration must be like 30m, 2h, 7d or ISO-8601"));

        Result unknown = execute("warden:worker shell-nobody", VIEWER);
        assertNull(unknown.failure());
        assertEquals("Error: unknown worker shell-nobody\n", unknown.err());

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
        // The ACL reaches the shell through fileinstall and ConfigurationAdmin: wait for it.
        ConfigurationAdmin configurationAdmin = getService(ConfigurationAdmin.class);
        await("the warden command ACL configuration").atMost(WAIT).until(() ->
                configurationAdmin.listConfigurations("(service.pid=org.apache.karaf.command.acl.warden)") != null);
        // ... and the shell applies it once its listener had the event: then unban is hidden from a viewer.
        await("the warden command ACL in force").atMost(WAIT)
                .until(() -> execute("warden:unban shell-acl-probe probing", VIEWER).failure(),
                        f -> f != null && "Command not found: warden:unban".equals(f.getMessage()));

        Result ban = execute("warden:ban " + worker + " not allowed", VIEWER);
        // Karaf's secured shell hides a command from a subject without the role: Gogo reports it as not found
        // (the same command is found for an admin, see the other tests).
        assertTrue("a viewer's ban must be refused by the shell's ACL, was " + ban.failure(),
                ban.failure() != null && "Command not found: warden:ban".equals(ban.failure().getMessage()));
        assertFalse(reputation.reputation(worker).orElseThrow().banned());
        assertTrue(penalties.bans(worker).isEmpty());

        Result read = execute("warden:workers --no-format", VIEWER);
        assertNull(read.failure());
        assertTrue(row(read.out(), worker).isPresent());

        // With the ACL in force, an admin still may.
        Result adminBan = execute("warden:ban " + worker + " admin decision", ADMIN);
        assertNull(adminBan.failure());
        assertTrue(reputation.reputation(worker).orElseThrow().banned());
    }

    // ---------------------------------------------------------------- helpers

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

    /** The row of a {@code --no-format} table (tab-separated cells) whose first cell is {@code key}, cells trimmed. */
    private static Optional<String[]> row(String output, String key) {
        return output.lines()
                .map(line -> Arrays.stream(line.split("\t")).map(String::trim).toArray(String[]::new))
                .filter(cells -> cells.length > 0 && cells[0].equals(key))
                .findFirst();
    }

}
