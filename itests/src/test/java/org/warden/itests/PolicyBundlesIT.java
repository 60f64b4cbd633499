package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.warden.api.Bid;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;

/**
 * The strict and Bayesian policy features, as an operator uses them: install next to the default policy, pin one
 * with warden:policy-use, see it judge the same workers (recorded statistics intact), unpin, uninstall.
 */
public class PolicyBundlesIT extends ShellTestSupport {

    private HealthService health;
    private ReputationService reputation;
    private SelectionService selection;

    @Before
    public void services() {
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        selection = getService(SelectionService.class);
        awaitCommands("policy-use", "policies", "shadow", "pending");
    }

    private NetworkHealth awaitPolicy(String name) {
        return await("policy " + name + " in force").atMost(WAIT)
                .until(health::networkHealth, h -> name.equals(h.policyName()) && !h.fallbackActive());
    }

    @Test
    public void bayesianRanksAVeteranAboveALuckyNewcomer() throws Exception {
        health.reportHealth("bayes-veteran", Fixtures.FIT);
        health.reportHealth("bayes-newcomer", Fixtures.FIT);
        for (int i = 0; i < 200; i++) {
            reputation.recordOutcome("bayes-veteran", true, 1_000, BigInteger.TEN, 0.9);
        }
        reputation.recordOutcome("bayes-newcomer", true, 1_000, BigInteger.TEN, 0.9);
        reputation.recordOutcome("bayes-newcomer", true, 1_000, BigInteger.TEN, 0.9);

        installAndAssertFeature("warden-policy-bayesian");
        ok("warden:policy-use bayesian", ADMIN);
        try {
            assertBayesianJudges();
        } finally {
            ok("warden:policy-use --auto", ADMIN);
        }
        awaitPolicy("default");
    }

    private void assertBayesianJudges() {
        awaitPolicy("bayesian");
        double veteran = reputation.reputation("bayes-veteran").orElseThrow().score();
        double newcomer = reputation.reputation("bayes-newcomer").orElseThrow().score();
        assertTrue("the veteran's lower bound " + veteran + " is above the newcomer's " + newcomer, veteran > newcomer);
        assertEquals("statistics intact", 200, reputation.reputation("bayes-veteran").orElseThrow().jobsCompleted());
        // without a job id no job is reserved for new workers (exploration): the veteran first
        List<RankedBid> ranked = selection.rank(null, List.of(Bid.of("bayes-newcomer", 10, 1_000), Bid.of("bayes-veteran", 10, 1_000)));
        assertEquals("bayes-veteran", ranked.get(0).bid().workerId());
    }

    @Test
    public void strictEjectsAfterTenFailuresInARowForATime() throws Exception {
        health.reportHealth("strict-flaky", Fixtures.FIT);
        reputation.recordOutcome("strict-flaky", true, 1_000, BigInteger.TEN, 0.9);

        installAndAssertFeature("warden-policy-strict");
        ok("warden:policy-use strict", ADMIN);
        try {
            awaitPolicy("strict");
            // Wald's test on the run of failures: 9 in a row are not yet significant (LLR 6.24 < ln 1000), 10 are
            for (int i = 0; i < 9; i++) {
                reputation.recordOutcome("strict-flaky", false, 1_000, BigInteger.ZERO, null);
            }
            assertFalse("9 failures in a row do not eject", reputation.reputation("strict-flaky").orElseThrow().banned());
            var tenth = reputation.recordOutcome("strict-flaky", false, 1_000, BigInteger.ZERO, null);
            assertTrue("the 10th failure in a row ejects", tenth.banned());
            assertTrue("a timed ejection", tenth.ban().until() != null);
            assertTrue(tenth.ban().automatic());
        } finally {
            // the other tests of this class expect the default policy back, whatever happened here
            ok("warden:policy-use --auto", ADMIN);
        }
        awaitPolicy("default");
    }

    @Test
    public void aShadowPolicyJudgesTheSameCallsWithoutChangingThem() throws Exception {
        for (String w : List.of("shadow-a", "shadow-b", "shadow-c")) {
            health.reportHealth(w, Fixtures.FIT);
            reputation.recordOutcome(w, true, 1_000, BigInteger.TEN, 0.9);
        }
        installAndAssertFeature("warden-policy-bayesian");
        awaitPolicy("default");
        org.osgi.service.cm.ConfigurationAdmin configAdmin = getService(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration engineConfig = configAdmin.getConfiguration("org.warden.engine", null);
        java.util.Dictionary<String, Object> props = engineConfig.getProperties() == null
                ? new java.util.Hashtable<>() : engineConfig.getProperties();
        props.put("shadowPolicy", "bayesian");
        engineConfig.update(props);
        await("the shadow bound").atMost(WAIT).until(() -> "bayesian".equals(health.networkHealth().shadowPolicyName()));

        List<Bid> bids = List.of(Bid.of("shadow-a", 10, 1_000), Bid.of("shadow-b", 20, 900), Bid.of("shadow-c", 5, 2_000));
        List<RankedBid> withShadow = selection.rank("shadow-job", bids);
        assertEquals("the policy in force still decides", "default", health.networkHealth().policyName());
        assertEquals(3, withShadow.size());

        String table = ok("warden:shadow --no-format", VIEWER);
        assertEquals("bayesian", row(table, "shadowPolicy").orElseThrow()[1]);
        assertEquals("default", row(table, "policyInForce").orElseThrow()[1]);
        assertTrue("rankings compared: " + table, Long.parseLong(row(table, "rankingsCompared").orElseThrow()[1]) >= 1);
        assertEquals("no pending bans: " + ok("warden:pending --no-format", VIEWER), "",
                ok("warden:pending --no-format", VIEWER).trim());

        props.remove("shadowPolicy");
        engineConfig.update(props);
        await("the shadow unbound").atMost(WAIT).until(() -> health.networkHealth().shadowPolicyName() == null);
        assertEquals("no shadow policy (set shadowPolicy in etc/org.warden.engine.cfg)",
                ok("warden:shadow", VIEWER).trim());
    }
}
