package org.warden.policy.strict;

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
import org.warden.api.policy.NetworkStatistics;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.RecordingBundleContext;
import org.warden.policy.testkit.TestStats;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class StrictPolicyComponentTest {
    private final LogRecorder log = new LogRecorder();
    private static final Instant REFUSED_AT = Instant.parse("2026-12-06T03:00:00Z");
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final StrictPolicyComponent component = new StrictPolicyComponent(log.logger(), Clock.fixed(REFUSED_AT, ZoneOffset.UTC));

    private List<Call> errors() {
        return log.at("error");
    }

    @Test
    void withoutConfigurationTheDefaultsAreInForce() {
        component.activate(bundle.context(), Configs.properties());
        assertThat(component.settings()).isEqualTo(StrictPolicySettings.DEFAULTS);
        assertThat(errors()).isEmpty();
        assertThat(log.calls()).extracting(Call::level).containsExactly("info");
    }

    @Test
    void anInvalidConfigurationAtActivationFallsBackToTheDefaultsAndSaysSo() {
        component.activate(bundle.context(), Configs.properties("falseEjectionRate", Double.NaN));
        assertThat(component.settings()).isEqualTo(StrictPolicySettings.DEFAULTS);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.strict refused: invalid strict policy settings: "
                        + "falseEjectionRate must be in (0, 0.5], was NaN. "
                        + "The default settings are used instead: StrictPolicySettings[consecutiveFailures=5,"));
    }

    @Test
    void modifiedSwapsTheSettingsInPlace() {
        component.activate(bundle.context(), Configs.properties());
        component.modified(Configs.properties(Map.of("minReputation", 0.7, "falseEjectionRate", 0.1)));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.7);
        Instant t0 = Instant.parse("2025-03-01T12:00:00Z");
        // ln(10) / ln(2) = 3.32: 4 failures in a row eject instead of 10
        assertThat(component.autoBan(TestStats.newcomer(t0).jobs(5, 4, t0).consecutiveFailures(4).build(),
                NetworkStatistics.EMPTY, t0)).isPresent();
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidModificationIsRefusedAndThePreviousSettingsStay() {
        component.activate(bundle.context(), Configs.properties("minReputation", 0.6));
        StrictPolicySettings before = component.settings();
        component.modified(Configs.properties("minReputation", 1.5));
        assertThat(component.settings()).isSameAs(before);
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text())
                .contains("refused: invalid strict policy settings: minReputation must be in [0, 1], "
                        + "was 1.5. The settings in force stay: ")
                .contains("minReputation=0.6"));
    }

    @Test
    void anUnreadableModificationIsRefusedWithItsException() {
        IllegalStateException unconvertible = new IllegalStateException("cannot convert \"lots\" to int");
        component.activate(bundle.context(), Configs.properties("minReputation", 0.6));
        component.modified(Configs.properties("consecutiveFailures", unconvertible));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.text()).startsWith("Configuration org.warden.policy.strict could not be read. "
                    + "The settings in force stay: StrictPolicySettings[");
            assertThat(e.args()).last().isSameAs(unconvertible);
        });
    }

    @Test
    void everyCallIsDelegated() {
        component.activate(bundle.context(), Configs.properties());
        StrictPolicy plain = new StrictPolicy(StrictPolicySettings.DEFAULTS);
        Instant t0 = Instant.parse("2025-03-01T12:00:00Z");
        TestStats stats = TestStats.newcomer(t0).jobs(0, 80, t0).consecutiveFailures(2).build();
        NetworkStatistics network = new NetworkStatistics(10, 10, 0.9, 0.05, 5, t0);
        HealthMetrics metrics = HealthMetrics.of(150, 65, 70, 40, 50);
        AuctionContext auction = new AuctionContext(2, BigInteger.ONE, BigInteger.TEN, 10, 100);
        Bid bid = Bid.of("w", 5, 50);

        assertThat(component.healthScore(metrics)).isEqualTo(plain.healthScore(metrics));
        assertThat(component.healthyThreshold()).isEqualTo(plain.healthyThreshold());
        assertThat(component.reputation(stats, t0)).isEqualTo(plain.reputation(stats, t0));
        assertThat(component.reputation(stats, network, t0)).isEqualTo(plain.reputation(stats, network, t0));
        assertThat(component.eligibilityThreshold()).isEqualTo(plain.eligibilityThreshold());
        assertThat(component.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(component.autoBan(stats, t0)).isEqualTo(plain.autoBan(stats, t0)).isPresent();
        assertThat(component.autoBan(stats, network, t0)).isEqualTo(plain.autoBan(stats, network, t0)).isPresent();
        assertThat(component.selectionScore(bid, 0.6, 0.7, auction))
                .isEqualTo(plain.selectionScore(bid, 0.6, 0.7, auction));
        assertThat(component.selectionScore(bid, stats, 0.6, 0.7, auction))
                .isEqualTo(plain.selectionScore(bid, stats, 0.6, 0.7, auction));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingItsKeyAndThePreviousSettingsStay() {
        // as config:property-set writes them: text
        component.activate(bundle.context(), Configs.properties("minReputation", "0.7"));
        StrictPolicySettings before = component.settings();
        assertThat(before.minReputation()).isEqualTo(0.7);

        component.modified(Configs.properties(Map.of("minReputation", "abc", "consecutiveFailures", "2.5")));

        assertThat(component.settings()).isSameAs(before);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.strict refused: "
                        + "consecutiveFailures must be a whole number in [-2147483648, 2147483647], was '2.5'; "
                        + "minReputation must be a number, was 'abc'. "
                        + "The settings in force stay: StrictPolicySettings[").contains("minReputation=0.7"));
        assertThat(errors().get(0).args()).noneMatch(Throwable.class::isInstance);
    }

    @Test
    void aRefusedConfigurationIsReportedForTheHealthCheckUntilAnAcceptedOneArrives() {
        component.activate(bundle.context(), Configs.properties());
        ConfigurationStatus status = registeredStatus(bundle); // the one registered
        assertThat(status.refusals()).isEmpty();

        component.modified(Configs.properties("minReputation", "abc"));
        assertThat(status.refusals()).containsExactly(new ConfigurationRefusal("org.warden.policy.strict",
                "minReputation must be a number, was 'abc'", "the settings last accepted", REFUSED_AT));

        component.modified(Configs.properties());
        assertThat(status.refusals()).as("the value removed from the file").isEmpty();

        component.deactivate();
        assertThat(bundle.registered(ConfigurationStatus.class)).as("unregistered with the component").isEmpty();
    }

    @Test
    void aConfigurationRefusedAtActivationIsReportedFromTheStart() {
        component.activate(bundle.context(), Configs.properties("minReputation", "lots"));
        assertThat(component.settings()).isEqualTo(StrictPolicySettings.DEFAULTS);
        assertThat(registeredStatus(bundle).refusals()).containsExactly(new ConfigurationRefusal(
                "org.warden.policy.strict", "minReputation must be a number, was 'lots'",
                "the built-in defaults", REFUSED_AT));
    }
}
