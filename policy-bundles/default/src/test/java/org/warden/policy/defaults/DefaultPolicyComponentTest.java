package org.warden.policy.defaults;

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
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.TestStats;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class DefaultPolicyComponentTest {
    private final LogRecorder log = new LogRecorder();
    private final DefaultPolicyComponent component = new DefaultPolicyComponent(log.logger());

    private List<Call> errors() {
        return log.at("error");
    }

    @Test
    void withoutConfigurationTheSeedIsInForce() {
        component.activate(Configs.defaults());
        assertThat(component.settings()).isEqualTo(DefaultPolicySettings.SEED);
        assertThat(errors()).isEmpty();
        assertThat(log.calls()).extracting(Call::level).containsExactly("info");
    }

    @Test
    void aValidConfigurationIsUsed() {
        component.activate(Configs.with("minReputationThreshold", 0.6));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidConfigurationAtActivationFallsBackToTheSeedAndSaysSo() {
        component.activate(Configs.with("successRateWeight", Double.NaN));
        assertThat(component.settings()).isEqualTo(DefaultPolicySettings.SEED);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.default refused: invalid default policy settings: "
                        + "successRateWeight must be a finite number >= 0, was NaN. "
                        + "The seed's settings are used instead: DefaultPolicySettings[successRateWeight=0.4,"));
    }

    @Test
    void anUnreadableConfigurationIsRefusedWithItsException() {
        IllegalStateException unconvertible = new IllegalStateException("cannot convert \"lots\" to int");
        component.activate(Configs.with("minReputationThreshold", 0.6));
        component.modified(Configs.with("autoBanMaliciousReports", unconvertible));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.text()).startsWith("Configuration org.warden.policy.default could not be read. "
                    + "The settings in force stay: DefaultPolicySettings[").contains("minReputationThreshold=0.6");
            assertThat(e.args()).last().isSameAs(unconvertible);
        });
    }

    @Test
    void modifiedSwapsTheSettingsInPlace() {
        component.activate(Configs.defaults());
        component.modified(Configs.with(Map.of("healthyThreshold", 0.7, "timeoutPenaltySeverity", 0.2)));
        assertThat(component.healthyThreshold()).isEqualTo(0.7);
        assertThat(component.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.2);
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidModificationIsRefusedAndThePreviousSettingsStay() {
        component.activate(Configs.with("minReputationThreshold", 0.6));
        DefaultPolicySettings before = component.settings();
        component.modified(Configs.with("minReputationThreshold", 1.5));
        assertThat(component.settings()).isSameAs(before);
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text())
                .contains("refused: invalid default policy settings: minReputationThreshold must be in [0, 1], "
                        + "was 1.5. The settings in force stay: ")
                .contains("minReputationThreshold=0.6"));
    }

    @Test
    void everyCallIsDelegated() {
        component.activate(Configs.defaults());
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
}
