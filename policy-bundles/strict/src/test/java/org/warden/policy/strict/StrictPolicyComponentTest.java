package org.warden.policy.strict;

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
import org.warden.api.policy.NetworkStatistics;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.TestStats;

/** The component's life cycle as Declarative Services drives it, without a framework. */
class StrictPolicyComponentTest {
    private final LogRecorder log = new LogRecorder();
    private final StrictPolicyComponent component = new StrictPolicyComponent(log.logger());

    private List<Call> errors() {
        return log.at("error");
    }

    @Test
    void withoutConfigurationTheDefaultsAreInForce() {
        component.activate(Configs.defaults());
        assertThat(component.settings()).isEqualTo(StrictPolicySettings.DEFAULTS);
        assertThat(errors()).isEmpty();
        assertThat(log.calls()).extracting(Call::level).containsExactly("info");
    }

    @Test
    void anInvalidConfigurationAtActivationFallsBackToTheDefaultsAndSaysSo() {
        component.activate(Configs.with("falseEjectionRate", Double.NaN));
        assertThat(component.settings()).isEqualTo(StrictPolicySettings.DEFAULTS);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.policy.strict refused: invalid strict policy settings: "
                        + "falseEjectionRate must be in (0, 0.5], was NaN. "
                        + "The default settings are used instead: StrictPolicySettings[consecutiveFailures=5,"));
    }

    @Test
    void modifiedSwapsTheSettingsInPlace() {
        component.activate(Configs.defaults());
        component.modified(Configs.with(Map.of("minReputation", 0.7, "falseEjectionRate", 0.1)));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.7);
        Instant t0 = Instant.parse("2025-03-01T12:00:00Z");
        // ln(10) / ln(2) = 3.32: 4 failures in a row eject instead of 10
        assertThat(component.autoBan(TestStats.newcomer(t0).jobs(5, 4, t0).consecutiveFailures(4).build(),
                NetworkStatistics.EMPTY, t0)).isPresent();
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidModificationIsRefusedAndThePreviousSettingsStay() {
        component.activate(Configs.with("minReputation", 0.6));
        StrictPolicySettings before = component.settings();
        component.modified(Configs.with("minReputation", 1.5));
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
        component.activate(Configs.with("minReputation", 0.6));
        component.modified(Configs.with("consecutiveFailures", unconvertible));
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(errors()).singleElement().satisfies(e -> {
            assertThat(e.text()).startsWith("Configuration org.warden.policy.strict could not be read. "
                    + "The settings in force stay: StrictPolicySettings[");
            assertThat(e.args()).last().isSameAs(unconvertible);
        });
    }

    @Test
    void everyCallIsDelegated() {
        component.activate(Configs.defaults());
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
}
