package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.warden.itests.Fixtures.FAIR;
import static org.warden.itests.Fixtures.FIT;
import static org.warden.itests.Fixtures.SICK;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.warden.api.Bid;
import org.warden.api.Eligibility;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.Penalty;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.api.WardenEvents;
import org.warden.api.WorkerReputation;

/**
 * The seed's behaviour through the services, as the distributor uses them, with the {@code warden} feature
 * installed and its default policy in force: health reports, job outcomes, penalties, malicious reports and
 * the auto-ban, eligibility, network health and bid ranking, and the EventAdmin events.
 *
 * <p>Karaf boots with {@code warden} (as an operator's {@code featuresBoot} would have it). The methods share one
 * container, so each uses its own worker ids, and network counts are compared with a baseline taken at the
 * start of the method.
 */
public class SeedBehaviourIT extends WardenTestSupport {

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    private HealthService health;
    private ReputationService reputation;
    private PenaltyService penalties;
    private SelectionService selection;

    private final Queue<Event> bannedEvents = new ConcurrentLinkedQueue<>();
    private ServiceRegistration<EventHandler> bannedHandler;

    @Before
    public void findServices() throws Exception {
        assertTrue(featuresService.isInstalled(feature("warden")));
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        penalties = getService(PenaltyService.class);
        selection = getService(SelectionService.class);
        await("the default policy in force").atMost(WAIT)
                .until(() -> health.networkHealth().policyName(), "default"::equals);

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, WardenEvents.TOPIC_BANNED);
        bannedHandler = bundleContext.registerService(EventHandler.class, bannedEvents::add, props);
    }

    @After
    public void unregisterHandler() {
        if (bannedHandler != null) {
            bannedHandler.unregister();
        }
    }

    @Test
    public void thirdMaliciousReportBansAutomaticallyNotTheSecond() {
        String worker = "seed-malicious-1";
        health.reportHealth(worker, FIT);
        reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(500), 0.9);
        assertTrue("a fit worker with a good record starts eligible", reputation.isEligible(worker));

        WorkerReputation first = penalties.reportMalicious(worker, "forged result for job 1");
        assertEquals(1, first.maliciousReports());
        assertFalse(first.banned());

        WorkerReputation second = penalties.reportMalicious(worker, "forged result for job 2");
        assertEquals(2, second.maliciousReports());
        assertFalse("the seed bans on the third report, not the second", second.banned());
        assertFalse(reputation.reputation(worker).orElseThrow().banned());

        WorkerReputation third = penalties.reportMalicious(worker, "forged result for job 3");
        assertEquals(3, third.maliciousReports());
        assertTrue("the third report bans", third.banned());
        assertTrue("an automatic ban", third.ban().automatic());
        assertEquals(worker, third.ban().workerId());

        Eligibility eligibility = reputation.eligibility(worker);
        assertFalse("a banned worker is not eligible", eligibility.eligible());
        assertFalse(reputation.isEligible(worker));
        assertTrue("the ban is in the worker's ban history", penalties.bans(worker).stream()
                .anyMatch(b -> b.automatic() && b.liftedAt() == null));
        assertEquals("each report is recorded as a malicious-behaviour penalty", 3, penalties.penalties(worker).stream()
                .filter(p -> p.type() == PenaltyType.MALICIOUS_BEHAVIOR).count());

        // An EventAdmin handler sees the ban (events are posted asynchronously): exactly one, for this worker.
        Event event = await("org/warden/worker/BANNED for " + worker).atMost(WAIT)
                .until(() -> bannedEvents.stream()
                        .filter(e -> worker.equals(e.getProperty(WardenEvents.WORKER_ID)))
                        .findFirst().orElse(null), e -> e != null);
        assertEquals(WardenEvents.TOPIC_BANNED, event.getTopic());
        assertEquals(Boolean.TRUE, event.getProperty(WardenEvents.AUTOMATIC));
        assertNotNull(event.getProperty(WardenEvents.REASON));
        assertEquals(1, bannedEvents.stream().filter(e -> worker.equals(e.getProperty(WardenEvents.WORKER_ID))).count());
    }

    @Test
    public void penaltiesCostReputationAndAreKeptNewestFirst() {
        String worker = "seed-penalised-1";
        health.reportHealth(worker, FIT);
        reputation.recordOutcome(worker, true, 1_000, BigInteger.TEN, null);
        double before = reputation.reputation(worker).orElseThrow().score();

        Penalty timeout = penalties.applyPenalty(worker, PenaltyType.JOB_TIMEOUT, 0.8, "missed the deadline", "job-7");
        assertEquals(PenaltyType.JOB_TIMEOUT, timeout.type());
        assertEquals("job-7", timeout.jobId());
        penalties.applyPenalty(worker, PenaltyType.RESOURCE_ABUSE, 0.4, "used twice its CPU share", null);

        WorkerReputation after = reputation.reputation(worker).orElseThrow();
        assertEquals(2, after.penaltyCount());
        assertTrue("penalties cost reputation: " + before + " -> " + after.score(), after.score() < before);
        List<Penalty> history = penalties.penalties(worker);
        assertEquals(List.of(PenaltyType.RESOURCE_ABUSE, PenaltyType.JOB_TIMEOUT),
                history.stream().map(Penalty::type).toList());

        // Unknown workers are refused, so a typo never creates a worker; invalid input records nothing.
        assertThrows(IllegalArgumentException.class,
                () -> penalties.applyPenalty("seed-nobody", PenaltyType.SPAM, 0.5, "spam", null));
        assertThrows(IllegalArgumentException.class, () -> penalties.reportMalicious("seed-nobody", "forged"));
        assertTrue(reputation.reputation("seed-nobody").isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> penalties.applyPenalty(worker, PenaltyType.SPAM, 1.5, "spam", null));
        assertEquals(2, reputation.reputation(worker).orElseThrow().penaltyCount());
    }

    @Test
    public void networkHealthCountsTotalActiveHealthyAndBannedWorkers() {
        NetworkHealth baseline = freshNetworkHealth(Instant.now());

        health.reportHealth("seed-net-fit", FIT);
        reputation.recordOutcome("seed-net-fit", true, 800, BigInteger.valueOf(100), 1.0);
        health.reportHealth("seed-net-sick", SICK);
        health.reportHealth("seed-net-banned", SICK);
        penalties.ban("seed-net-banned", "caught cheating");
        Instant lastWrite = Instant.now();

        NetworkHealth now = freshNetworkHealth(lastWrite);
        assertEquals("total", baseline.totalWorkers() + 3, now.totalWorkers());
        assertEquals("active", baseline.activeWorkers() + 3, now.activeWorkers());
        assertEquals("healthy: only the fit one", baseline.healthyWorkers() + 1, now.healthyWorkers());
        assertEquals("banned", baseline.bannedWorkers() + 1, now.bannedWorkers());
        assertEquals("default", now.policyName());
        assertFalse(now.fallbackActive());
        assertTrue(now.healthScore() >= 0 && now.healthScore() <= 1);
        assertTrue(now.successRate() > 0 && now.successRate() <= 1);

        assertTrue(health.health("seed-net-fit").orElseThrow().healthy());
        assertFalse(health.health("seed-net-sick").orElseThrow().healthy());
        assertTrue(health.health("seed-nobody-else").isEmpty());
    }

    @Test
    public void rankingExcludesTheBannedBidderAndPutsTheBetterWorkerFirst() {
        String better = "seed-bid-better";
        String worse = "seed-bid-worse";
        String banned = "seed-bid-banned";
        health.reportHealth(better, FIT);
        for (int i = 0; i < 5; i++) {
            reputation.recordOutcome(better, true, 1_000, BigInteger.valueOf(100), 1.0);
        }
        health.reportHealth(worse, FAIR);
        reputation.recordOutcome(worse, true, 1_000, BigInteger.valueOf(100), 0.6);
        reputation.recordOutcome(worse, false, 3_000, BigInteger.ZERO, null);
        reputation.recordOutcome(worse, true, 1_500, BigInteger.valueOf(100), 0.6);
        health.reportHealth(banned, FIT);
        for (int i = 0; i < 5; i++) {
            reputation.recordOutcome(banned, true, 1_000, BigInteger.valueOf(100), 1.0);
        }
        penalties.ban(banned, "operator's decision");

        assertTrue("both unbanned bidders are eligible, so the ranking must order them",
                reputation.isEligible(better) && reputation.isEligible(worse));
        assertTrue(reputation.reputation(better).orElseThrow().score()
                > reputation.reputation(worse).orElseThrow().score());

        // The same bid from each: only reputation and health tell them apart.
        List<RankedBid> ranked = selection.rank("job-42", List.of(
                Bid.of(worse, 1_000, 60_000),
                Bid.of(banned, 1_000, 60_000),
                Bid.of(better, 1_000, 60_000)));

        assertEquals(List.of(better, worse), ranked.stream().map(r -> r.bid().workerId()).toList());
        assertEquals(1, ranked.get(0).rank());
        assertEquals(2, ranked.get(1).rank());
        assertTrue(ranked.get(0).score() > ranked.get(1).score());
        assertFalse("the breakdown explains the score", ranked.get(0).breakdown().components().isEmpty());
        assertEquals(better, selection.select("job-42", List.of(Bid.of(worse, 1_000, 60_000), Bid.of(better, 1_000, 60_000)))
                .orElseThrow().bid().workerId());
        assertTrue("only a banned bidder: nothing to select",
                selection.select("job-43", List.of(Bid.of(banned, 1_000, 60_000))).isEmpty());
        assertNull(reputation.reputation(better).orElseThrow().ban());
    }

    /** Network health computed after {@code after} (it is cached for a short while, so poll). */
    private NetworkHealth freshNetworkHealth(Instant after) {
        return await("network health computed after " + after).atMost(WAIT)
                .until(health::networkHealth, h -> !h.computedAt().isBefore(after));
    }
}
