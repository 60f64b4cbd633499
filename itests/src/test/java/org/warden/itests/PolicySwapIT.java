package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.warden.api.Bid;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.api.WorkerReputation;

/**
 * Policies come and go at runtime, as an operator installs and removes policy bundles, and the engine
 * re-scores every worker at once without being refreshed or restarted; with no policy at all it keeps
 * answering with its fallback. Karaf boots with {@code warden}.
 */
public class PolicySwapIT extends WardenTestSupport {

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    private static final double CONSTANT_REPUTATION = 0.77;
    private static final double CONSTANT_HEALTH = 0.66;
    private static final double TOLERANCE = 1e-9;
    /** Reputation decays by about 1 % a day: over a test it moves by less than this. */
    private static final double DECAY_TOLERANCE = 1e-4;

    private HealthService health;
    private ReputationService reputation;
    private SelectionService selection;

    /** Every lifecycle event of the engine bundle while a test runs: there must be none. */
    private final Queue<String> engineEvents = new ConcurrentLinkedQueue<>();
    private SynchronousBundleListener engineListener;

    @Before
    public void findServicesAndWatchTheEngine() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden")));
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        selection = getService(SelectionService.class);
        long engineId = requireBundle(ENGINE_BSN).getBundleId();
        engineListener = event -> {
            if (event.getBundle().getBundleId() == engineId) {
                engineEvents.add(eventName(event.getType()));
            }
        };
        bundleContext.addBundleListener(engineListener);
    }

    @After
    public void removeListener() {
        if (engineListener != null) {
            bundleContext.removeBundleListener(engineListener);
        }
    }

    @Test
    public void constantPolicyTakesOverWithoutRestartingTheEngineAndDefaultComesBack() throws Exception {
        String worker = "swap-worker-1";
        health.reportHealth(worker, Fixtures.FIT);
        for (int i = 0; i < 4; i++) {
            reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(250), 0.95);
        }
        reputation.recordOutcome(worker, false, 5_000, BigInteger.ZERO, null);
        awaitPolicy("default");
        WorkerReputation byDefault = reputation.reputation(worker).orElseThrow();
        assertNotEquals("the default policy's score differs from the constant", CONSTANT_REPUTATION, byDefault.score(), 1e-3);
        Bundle engine = requireBundle(ENGINE_BSN);
        long engineId = engine.getBundleId();
        long engineLastModified = engine.getLastModified();

        // feature:install warden-policy-constant: its ranking (100) beats the default's (0).
        installAndAssertFeature("warden-policy-constant");
        assertActive(CONSTANT_POLICY_BSN);
        awaitPolicy("constant");
        WorkerReputation byConstant = await("the worker re-scored by the constant policy").atMost(WAIT)
                .until(() -> reputation.reputation(worker).orElseThrow(),
                        r -> Math.abs(r.score() - CONSTANT_REPUTATION) < TOLERANCE);
        assertEquals("its record is intact", 4, byConstant.jobsCompleted());
        assertEquals(1, byConstant.jobsFailed());
        assertEquals(CONSTANT_HEALTH, health.health(worker).orElseThrow().score(), TOLERANCE);
        // Selection uses the new policy too: 0.5 reputation + 0.5 health.
        List<RankedBid> ranked = selection.rank("swap-job", List.of(Bid.of(worker, 10, 1_000)));
        assertEquals(1, ranked.size());
        assertEquals(0.5 * CONSTANT_REPUTATION + 0.5 * CONSTANT_HEALTH, ranked.get(0).score(), TOLERANCE);

        // The engine was neither refreshed nor restarted: same bundle, still ACTIVE, no lifecycle event.
        assertEngineUntouched(engineId, engineLastModified);

        // feature:uninstall warden-policy-constant: the default policy is back, with the default score.
        uninstallAndAssertFeature("warden-policy-constant", EnumSet.noneOf(FeaturesService.Option.class));
        assertTrue(bundle(CONSTANT_POLICY_BSN).isEmpty());
        awaitPolicy("default");
        WorkerReputation backToDefault = await("the worker re-scored by the default policy").atMost(WAIT)
                .until(() -> reputation.reputation(worker).orElseThrow(),
                        r -> Math.abs(r.score() - byDefault.score()) < DECAY_TOLERANCE);
        assertEquals(4, backToDefault.jobsCompleted());
        assertEngineUntouched(engineId, engineLastModified);
    }

    @Test
    public void withoutAnyPolicyTheEngineFallsBackAndKeepsAnswering() throws Exception {
        String worker = "swap-worker-fallback";
        health.reportHealth(worker, Fixtures.FIT);
        reputation.recordOutcome(worker, true, 1_000, BigInteger.ONE, null);
        awaitPolicy("default");
        Bundle engine = requireBundle(ENGINE_BSN);
        Bundle defaultPolicy = requireBundle(DEFAULT_POLICY_BSN);

        // bundle:stop org.warden.policy.default: no policy service is left.
        defaultPolicy.stop();
        NetworkHealth fallback = await("the fallback in force").atMost(WAIT)
                .until(health::networkHealth, NetworkHealth::fallbackActive);
        assertEquals("fallback", fallback.policyName());

        // Every call still answers, and what is recorded is kept.
        assertNotNull(health.reportHealth(worker, Fixtures.FIT));
        WorkerReputation afterOutcome = reputation.recordOutcome(worker, true, 900, BigInteger.TEN, 0.8);
        assertEquals(2, afterOutcome.jobsCompleted());
        double score = reputation.reputation(worker).orElseThrow().score();
        assertTrue("a score in [0, 1]: " + score, score >= 0 && score <= 1);
        assertNotNull(reputation.eligibility(worker));
        assertNotNull(selection.rank("fallback-job", List.of(Bid.of(worker, 10, 1_000))));
        assertEquals(Bundle.ACTIVE, engine.getState());

        // bundle:start org.warden.policy.default: the default policy is in force again.
        defaultPolicy.start();
        NetworkHealth back = awaitPolicy("default");
        assertFalse(back.fallbackActive());
        assertEngineUntouched(engine.getBundleId(), engine.getLastModified());
    }

    private NetworkHealth awaitPolicy(String name) {
        return await("policy " + name + " in force").atMost(WAIT)
                .until(health::networkHealth, h -> name.equals(h.policyName()) && !h.fallbackActive());
    }

    private void assertEngineUntouched(long engineId, long lastModified) {
        Bundle engine = requireBundle(ENGINE_BSN);
        assertEquals("the engine keeps its bundle id", engineId, engine.getBundleId());
        assertEquals("the engine is still ACTIVE", Bundle.ACTIVE, engine.getState());
        assertEquals("the engine bundle was not updated", lastModified, engine.getLastModified());
        assertTrue("the engine bundle had lifecycle events: " + engineEvents, engineEvents.isEmpty());
    }

    private static String eventName(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.LAZY_ACTIVATION -> "LAZY_ACTIVATION";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> "type " + type;
        };
    }
}
