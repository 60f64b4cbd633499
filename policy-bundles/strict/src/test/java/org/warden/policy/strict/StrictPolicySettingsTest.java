package org.warden.policy.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StrictPolicySettingsTest {

    @Test
    void theConfigurationDefaultsAreTheDefaults() {
        assertThat(Configs.settings(Map.of())).isEqualTo(StrictPolicySettings.DEFAULTS);
        assertThat(StrictPolicySettings.DEFAULTS.baseEjectionTime().toMinutes()).isEqualTo(30);
        assertThat(StrictPolicySettings.DEFAULTS.maxEjectionTime().toHours()).isEqualTo(5);
    }

    @Test
    void eachBadKeyIsNamed() {
        Map<String, Object> bad = Map.of(
                "consecutiveFailures", 0, "minimumHosts", 0, "requestVolume", -1.0, "falseEjectionRate", Double.NaN,
                "ejectionSuccessRate", 0.7,
                "maliciousReports", 0, "probationJobs", -1, "probationCap", 1.5, "minReputation", -0.1,
                "healthyThreshold", Double.NaN);
        assertThatIllegalArgumentException().isThrownBy(() -> Configs.settings(bad))
                .withMessageStartingWith("invalid strict policy settings: ")
                .withMessageContaining("consecutiveFailures must be at least 1, was 0")
                .withMessageContaining("minimumHosts must be at least 1, was 0")
                .withMessageContaining("requestVolume must be a finite number >= 0, was -1.0")
                .withMessageContaining("falseEjectionRate must be in (0, 0.5], was NaN")
                .withMessageContaining("ejectionSuccessRate must be in (0, acceptableSuccessRate (0.65)), was 0.7")
                .withMessageContaining("maliciousReports must be at least 1, was 0")
                .withMessageContaining("probationJobs must be at least 0, was -1")
                .withMessageContaining("probationCap must be in [0, 1], was 1.5")
                .withMessageContaining("minReputation must be in [0, 1], was -0.1")
                .withMessageContaining("healthyThreshold must be in [0, 1], was NaN");
    }

    @Test
    void ejectionTimes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Configs.settings(Map.of("baseEjectionTimeMinutes", 0L)))
                .withMessageContaining("baseEjectionTimeMinutes must be at least 1, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Configs.settings(Map.of("baseEjectionTimeMinutes", 60L, "maxEjectionTimeMinutes", 59L)))
                .withMessageContaining("maxEjectionTimeMinutes must be in [baseEjectionTimeMinutes (60), 52560000], was 59");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Configs.settings(Map.of("maxEjectionTimeMinutes", StrictPolicySettings.MAX_EJECTION_MINUTES + 1)))
                .withMessageContaining("maxEjectionTimeMinutes");
        assertThat(Configs.settings(Map.of("baseEjectionTimeMinutes", 60L, "maxEjectionTimeMinutes", 60L))
                .maxEjectionTimeMinutes()).isEqualTo(60);
    }

    @Test
    void edgesThatAreAccepted() {
        StrictPolicySettings s = Configs.settings(Map.of("requestVolume", 0.0, "falseEjectionRate", 0.5,
                "probationJobs", 0, "probationCap", 0.0, "minReputation", 1.0));
        assertThat(s.requestVolume()).isZero();
        assertThat(s.minReputation()).isEqualTo(1.0);
    }
}
