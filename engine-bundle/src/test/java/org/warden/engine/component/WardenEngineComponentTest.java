package org.warden.engine.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.warden.engine.component.EmbeddedFramework.WAIT;

import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.warden.api.Bid;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;
import org.warden.api.ReputationService;
import org.warden.api.ScoreBreakdown;
import org.warden.api.SelectionService;
import org.warden.api.WardenEvents;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;
import org.warden.engine.WardenEngine;

/**
 * The engine's Declarative Services wiring in a real OSGi framework (Felix, SCR, Config Admin, EventAdmin): the
 * component, its greedy dynamic policy reference and target, its configuration and its events.
 */
class WardenEngineComponentTest {

    private static final String WORKER = "w1";
    private static final HealthMetrics GOOD = HealthMetrics.of(150, 20, 30, 40, 20);
    /** The fallback's reputation of a worker without jobs or penalties: Laplace (0+1)/(0+2). */
    private static final double FALLBACK_SCORE = 0.5;

    private EmbeddedFramework osgi;
    private HealthService health;
    private ReputationService reputation;

    @BeforeEach
    void startFramework() throws Exception {
        osgi = EmbeddedFramework.start();
        health = osgi.service(HealthService.class);
        reputation = osgi.service(ReputationService.class);
    }

    @AfterEach
    void stopFramework() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    @Test
    @Timeout(30)
    void statisticsSurviveTheLastUserReleasingTheServices() {
        health.reportHealth(WORKER, GOOD);
        ServiceReference<?> ref = osgi.reference(HealthService.class);
        // release every use the test made: a delayed component would now be disposed with its memory
        while (osgi.context().ungetService(ref)) {
            // each call releases one use
        }
        ReputationService again = osgi.service(ReputationService.class);
        assertThat(again.reputation(WORKER)).as("the engine is immediate: still knows the worker").isPresent();
    }

    @Test
    @Timeout(30)
    void oneComponentProvidesAllFourServices() {
        for (Class<?> type : List.of(HealthService.class, ReputationService.class, PenaltyService.class,
                SelectionService.class)) {
            ServiceReference<?> ref = osgi.reference(type);
            assertThat(ref.getProperty("component.name")).as(type.getSimpleName()).isEqualTo(WardenEngine.PID);
            assertThat(ref.getProperty(Constants.SERVICE_ID)).as(type.getSimpleName()).isEqualTo(healthServiceId());
            assertThat(osgi.service(type)).as(type.getSimpleName()).isSameAs(health);
        }
        assertThat(health.networkHealth().totalWorkers()).isZero();
    }

    @Test
    @Timeout(30)
    void withoutPolicyTheFallbackAnswers() {
        assertThat(health.reportHealth(WORKER, GOOD).healthy()).isTrue();
        assertThat(score()).isEqualTo(FALLBACK_SCORE);
        NetworkHealth network = health.networkHealth();
        assertThat(network.fallbackActive()).isTrue();
        assertThat(network.policyName()).isEqualTo("fallback");
        assertThat(network.totalWorkers()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void greedyReferenceRebindsToTheHighestRankedPolicyWithoutRestart() {
        health.reportHealth(WORKER, GOOD);
        Object serviceId = healthServiceId();

        ServiceRegistration<WardenPolicy> a = osgi.registerPolicy("a", 0, new FixedPolicy(0.2));
        awaitPolicy("a", 0.2);
        ServiceRegistration<WardenPolicy> b = osgi.registerPolicy("b", 10, new FixedPolicy(0.8));
        awaitPolicy("b", 0.8);
        assertSameComponent(serviceId);

        b.unregister();
        awaitPolicy("a", 0.2);
        a.unregister();
        awaitPolicy("fallback", FALLBACK_SCORE);
        assertThat(health.networkHealth().fallbackActive()).isTrue();
        assertSameComponent(serviceId);
        assertThat(reputation.workerIds()).containsExactly(WORKER);
    }

    @Test
    @Timeout(30)
    void policyWithoutNameIsIgnored() {
        health.reportHealth(WORKER, GOOD);
        osgi.registerPolicy(null, 100, new FixedPolicy(0.9));
        assertThat(health.networkHealth().fallbackActive()).isTrue();
        // had the unnamed one matched the default target, its ranking would have kept it bound over "a"
        osgi.registerPolicy("a", 0, new FixedPolicy(0.2));
        awaitPolicy("a", 0.2);
    }

    @Test
    @Timeout(30)
    void configurationPinsAPolicyWithoutRestart() throws Exception {
        health.reportHealth(WORKER, GOOD);
        osgi.registerPolicy("a", 0, new FixedPolicy(0.2));
        osgi.registerPolicy("b", 10, new FixedPolicy(0.8));
        awaitPolicy("b", 0.8);
        Object serviceId = healthServiceId();

        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("policy", "a")));
        awaitPolicy("a", 0.2);
        assertSameComponent(serviceId);

        config.delete();
        awaitPolicy("b", 0.8);
        assertSameComponent(serviceId);
    }

    @Test
    @Timeout(30)
    void aPinnedPolicyNotInstalledKeepsThePolicyInForceIsReportedAndTakesOverWhenInstalled() throws Exception {
        health.reportHealth(WORKER, GOOD);
        // the engine's own (the store and the snapshot files register one each for their PIDs)
        ConfigurationStatus status = osgi.service(ConfigurationStatus.class,
                "(" + ComponentConstants.COMPONENT_NAME + "=" + WardenEngine.PID + ")");
        osgi.registerPolicy("a", 0, new FixedPolicy(0.2));
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("policy", "a")));
        awaitPolicy("a", 0.2);
        Object serviceId = healthServiceId();

        config.update(new Hashtable<>(Map.of("policy", "strict")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("policy strict is configured but not installed");
            assertThat(r.inForce()).isEqualTo("policy a");
        }));
        osgi.registerPolicy("b", 10, new FixedPolicy(0.8));
        awaitServiceProperty("policy", "strict");
        assertThat(health.networkHealth().policyName()).as("the policy in force before stays, though outranked")
                .isEqualTo("a");

        osgi.registerPolicy("strict", 0, new FixedPolicy(0.6));
        awaitPolicy("strict", 0.6);
        await().atMost(WAIT).until(status::refusals, List::isEmpty);
        assertSameComponent(serviceId);
    }

    /** Issue 13: a malformed filter was SCR's error and put the fallback in force; now Warden refuses it. */
    @Test
    @Timeout(30)
    void aBadPolicySettingOrALeftoverFilterIsRefusedAndThePinnedPolicyStaysInForce() throws Exception {
        health.reportHealth(WORKER, GOOD);
        // the engine's own (the store and the snapshot files register one each for their PIDs)
        ConfigurationStatus status = osgi.service(ConfigurationStatus.class,
                "(" + ComponentConstants.COMPONENT_NAME + "=" + WardenEngine.PID + ")");
        osgi.registerPolicy("a", 0, new FixedPolicy(0.2));
        osgi.registerPolicy("b", 10, new FixedPolicy(0.8));
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("policy", "a")));
        awaitPolicy("a", 0.2);
        Object serviceId = healthServiceId();

        config.update(new Hashtable<>(Map.of("policy", "a", "policy.target", "(((bad")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.refusals()).singleElement()
                .extracting(r -> r.reason()).isEqualTo("policy.target is no longer read: set policy=<name> (the "
                        + "warden.policy.name of an installed policy; empty: the highest-ranked policy) instead, "
                        + "and remove policy.target"));
        assertThat(health.networkHealth().policyName()).isEqualTo("a");
        assertThat(score()).isEqualTo(0.2);

        config.update(new Hashtable<>(Map.of("policy", "(((bad")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.refusals()).singleElement()
                .extracting(r -> r.reason()).asString().startsWith("policy must be a policy name"));
        assertThat(health.networkHealth().policyName()).isEqualTo("a");
        assertSameComponent(serviceId);

        config.update(new Hashtable<>(Map.of("policy", "b")));
        awaitPolicy("b", 0.8);
        await().atMost(WAIT).until(status::refusals, List::isEmpty);
    }

    @Test
    @Timeout(30)
    void theShadowIsChosenByName() throws Exception {
        health.reportHealth(WORKER, GOOD);
        osgi.registerPolicy("a", 0, new FixedPolicy(0.2));
        osgi.registerPolicy("b", 10, new FixedPolicy(0.8));
        awaitPolicy("b", 0.8);
        assertThat(health.networkHealth().shadowPolicyName()).as("none by default").isNull();
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("shadowPolicy", "a")));
        await().atMost(WAIT).until(() -> health.networkHealth().shadowPolicyName(), "a"::equals);
        assertThat(health.networkHealth().policyName()).as("the enforced one unchanged").isEqualTo("b");
        config.update(new Hashtable<>(Map.of("shadowPolicy", "")));
        await().atMost(WAIT).until(() -> health.networkHealth().shadowPolicyName() == null);
    }

    @Test
    @Timeout(30)
    void invalidConfigurationLeavesThePreviousSettingsInForce() throws Exception {
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("penaltyHistorySize", 1)));
        awaitServiceProperty("penaltyHistorySize", 1);
        Object serviceId = healthServiceId();

        // refused as a whole: its valid penaltyHistorySize does not apply either
        config.update(new Hashtable<>(Map.of("penaltyHistorySize", 10, "healthCheckIntervalSeconds", -5L)));
        awaitServiceProperty("healthCheckIntervalSeconds", -5L); // SCR has called the modified method
        assertSameComponent(serviceId);

        health.reportHealth(WORKER, GOOD);
        PenaltyService penalties = osgi.service(PenaltyService.class);
        for (int i = 0; i < 3; i++) {
            penalties.applyPenalty(WORKER, PenaltyType.POOR_PERFORMANCE, 0.1, "slow " + i, null);
        }
        assertThat(penalties.penalties(WORKER)).hasSize(1);
        assertThat(health.health(WORKER)).isPresent();
    }

    @Test
    @Timeout(30)
    void aValueScrCannotConvertIsRefusedByWardenAndThePreviousSettingsStay() throws Exception {
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("penaltyHistorySize", 1)));
        awaitServiceProperty("penaltyHistorySize", 1);
        Object serviceId = healthServiceId();

        // as config:property-set writes it: a string, which SCR cannot convert to banBudgetShare's double
        config.update(new Hashtable<>(Map.of("penaltyHistorySize", 10, "banBudgetShare", "abc")));
        awaitServiceProperty("banBudgetShare", "abc"); // SCR has called the modified method
        assertSameComponent(serviceId);

        health.reportHealth(WORKER, GOOD);
        PenaltyService penalties = osgi.service(PenaltyService.class);
        for (int i = 0; i < 3; i++) {
            penalties.applyPenalty(WORKER, PenaltyType.POOR_PERFORMANCE, 0.1, "slow " + i, null);
        }
        assertThat(penalties.penalties(WORKER)).as("penaltyHistorySize 1 still in force").hasSize(1);
    }

    @Test
    @Timeout(60)
    void aRefusedConfigurationIsShownWhileOnFileAtActivationTooAndClearedWhenFixed() throws Exception {
        // the engine's own (the store and the snapshot files register one each for their PIDs)
        String engines = "(" + ComponentConstants.COMPONENT_NAME + "=" + WardenEngine.PID + ")";
        ConfigurationStatus status = osgi.service(ConfigurationStatus.class, engines);
        assertThat(osgi.reference(ConfigurationStatus.class, engines).getProperty(Constants.SERVICE_ID))
                .as("the engine provides it").isEqualTo(healthServiceId());
        assertThat(status.refusals()).isEmpty();

        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("healthCheckIntervalSeconds", -5L)));
        String reason = "healthCheckIntervalSeconds must be in [1, 31536000], was -5";
        await().atMost(WAIT).untilAsserted(() -> assertThat(status.refusals()).singleElement().satisfies(r -> {
            assertThat(r.pid()).isEqualTo(WardenEngine.PID);
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.inForce()).isEqualTo("the settings last accepted");
        }));

        // the refused value stays on file (Config Admin keeps it): after a restart the engine refuses it again, and
        // says so. Refused at activation (no ${karaf.data} here, so nothing was kept: the defaults) or, had SCR
        // activated the engine before Config Admin delivered the configuration, by the change that follows.
        osgi.close();
        osgi = EmbeddedFramework.restart();
        ConfigurationStatus restarted = osgi.service(ConfigurationStatus.class, engines);
        await().atMost(WAIT).untilAsserted(() -> assertThat(restarted.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.inForce()).isIn("the built-in defaults", "the settings last accepted");
        }));

        config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("healthCheckIntervalSeconds", 30L)));
        await().atMost(WAIT).until(restarted::refusals, List::isEmpty);
        health = osgi.service(HealthService.class);
        assertThat(restarted).as("fixed by a change, not a new engine").isSameAs(health);
    }

    @Test
    @Timeout(30)
    void banIsPostedToEventAdmin() {
        List<Event> events = new CopyOnWriteArrayList<>();
        EventHandler handler = events::add;
        osgi.context().registerService(EventHandler.class, handler,
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, "org/warden/*")));
        osgi.reference(EventAdmin.class);

        health.reportHealth(WORKER, GOOD);
        osgi.service(PenaltyService.class).ban(WORKER, "forged results", Duration.ofHours(1));

        await().atMost(WAIT).untilAsserted(() -> assertThat(events)
                .filteredOn(e -> e.getTopic().equals(WardenEvents.TOPIC_BANNED))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getProperty(WardenEvents.WORKER_ID)).isEqualTo(WORKER);
                    assertThat(e.getProperty(WardenEvents.REASON)).isEqualTo("forged results");
                }));
    }

    @Test
    @Timeout(30)
    void faultyPolicyIsAnsweredByTheFallbackAndCounted() {
        osgi.registerPolicy("broken", 0, FixedPolicy.BROKEN);
        await().atMost(WAIT).until(() -> health.networkHealth().policyName(), "broken"::equals);

        assertThat(health.reportHealth(WORKER, GOOD).score()).isBetween(0.0, 1.0);
        assertThat(score()).isEqualTo(FALLBACK_SCORE);
        // network health is cached for up to networkHealthMaxAgeMs (1 s by default)
        await().atMost(WAIT).until(() -> health.networkHealth().policyFaults(), faults -> faults > 0);
    }

    // ---------------------------------------------------------------- helpers

    private double score() {
        return reputation.reputation(WORKER).orElseThrow().score();
    }

    private Object healthServiceId() {
        return osgi.reference(HealthService.class).getProperty(Constants.SERVICE_ID);
    }

    @Test
    @Timeout(30)
    void theRecordIsRestoredAtActivationSoWorkersAreEligibleAndServingFromMemoryIsASetting() throws Exception {
        health.reportHealth(WORKER, GOOD);
        osgi.registerPolicy("a", 0, new FixedPolicy(0.8));
        awaitPolicy("a", 0.8);
        // the store restored the record before the services were registered: workers are judged at once
        assertThat(reputation.eligibility(WORKER).reason()).isEqualTo("eligible");
        assertThat(health.networkHealth().store().available()).isTrue();

        Object serviceId = healthServiceId();
        Configuration config = osgi.service(ConfigurationAdmin.class).getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("eligibleBeforeRestore", true)));
        awaitServiceProperty("eligibleBeforeRestore", true);
        assertSameComponent(serviceId);
        assertThat(reputation.isEligible(WORKER)).isTrue();
    }

    /** The engine judges with that policy: its name in network health, its score for the worker. */
    private void awaitPolicy(String name, double score) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(health.networkHealth().policyName()).isEqualTo(name);
            assertThat(score()).isEqualTo(score);
        });
    }

    /** Not deactivated since: same service registration, same component instance. */
    private void assertSameComponent(Object healthServiceId) {
        assertThat(healthServiceId()).isEqualTo(healthServiceId);
        assertThat(osgi.service(HealthService.class)).isSameAs(health);
    }

    private void awaitServiceProperty(String key, Object value) {
        await().atMost(WAIT).until(() -> osgi.reference(HealthService.class).getProperty(key), value::equals);
    }

    /** A policy with one score for everything, never banning; {@link #BROKEN} throws from every method. */
    private static final class FixedPolicy implements WardenPolicy {
        static final FixedPolicy BROKEN = new FixedPolicy(-1);

        private final double score;

        FixedPolicy(double score) {
            this.score = score;
        }

        private double value(double v) {
            if (this == BROKEN) {
                throw new IllegalStateException("broken policy");
            }
            return v;
        }

        private ScoreBreakdown fixed() {
            return new ScoreBreakdown(value(score), List.of());
        }

        @Override
        public ScoreBreakdown healthScore(HealthMetrics metrics) {
            return fixed();
        }

        @Override
        public double healthyThreshold() {
            return value(0.5);
        }

        @Override
        public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
            return fixed();
        }

        @Override
        public double eligibilityThreshold() {
            return value(0.3);
        }

        @Override
        public double defaultSeverity(PenaltyType type) {
            return value(0.5);
        }

        @Override
        public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
            value(0);
            return Optional.empty();
        }

        @Override
        public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
            return fixed();
        }
    }
}
