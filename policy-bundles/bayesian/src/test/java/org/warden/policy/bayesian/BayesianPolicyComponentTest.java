package org.warden.policy.bayesian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.policy.testkit.TestConfigurations.registeredStatus;

import java.math.BigInteger;
import java.time.Instant;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.Horizon;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.RecordingBundleContext;
import org.warden.policy.testkit.TestStats;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class BayesianPolicyComponentTest {
    private final LogRecorder log = new LogRecorder();
    private static final Instant REFUSED_AT = Instant.parse("2026-12-06T03:00:00Z");
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final BayesianPolicyComponent component = new BayesianPolicyComponent(log.logger(), Clock.fixed(REFUSED_AT, ZoneOffset.UTC));

    private List<Call> errors() {
        return log.at("error");
    }

    @Test
    void withoutConfigurationTheDefaultsAreInForce() {
        component.activate(bundle.context(), Configs.properties());
        assertThat(component.settings()).isEqualTo(BayesianPolicySettings.DEFAULTS);
        assertThat(errors()).isEmpty();
        assertThat(log.calls()).extracting(Call::level).containsExactly("info");
    }

    @Test
    void anInvalidConfigurationAtActivationFallsBackToTheDefaultsAndSaysSo() {
        component.activate(bundle.context(), Configs.properties("confidenceZ", Double.NaN));
        assertThat(component.settings()).isEqualTo(BayesianPolicySettings.DEFAULTS);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.bayesian refused: invalid bayesian policy settings: "
                        + "confidenceZ must be in [0, 10.0], was NaN. "
                        + "The default settings are used instead: BayesianPolicySettings[priorAlpha=1.0,"));
    }

    @Test
    void modifiedSwapsTheSettingsInPlace() {
        component.activate(bundle.context(), Configs.properties());
        component.modified(Configs.properties(Map.of("suspensionThreshold", 0.7, "forgettingHorizon", Horizon.DAY)));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.7);
        assertThat(component.settings().forgettingHorizon()).isEqualTo(Horizon.DAY);
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidModificationIsRefusedAndThePreviousSettingsStay() {
        component.activate(bundle.context(), Configs.properties("suspensionThreshold", 0.7));
        BayesianPolicySettings before = component.settings();
        component.modified(Configs.properties(Map.of("suspensionThreshold", 0.2, "banThreshold", 0.3)));
        assertThat(component.settings()).isSameAs(before);
        assertThat(component.eligibilityThreshold()).isEqualTo(0.7);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text())
                .contains("refused: invalid bayesian policy settings: banThreshold must not exceed "
                        + "suspensionThreshold (suspension before ban), was 0.3 > 0.2. The settings in force stay: ")
                .contains("suspensionThreshold=0.7"));
    }

    @Test
    void anUnreadableConfigurationIsRefusedWithItsException() {
        IllegalStateException unconvertible = new IllegalStateException("cannot convert \"lots\" to int");
        component.activate(bundle.context(), Configs.properties("vettingJobs", 5));
        component.modified(Configs.properties("banMinJobs", unconvertible));
        assertThat(component.settings().vettingJobs()).isEqualTo(5);
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.text()).startsWith("Configuration org.warden.policy.bayesian could not be read. "
                    + "The settings in force stay: BayesianPolicySettings[");
            assertThat(e.args()).last().isSameAs(unconvertible);
        });
    }

    @Test
    void everyCallIsDelegated() {
        component.activate(bundle.context(), Configs.properties());
        BayesianPolicy defaults = new BayesianPolicy(BayesianPolicySettings.DEFAULTS);
        Instant t0 = Instant.parse("2025-03-01T12:00:00Z");
        TestStats stats = TestStats.newcomer(t0).jobs(4, 1, t0).maliciousReports(1).build();
        HealthMetrics metrics = HealthMetrics.of(150, 65, 70, 40, 50);
        AuctionContext auction = new AuctionContext(2, BigInteger.ONE, BigInteger.TEN, 10, 100, "job-1");
        Bid bid = Bid.of("w", 5, 50);

        assertThat(component.healthScore(metrics)).isEqualTo(defaults.healthScore(metrics));
        assertThat(component.healthyThreshold()).isEqualTo(0.5);
        assertThat(component.reputation(stats, t0)).isEqualTo(defaults.reputation(stats, t0));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(component.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(component.autoBan(stats, t0)).isEqualTo(defaults.autoBan(stats, t0)).isPresent();
        assertThat(component.selectionScore(bid, 0.6, 0.7, auction))
                .isEqualTo(defaults.selectionScore(bid, 0.6, 0.7, auction));
        assertThat(component.selectionScore(bid, stats, 0.6, 0.7, auction))
                .isEqualTo(defaults.selectionScore(bid, stats, 0.6, 0.7, auction));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingItsKeyAndThePreviousSettingsStay() {
        // as config:property-set writes them: text
        component.activate(bundle.context(), Configs.properties("suspensionThreshold", "0.7"));
        BayesianPolicySettings before = component.settings();
        assertThat(before.suspensionThreshold()).isEqualTo(0.7);

        component.modified(Configs.properties(Map.of("suspensionThreshold", "abc", "vettingJobs", "2.5")));

        assertThat(component.settings()).isSameAs(before);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.bayesian refused: suspensionThreshold must be a number, was 'abc'; "
                        + "vettingJobs must be a whole number in [-2147483648, 2147483647], was '2.5'. "
                        + "The settings in force stay: BayesianPolicySettings[").contains("suspensionThreshold=0.7"));
        assertThat(errors().get(0).args()).noneMatch(Throwable.class::isInstance);
    }

    @Test
    void aRefusedConfigurationIsReportedForTheHealthCheckUntilAnAcceptedOneArrives() {
        component.activate(bundle.context(), Configs.properties());
        ConfigurationStatus status = registeredStatus(bundle); // the one registered
        assertThat(status.refusals()).isEmpty();

        component.modified(Configs.properties("suspensionThreshold", "abc"));
        assertThat(status.refusals()).containsExactly(new ConfigurationRefusal("org.warden.policy.bayesian",
                "suspensionThreshold must be a number, was 'abc'", "the settings last accepted", REFUSED_AT));

        component.modified(Configs.properties());
        assertThat(status.refusals()).as("the value removed from the file").isEmpty();

        component.deactivate();
        assertThat(bundle.registered(ConfigurationStatus.class)).as("unregistered with the component").isEmpty();
    }

    @Test
    void aConfigurationRefusedAtActivationIsReportedFromTheStart() {
        component.activate(bundle.context(), Configs.properties("suspensionThreshold", "lots"));
        assertThat(component.settings()).isEqualTo(BayesianPolicySettings.DEFAULTS);
        assertThat(registeredStatus(bundle).refusals()).containsExactly(new ConfigurationRefusal(
                "org.warden.policy.bayesian", "suspensionThreshold must be a number, was 'lots'",
                "the built-in defaults", REFUSED_AT));
    }
}
