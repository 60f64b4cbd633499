package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.warden.itests.Fixtures.FIT;
import static org.warden.itests.Fixtures.SICK;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.Subject;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;

/**
 * The Felix Health Check {@code Warden network} in a real Karaf, run as an operator or a monitoring probe runs
 * it: through Felix's {@link HealthCheckExecutor} with the tag {@code warden}, and through the {@code hc:exec}
 * command. Its status follows the network as the distributor changes it through the Warden services, and its
 * thresholds follow {@code etc/org.warden.healthcheck.network.cfg}, and it warns while Warden refuses a configuration
 * on file (the engine's {@code etc/org.warden.engine.cfg}, the default policy's, its own).
 *
 * <p>Karaf boots with {@code warden}, which brings {@code warden-healthcheck} (Felix Health Checks and the
 * check). The methods share one container: only {@link #statusFollowsTheNetwork()} records workers, so it
 * starts on an empty network whatever the order.
 */
public class HealthCheckIT extends WardenTestSupport {

    private static final String PID = "org.warden.healthcheck.network";
    private static final String ENGINE_PID = "org.warden.engine";
    private static final String CHECK_NAME = "Warden network";
    private static final String HEALTHCHECK_BSN = "org.warden.healthcheck";
    private static final String FELIX_HC_CORE_BSN = "org.apache.felix.healthcheck.core";

    /** Run every check now: Felix otherwise serves a result cached for a couple of seconds. */
    private static final HealthCheckExecutionOptions NOW = new HealthCheckExecutionOptions().setForceInstantExecution(true);

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    private HealthService health;
    private ReputationService reputation;
    private PenaltyService penalties;
    private HealthCheckExecutor executor;
    private ConfigurationAdmin configAdmin;

    @Before
    public void findServices() {
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        executor = getService(HealthCheckExecutor.class);
        configAdmin = getService(ConfigurationAdmin.class);
        await("the default policy in force").atMost(WAIT)
                .until(() -> health.networkHealth().policyName(), "default"::equals);
    }

    @Test
    public void registeredAsAFelixHealthCheckTaggedWardenWithItsConfigurationFile() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden-healthcheck")));
        assertActive(HEALTHCHECK_BSN);
        assertActive(FELIX_HC_CORE_BSN);

        ServiceReference<HealthCheck> check = checkReference();
        assertEquals(CHECK_NAME, check.getProperty("hc.name"));
        Object tags = check.getProperty("hc.tags");
        List<String> tagList = tags instanceof String[] array ? Arrays.asList(array) : List.of(String.valueOf(tags));
        assertEquals(List.of("warden"), tagList);
        assertEquals(requireBundle(HEALTHCHECK_BSN), check.getBundle());

        File cfg = new File(System.getProperty("karaf.etc"), PID + ".cfg");
        assertTrue(cfg + " should be installed by the feature", cfg.isFile());
        List<String> lines = Files.readAllLines(cfg.toPath());
        assertTrue(cfg + " holds the default warnScore", lines.contains("warnScore = 0.6"));
        assertTrue(cfg + " holds the default criticalBannedShare", lines.contains("criticalBannedShare = 0.5"));

        // Exactly one check has the tag warden, and Felix runs it.
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags("warden"), NOW);
        assertEquals(1, results.size());
        assertEquals(CHECK_NAME, results.get(0).getHealthCheckMetadata().getName());
        assertNotNull(results.get(0).getHealthCheckResult().getStatus());

        // Felix's own command, as an operator types it: Karaf runs Gogo-style commands too.
        SessionFactory sessionFactory = getService(SessionFactory.class);
        await("command hc:exec registered").atMost(WAIT)
                .until(() -> sessionFactory.getRegistry().getCommand("hc", "exec") != null);
        String out = hcExec(sessionFactory, "hc:exec -v warden");
        System.out.print("karaf@root()> hc:exec -v warden\n" + out + "\n");
        assertTrue("hc:exec names the check: " + out, out.contains(CHECK_NAME));
    }

    @Test
    public void statusFollowsTheNetwork() throws Exception {
        // An empty network: nothing to judge but that no worker is active.
        awaitStatus(Result.Status.WARN, "no active workers: no worker is known yet");

        // Four fit workers with a good record: OK, and the check says why.
        List<String> workers = List.of("hc-worker-1", "hc-worker-2", "hc-worker-3", "hc-worker-4");
        for (String worker : workers) {
            health.reportHealth(worker, FIT);
            for (int i = 0; i < 3; i++) {
                reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
            }
        }
        String ok = awaitStatus(Result.Status.OK, "network OK: health score ");
        assertTrue(ok, ok.contains("4 of 4 active workers healthy (100.0%) >= 25.0%, 0 of 4 known workers banned (0.0%)"
                + " <= 20.0%, policy 'default' in force"));

        // Thresholds come from the configuration: a warning score of 0.99 makes the same network WARN.
        awaitConfigurationLoaded(PID);
        Configuration configuration = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> original = configuration.getProperties();
        updateConfiguration(configuration, "warnScore", 0.99);
        awaitStatus(Result.Status.WARN, "is below the warning threshold 0.99 (warnScore)");

        // An invalid value is refused with an ERROR in the log, and the thresholds in force stay.
        updateConfiguration(configuration, "warnScore", Double.NaN);
        await("the check's service properties show the new configuration").atMost(WAIT)
                .until(() -> checkReference().getProperty("warnScore"), v -> v instanceof Double d && d.isNaN());
        awaitKarafLog("Configuration " + PID + " refused: warnScore must be in [0, 1], was NaN. "
                + "The thresholds in force stay: criticalScore=0.3, warnScore=0.99");
        awaitStatus(Result.Status.WARN, "is below the warning threshold 0.99 (warnScore)");

        configuration.update(original);
        awaitStatus(Result.Status.OK, "network OK: health score ");

        // A value the engine refuses, as an operator's edit leaves it in etc/org.warden.engine.cfg: the engine keeps
        // the settings last accepted, and the check WARNs, naming the PID, the key and what applies, until it is fixed.
        awaitConfigurationLoaded(ENGINE_PID);
        Configuration engine = configAdmin.getConfiguration(ENGINE_PID, null);
        Dictionary<String, Object> engineOriginal = engine.getProperties();
        updateConfiguration(engine, "healthCheckIntervalSeconds", -5L);
        String refused = awaitStatus(Result.Status.WARN, "WARN configuration " + ENGINE_PID + " refused since ");
        assertTrue(refused, refused.contains(": healthCheckIntervalSeconds must be in [1, 31536000], was -5; the settings "
                + "last accepted apply until the value is fixed in etc/" + ENGINE_PID + ".cfg"));
        engine.update(engineOriginal);
        String fixed = awaitStatus(Result.Status.OK, "network OK: health score ");
        assertTrue(fixed, !fixed.contains("refused"));

        // A policy's value that is not a number, as config:property-set writes it: refused by Warden naming the key
        // (not SCR's stack trace), the policy's settings in force stay, and the check WARNs until it is fixed.
        String policyPid = "org.warden.policy.default";
        awaitConfigurationLoaded(policyPid);
        Configuration policy = configAdmin.getConfiguration(policyPid, null);
        Dictionary<String, Object> policyOriginal = policy.getProperties();
        updateConfiguration(policy, "minReputationThreshold", "abc");
        awaitKarafLog("Configuration " + policyPid + " refused: minReputationThreshold must be a number, was 'abc'. "
                + "The settings in force stay: ");
        String policyRefused = awaitStatus(Result.Status.WARN, "WARN configuration " + policyPid + " refused since ");
        assertTrue(policyRefused, policyRefused.contains(": minReputationThreshold must be a number, was 'abc'; the "
                + "settings last accepted apply until the value is fixed in etc/" + policyPid + ".cfg"));
        policy.update(policyOriginal);
        String policyFixed = awaitStatus(Result.Status.OK, "network OK: health score ");
        assertTrue(policyFixed, !policyFixed.contains("refused"));

        // bundle:stop org.warden.policy.default: the engine's fallback judges, and the check warns.
        Bundle defaultPolicy = requireBundle(DEFAULT_POLICY_BSN);
        defaultPolicy.stop();
        try {
            awaitStatus(Result.Status.WARN, "no policy is in force: the engine's built-in fallback judges the workers "
                    + "(policy 'fallback', no automatic bans)");
        } finally {
            defaultPolicy.start();
        }
        awaitStatus(Result.Status.OK, "policy 'default' in force");

        // Three of the four banned: CRITICAL, with the banned share in the message.
        for (String worker : workers.subList(0, 3)) {
            penalties.ban(worker, "health check test");
        }
        awaitStatus(Result.Status.CRITICAL,
                "3 of 4 known workers are banned (75.0%), above the critical share 50.0% (criticalBannedShare)");
        for (String worker : workers.subList(0, 3)) {
            penalties.unban(worker, "health check test done");
        }
        awaitStatus(Result.Status.OK, "network OK: health score ");

        // Every worker sick: none of the active workers is healthy.
        for (String worker : workers) {
            health.reportHealth(worker, SICK);
        }
        awaitStatus(Result.Status.CRITICAL,
                "only 0 of 4 active workers are healthy (0.0%), below the critical share 25.0% (criticalHealthyShare)");
    }

    // ---------------------------------------------------------------- helpers

    private ServiceReference<HealthCheck> checkReference() throws Exception {
        return await("the " + CHECK_NAME + " health check service").atMost(WAIT)
                .until(() -> bundleContext.getServiceReferences(HealthCheck.class, "(hc.name=" + CHECK_NAME + ")"),
                        refs -> refs.size() == 1)
                .iterator().next();
    }

    /**
     * Runs the checks tagged {@code warden} until the one result has this status and a line containing
     * {@code text}; returns the result as text (status, then one line per entry).
     */
    private String awaitStatus(Result.Status status, String text) {
        AtomicReference<String> last = new AtomicReference<>();
        String result;
        try {
            result = await("the " + CHECK_NAME + " check " + status + " with '" + text + "'").atMost(WAIT)
                    .until(() -> {
                        last.set(runWardenChecks());
                        return last.get();
                    }, r -> r.startsWith(status.name() + "\n") && r.contains(text));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + status + " with a line containing '" + text + "', the last result was:\n"
                    + last.get(), e);
        }
        System.out.println("[" + CHECK_NAME + "] " + result.replace("\n", "\n    "));
        return result;
    }

    private String runWardenChecks() {
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags("warden"), NOW);
        if (results.size() != 1) {
            return results.size() + " results: " + results;
        }
        Result result = results.get(0).getHealthCheckResult();
        StringBuilder text = new StringBuilder(result.getStatus().name()).append('\n');
        for (ResultLog.Entry entry : result) {
            text.append(entry.getStatus()).append(' ').append(entry.getMessage()).append('\n');
        }
        return text.toString();
    }

    private void awaitConfigurationLoaded(String pid) {
        await("configuration " + pid + " loaded from etc/").atMost(WAIT)
                .until(() -> configAdmin.listConfigurations("(service.pid=" + pid + ")") != null);
    }

    private static void updateConfiguration(Configuration configuration, String key, Object value) throws Exception {
        Dictionary<String, Object> properties = configuration.getProperties();
        Dictionary<String, Object> updated = new Hashtable<>();
        for (String k : Collections.list(properties.keys())) {
            updated.put(k, properties.get(k));
        }
        updated.put(key, value);
        configuration.update(updated);
    }

    private static void awaitKarafLog(String text) {
        File log = new File(System.getProperty("karaf.data"), "log/karaf.log");
        await("karaf.log to say: " + text).atMost(WAIT)
                .until(() -> log.isFile() && Files.readAllLines(log.toPath()).stream().anyMatch(l -> l.contains(text)));
    }

    /** Runs a command in a shell session as an admin and returns what it printed and returned. */
    private static String hcExec(SessionFactory sessionFactory, String command) throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new RolePrincipal("admin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Subject.doAs(subject, (PrivilegedExceptionAction<String>) () -> {
            PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
            try (Session session = sessionFactory.create(System.in, stream, stream)) {
                Object returned = session.execute(command);
                stream.flush();
                return out.toString(StandardCharsets.UTF_8) + (returned == null ? "" : String.valueOf(returned));
            }
        });
    }
}
