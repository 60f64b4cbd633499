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
        awaitCommands("policy-use", "policies");
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
        awaitPolicy("bayesian");
        double veteran = reputation.reputation("bayes-veteran").orElseThrow().score();
        double newcomer = reputation.reputation("bayes-newcomer").orElseThrow().score();
        assertTrue("the veteran's lower bound " + veteran + " is above the newcomer's " + newcomer, veteran > newcomer);
        assertEquals("statistics intact", 200, reputation.reputation("bayes-veteran").orElseThrow().jobsCompleted());
        // without a job id no job is reserved for new workers (exploration): the veteran first
        List<RankedBid> ranked = selection.rank(null, List.of(Bid.of("bayes-newcomer", 10, 1_000), Bid.of("bayes-veteran", 10, 1_000)));
        assertEquals("bayes-veteran", ranked.get(0).bid().workerId());

        ok("warden:policy-use --auto", ADMIN);
        awaitPolicy("default");
    }

    @Test
    public void strictEjectsAfterFiveFailuresInARowForAGrowingTime() throws Exception {
        health.reportHealth("strict-flaky", Fixtures.FIT);
        reputation.recordOutcome("strict-flaky", true, 1_000, BigInteger.TEN, 0.9);

        installAndAssertFeature("warden-policy-strict");
        ok("warden:policy-use strict", ADMIN);
        awaitPolicy("strict");
        for (int i = 0; i < 4; i++) {
            reputation.recordOutcome("strict-flaky", false, 1_000, BigInteger.ZERO, null);
        }
        assertFalse("4 failures in a row do not eject", reputation.reputation("strict-flaky").orElseThrow().banned());
        var fifth = reputation.recordOutcome("strict-flaky", false, 1_000, BigInteger.ZERO, null);
        assertTrue("the 5th failure in a row ejects", fifth.banned());
        assertTrue("a timed ejection", fifth.ban().until() != null);
        assertTrue(fifth.ban().automatic());

        ok("warden:policy-use --auto", ADMIN);
        awaitPolicy("default");
    }
}
