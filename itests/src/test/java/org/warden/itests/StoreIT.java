package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.warden.itests.Fixtures.FIT;

import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.HealthService;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.StoreHealth;

/**
 * The durable store in Karaf, as an operator meets it: {@code feature:install warden} keeps the record in H2
 * under {@code ${karaf.data}/warden} with {@code etc/org.warden.store.cfg}; pointed at a PostgreSQL server that
 * does not answer, Warden keeps serving from memory and says so in the log, in network health and in the health
 * check, and refuses bans; pointed back, it has its H2 record again.
 */
public class StoreIT extends WardenTestSupport {

    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/warden";

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden-postgresql");
    }

    private StoreHealth store() {
        return getService(HealthService.class).networkHealth().store();
    }

    @Test
    public void anUnreachableDatabaseLeavesWardenServingFromMemoryAndSayingSo() throws Exception {
        File cfg = new File(System.getProperty("karaf.etc"), "org.warden.store.cfg");
        assertTrue(cfg + " is installed by the feature", cfg.isFile());
        await("the H2 store in use").atMost(WAIT).until(() -> store().available() && "h2".equals(store().backend()));
        assertTrue("H2 file under karaf.data",
                new File(System.getProperty("karaf.data"), "warden/warden.mv.db").isFile());
        getService(HealthService.class).reportHealth("w1", FIT);
        getService(ReputationService.class).recordOutcome(JobOutcome.of("w1", true, 100, BigInteger.ONE, null));
        getService(PenaltyService.class).ban("w1", "cheat", null);

        ConfigurationAdmin admin = getService(ConfigurationAdmin.class);
        Configuration config = admin.getConfiguration("org.warden.store", "?");
        Hashtable<String, Object> unreachable = new Hashtable<>();
        unreachable.put("url", UNREACHABLE);
        unreachable.put("user", "warden");
        unreachable.put("retryIntervalSeconds", "1");
        config.update(unreachable);

        // the store and the engine restart on the new database: it does not answer
        await("the PostgreSQL store, unavailable").atMost(WAIT)
                .until(() -> "postgresql".equals(store().backend()) && !store().available());
        StoreHealth down = store();
        assertNotNull(down.problem());
        assertTrue("the problem says why: " + down.problem(), down.problem().contains("127.0.0.1:1"));

        // serving from memory: outcomes and health reports are taken and queued
        ReputationService reputation = getService(ReputationService.class);
        reputation.recordOutcome(JobOutcome.of("w2", true, 100, BigInteger.ONE, null));
        assertEquals(1, reputation.reputation("w2").orElseThrow().jobsCompleted());
        assertTrue(store().backlog() >= 1);
        // what must be durable is refused, saying why
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> getService(PenaltyService.class).ban("w2", "cheat", null));
        assertTrue(refused.getMessage(), refused.getMessage().contains("durable store (postgresql) is unavailable"));
        assertTrue(getService(PenaltyService.class).bans("w2").isEmpty());

        // the health check is CRITICAL, and the log says so
        HealthCheckExecutor executor = getService(HealthCheckExecutor.class);
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags("warden"),
                new HealthCheckExecutionOptions().setForceInstantExecution(true));
        assertEquals(Result.Status.CRITICAL, results.get(0).getHealthCheckResult().getStatus());
        File log = new File(System.getProperty("karaf.data"), "log/karaf.log");
        await("the log says the store is unavailable").atMost(WAIT).until(() ->
                Files.readString(log.toPath(), StandardCharsets.UTF_8).contains("Warden store (postgresql) is unavailable"));

        // back to H2: the record kept there is back
        Hashtable<String, Object> h2 = new Hashtable<>();
        h2.put("url", "");
        config.update(h2);
        await("the H2 store again").atMost(WAIT).until(() -> "h2".equals(store().backend()) && store().available());
        assertNotNull(getService(ReputationService.class).reputation("w1").orElseThrow().ban());
        assertFalse(getService(ReputationService.class).reputation("w2").isPresent());
    }
}
