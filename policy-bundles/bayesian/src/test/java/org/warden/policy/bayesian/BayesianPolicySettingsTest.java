package org.warden.policy.bayesian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.policy.Horizon;

class BayesianPolicySettingsTest {
    @Test
    void theConfigurationDefaultsAreTheDefaults() {
        assertThat(Configs.settings(Map.of())).isEqualTo(BayesianPolicySettings.DEFAULTS);
        assertThat(BayesianPolicySettings.DEFAULTS.forgettingHorizon()).isEqualTo(Horizon.WEEK);
        assertThat(BayesianPolicySettings.DEFAULTS.confidenceZ()).isEqualTo(1.645);
    }

    @Test
    void eachBadKeyIsNamed() {
        Map<String, Object> bad = Map.ofEntries(
                Map.entry("priorAlpha", 0.0),
                Map.entry("priorBeta", Double.NaN),
                Map.entry("confidenceZ", -1.0),
                Map.entry("vettingJobs", -1),
                Map.entry("explorationShare", 1.5),
                Map.entry("suspensionThreshold", -0.1),
                Map.entry("banThreshold", 2.0),
                Map.entry("banMinJobs", 0),
                Map.entry("banMaliciousReports", -1),
                Map.entry("banDurationHours", -1L),
                Map.entry("acceptableSuccessRate", 1.0),
                Map.entry("failingSuccessRate", 0.9),
                Map.entry("falseSuspensionRate", 0.0),
                Map.entry("maxTimeToEstimateRatio", 1.0),
                Map.entry("healthyThreshold", Double.POSITIVE_INFINITY));
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            assertThatIllegalArgumentException().as(e.getKey())
                    .isThrownBy(() -> Configs.settings(Map.of(e.getKey(), e.getValue())))
                    .withMessageStartingWith("invalid bayesian policy settings: " + e.getKey() + " must ");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> Configs.settings(bad))
                .withMessageContaining("priorAlpha").withMessageContaining("healthyThreshold")
                .withMessageContaining("banDurationHours");
    }

    @Test
    void nullHorizonIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BayesianPolicySettings(1, 1, null, 1.645, 20,
                0.1, 0.6, 0.3, 50, 1, 0, 0.85, 0.35, 1e-3, 2.0, 0.5)).withMessageContaining("forgettingHorizon");
    }

    @Test
    void suspensionComesBeforeBan() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Configs.settings(Map.of("banThreshold", 0.7)))
                .withMessageContaining("banThreshold must not exceed suspensionThreshold");
        assertThat(Configs.settings(Map.of("banThreshold", 0.6)).banThreshold()).isEqualTo(0.6);
    }

    @Test
    void edgesAreAccepted() {
        BayesianPolicySettings s = Configs.settings(Map.of("confidenceZ", 0.0, "vettingJobs", 0,
                "explorationShare", 1.0, "banMaliciousReports", 0,
                "banDurationHours", BayesianPolicySettings.MAX_BAN_DURATION_HOURS,
                "forgettingHorizon", Horizon.HOUR));
        assertThat(s.forgettingHorizon()).isEqualTo(Horizon.HOUR);
        assertThatIllegalArgumentException().isThrownBy(() -> Configs.settings(
                Map.of("banDurationHours", BayesianPolicySettings.MAX_BAN_DURATION_HOURS + 1)));
    }
}
