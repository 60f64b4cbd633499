package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.policy.testkit.TestConfigurations.registeredStatus;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.Bid;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.policy.AuctionContext;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.RecordingBundleContext;
import org.warden.policy.testkit.TestStats;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class DefaultPolicyComponentTest {
    private final LogRecorder log = new LogRecorder();
    private static final Instant REFUSED_AT = Instant.parse("2026-12-06T03:00:00Z");
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final DefaultPolicyComponent component = new DefaultPolicyComponent(log.logger(), Clock.fixed(REFUSED_AT, ZoneOffset.UTC));

    private List<Call> errors() {
        return log.at("error");
    }

    @Test
    void withoutConfigurationTheSeedIsInForce() {
        component.activate(bundle.context(), Configs.properties());
        assertThat(component.settings()).isEqualTo(DefaultPolicySettings.SEED);
        assertThat(errors()).isEmpty();
        assertThat(log.calls()).extracting(Call::level).containsExactly("info");
    }

    @Test
    void aValidConfigurationIsUsed() {
        component.activate(bundle.context(), Configs.properties("minReputationThreshold", 0.6));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidConfigurationAtActivationFallsBackToTheSeedAndSaysSo() {
        component.activate(bundle.context(), Configs.properties("successRateWeight", Double.NaN));
        assertThat(component.settings()).isEqualTo(DefaultPolicySettings.SEED);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.default refused: invalid default policy settings: "
                        + "successRateWeight must be a finite number >= 0, was NaN. "
                        + "The seed's settings are used instead: DefaultPolicySettings[successRateWeight=0.4,"));
    }

    @Test
    void anUnreadableConfigurationIsRefusedWithItsException() {
        IllegalStateException unconvertible = new IllegalStateException("cannot convert \"lots\" to int");
        component.activate(bundle.context(), Configs.properties("minReputationThreshold", 0.6));
        component.modified(Configs.properties("autoBanMaliciousReports", unconvertible));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.text()).startsWith("Configuration org.warden.policy.default could not be read. "
                    + "The settings in force stay: DefaultPolicySettings[").contains("minReputationThreshold=0.6");
            assertThat(e.args()).last().isSameAs(unconvertible);
        });
    }

    @Test
    void modifiedSwapsTheSettingsInPlace() {
        component.activate(bundle.context(), Configs.properties());
        component.modified(Configs.properties(Map.of("healthyThreshold", 0.7, "timeoutPenaltySeverity", 0.2)));
        assertThat(component.healthyThreshold()).isEqualTo(0.7);
        assertThat(component.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.2);
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidModificationIsRefusedAndThePreviousSettingsStay() {
        component.activate(bundle.context(), Configs.properties("minReputationThreshold", 0.6));
        DefaultPolicySettings before = component.settings();
        component.modified(Configs.properties("minReputationThreshold", 1.5));
        assertThat(component.settings()).isSameAs(before);
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text())
                .contains("refused: invalid default policy settings: minReputationThreshold must be in [0, 1], "
                        + "was 1.5. The settings in force stay: ")
                .contains("minReputationThreshold=0.6"));
    }

    @Test
    void everyCallIsDelegated() {
        component.activate(bundle.context(), Configs.properties());
        DefaultPolicy seed = new DefaultPolicy(DefaultPolicySettings.SEED);
        Instant t0 = Instant.parse("2025-03-01T12:00:00Z");
        TestStats stats = TestStats.newcomer(t0).jobs(4, 1, t0).maliciousReports(3).build();
        HealthMetrics metrics = HealthMetrics.of(150, 65, 70, 40, 50);
        AuctionContext auction = new AuctionContext(2, BigInteger.ONE, BigInteger.TEN, 10, 100);
        Bid bid = Bid.of("w", 5, 50);

        assertThat(component.healthScore(metrics)).isEqualTo(seed.healthScore(metrics));
        assertThat(component.healthyThreshold()).isEqualTo(seed.healthyThreshold());
        assertThat(component.reputation(stats, t0.plusSeconds(86_400)))
                .isEqualTo(seed.reputation(stats, t0.plusSeconds(86_400)));
        assertThat(component.eligibilityThreshold()).isEqualTo(seed.eligibilityThreshold());
        assertThat(component.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(component.autoBan(stats, t0)).isEqualTo(seed.autoBan(stats, t0)).isPresent();
        assertThat(component.selectionScore(bid, 0.6, 0.7, auction))
                .isEqualTo(seed.selectionScore(bid, 0.6, 0.7, auction));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingItsKeyAndThePreviousSettingsStay() {
        // as config:property-set writes them: text
        component.activate(bundle.context(), Configs.properties("minReputationThreshold", "0.7"));
        DefaultPolicySettings before = component.settings();
        assertThat(before.minReputationThreshold()).isEqualTo(0.7);

        component.modified(Configs.properties(Map.of("minReputationThreshold", "abc", "vettingJobs", "2.5")));

        assertThat(component.settings()).isSameAs(before);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.default refused: minReputationThreshold must be a number, was 'abc'; "
                        + "vettingJobs must be a whole number in [-2147483648, 2147483647], was '2.5'. "
                        + "The settings in force stay: DefaultPolicySettings[").contains("minReputationThreshold=0.7"));
        assertThat(errors().get(0).args()).noneMatch(Throwable.class::isInstance);
    }

    @Test
    void aRefusedConfigurationIsReportedForTheHealthCheckUntilAnAcceptedOneArrives() {
        component.activate(bundle.context(), Configs.properties());
        ConfigurationStatus status = registeredStatus(bundle); // the one registered
        assertThat(status.refusals()).isEmpty();

        component.modified(Configs.properties("minReputationThreshold", "abc"));
        assertThat(status.refusals()).containsExactly(new ConfigurationRefusal("org.warden.policy.default",
                "minReputationThreshold must be a number, was 'abc'", "the settings last accepted", REFUSED_AT));

        component.modified(Configs.properties());
        assertThat(status.refusals()).as("the value removed from the file").isEmpty();

        component.deactivate();
        assertThat(bundle.registered(ConfigurationStatus.class)).as("unregistered with the component").isEmpty();
    }

    @Test
    void aConfigurationRefusedAtActivationIsReportedFromTheStart() {
        component.activate(bundle.context(), Configs.properties("minReputationThreshold", "lots"));
        assertThat(component.settings()).isEqualTo(DefaultPolicySettings.SEED);
        assertThat(registeredStatus(bundle).refusals()).containsExactly(new ConfigurationRefusal(
                "org.warden.policy.default", "minReputationThreshold must be a number, was 'lots'",
                "the built-in defaults", REFUSED_AT));
    }

    @Test
    void aValueRefusedAtTheNextBootLeavesTheSettingsLastAcceptedInForce(@TempDir Path karafData) {
        RecordingBundleContext inKaraf = new RecordingBundleContext().withProperty("karaf.data", karafData.toString());
        component.activate(inKaraf.context(), Configs.properties());
        component.modified(Configs.properties("minReputationThreshold", "0.6"));
        component.modified(Configs.properties("minReputationThreshold", "abc")); // refused, left on file
        component.deactivate();
        Path kept = karafData.resolve("warden").resolve("org.warden.policy.default.properties");
        assertThat(kept).content().contains("minReputationThreshold=0.6").doesNotContain("abc");

        // the next boot: a new component, on the file's refused value
        LogRecorder bootLog = new LogRecorder();
        DefaultPolicyComponent afterRestart = new DefaultPolicyComponent(bootLog.logger(),
                Clock.fixed(REFUSED_AT, ZoneOffset.UTC));
        RecordingBundleContext rebooted = new RecordingBundleContext().withProperty("karaf.data", karafData.toString());
        afterRestart.activate(rebooted.context(), Configs.properties("minReputationThreshold", "abc"));

        assertThat(afterRestart.settings()).isEqualTo(Configs.settings(Map.of("minReputationThreshold", 0.6)));
        assertThat(registeredStatus(rebooted).refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("minReputationThreshold must be a number, was 'abc'");
            assertThat(r.inForce()).startsWith("the settings last accepted (saved ").endsWith(" in " + kept + ")");
            assertThat(r.since()).isEqualTo(REFUSED_AT);
        });
        assertThat(bootLog.at("error")).singleElement().extracting(Call::text).asString()
                .contains("minReputationThreshold must be a number, was 'abc'")
                .contains("The settings last accepted (saved ").contains("minReputationThreshold=0.6");
    }
}
