package org.warden.policy.bayesian;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.Horizon;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.TestStats;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class BayesianPolicyComponentTest {
    private final LogRecorder log = new LogRecorder();
    private final BayesianPolicyComponent component = new BayesianPolicyComponent(log.logger());

    private List<Call> errors() {
        return log.at("error");
    }

    @Test
    void withoutConfigurationTheDefaultsAreInForce() {
        component.activate(Configs.defaults());
        assertThat(component.settings()).isEqualTo(BayesianPolicySettings.DEFAULTS);
        assertThat(errors()).isEmpty();
        assertThat(log.calls()).extracting(Call::level).containsExactly("info");
    }

    @Test
    void anInvalidConfigurationAtActivationFallsBackToTheDefaultsAndSaysSo() {
        component.activate(Configs.with("confidenceZ", Double.NaN));
        assertThat(component.settings()).isEqualTo(BayesianPolicySettings.DEFAULTS);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.bayesian refused: invalid bayesian policy settings: "
                        + "confidenceZ must be in [0, 10.0], was NaN. "
                        + "The default settings are used instead: BayesianPolicySettings[priorAlpha=1.0,"));
    }

    @Test
    void modifiedSwapsTheSettingsInPlace() {
        component.activate(Configs.defaults());
        component.modified(Configs.with(Map.of("suspensionThreshold", 0.7, "forgettingHorizon", Horizon.DAY)));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.7);
        assertThat(component.settings().forgettingHorizon()).isEqualTo(Horizon.DAY);
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidModificationIsRefusedAndThePreviousSettingsStay() {
        component.activate(Configs.with("suspensionThreshold", 0.7));
        BayesianPolicySettings before = component.settings();
        component.modified(Configs.with(Map.of("suspensionThreshold", 0.2, "banThreshold", 0.3)));
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
        component.activate(Configs.with("vettingJobs", 5));
        component.modified(Configs.with("banMinJobs", unconvertible));
        assertThat(component.settings().vettingJobs()).isEqualTo(5);
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.text()).startsWith("Configuration org.warden.policy.bayesian could not be read. "
                    + "The settings in force stay: BayesianPolicySettings[");
            assertThat(e.args()).last().isSameAs(unconvertible);
        });
    }

    @Test
    void everyCallIsDelegated() {
        component.activate(Configs.defaults());
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
}
