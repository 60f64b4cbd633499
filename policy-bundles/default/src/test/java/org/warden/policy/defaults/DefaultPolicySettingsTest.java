package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultPolicySettingsTest {

    @Test
    void seedHasTheSeedsValues() {
        DefaultPolicySettings s = DefaultPolicySettings.SEED;
        assertThat(s.successRateWeight()).isEqualTo(0.40);
        assertThat(s.reliabilityWeight()).isEqualTo(0.25);
        assertThat(s.efficiencyWeight()).isEqualTo(0.20);
        assertThat(s.consistencyWeight()).isEqualTo(0.15);
        assertThat(s.selectionReputationWeight()).isEqualTo(0.35);
        assertThat(s.selectionHealthWeight()).isEqualTo(0.25);
        assertThat(s.selectionBidWeight()).isEqualTo(0.25);
        assertThat(s.selectionTimeWeight()).isEqualTo(0.15);
        assertThat(s.reputationDecayRatePerDay()).isEqualTo(0.01);
        assertThat(s.minReputationThreshold()).isEqualTo(0.3);
        assertThat(s.maxReputationScore()).isEqualTo(1.0);
        assertThat(s.failurePenaltyMultiplier()).isEqualTo(0.9);
        assertThat(s.successBonusMultiplier()).isEqualTo(1.05);
        assertThat(s.successBonusMaxStreak()).isEqualTo(1);
        assertThat(s.failureMaxStreak()).isEqualTo(20);
        assertThat(s.timeoutPenaltySeverity()).isEqualTo(0.8);
        assertThat(s.maliciousPenaltySeverity()).isEqualTo(0.5);
        assertThat(s.enableAutoBan()).isTrue();
        assertThat(s.autoBanMaliciousReports()).isEqualTo(3);
        assertThat(s.autoBanDurationHours()).isZero();
        assertThat(s.healthyThreshold()).isEqualTo(0.5);
    }

    @Test
    void configurationDefaultsAreTheSeed() {
        assertThat(DefaultPolicySettings.from(Configs.defaults())).isEqualTo(DefaultPolicySettings.SEED);
    }

    @Test
    void everyKeyReachesItsSetting() {
        DefaultPolicySettings s = Configs.settings(Map.ofEntries(
                Map.entry("successRateWeight", 1.0), Map.entry("reliabilityWeight", 2.0),
                Map.entry("efficiencyWeight", 3.0), Map.entry("consistencyWeight", 4.0),
                Map.entry("selectionReputationWeight", 5.0), Map.entry("selectionHealthWeight", 6.0),
                Map.entry("selectionBidWeight", 7.0), Map.entry("selectionTimeWeight", 8.0),
                Map.entry("reputationDecayRatePerDay", 0.09), Map.entry("minReputationThreshold", 0.1),
                Map.entry("maxReputationScore", 0.11), Map.entry("failurePenaltyMultiplier", 0.12),
                Map.entry("successBonusMultiplier", 1.13), Map.entry("successBonusMaxStreak", 14),
                Map.entry("failureMaxStreak", 15), Map.entry("timeoutPenaltySeverity", 0.16),
                Map.entry("maliciousPenaltySeverity", 0.17), Map.entry("enableAutoBan", false),
                Map.entry("autoBanMaliciousReports", 19), Map.entry("autoBanDurationHours", 20L),
                Map.entry("healthyThreshold", 0.21), Map.entry("explorationShare", 0.22),
                Map.entry("vettingJobs", 23)));
        assertThat(s).isEqualTo(new DefaultPolicySettings(1, 2, 3, 4, 5, 6, 7, 8, 0.09, 0.1, 0.11, 0.12, 1.13,
                14, 15, 0.16, 0.17, false, 19, 20, 0.21, 0.22, 23));
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("successRateWeight", Double.NaN, "successRateWeight must be a finite number >= 0"),
                Arguments.of("explorationShare", 1.5, "explorationShare must be in [0, 1]"),
                Arguments.of("vettingJobs", 0, "vettingJobs must be at least 1"),
                Arguments.of("reliabilityWeight", -0.1, "reliabilityWeight must be a finite number >= 0"),
                Arguments.of("efficiencyWeight", Double.POSITIVE_INFINITY, "efficiencyWeight must be a finite number >= 0"),
                Arguments.of("consistencyWeight", -1.0, "consistencyWeight must be a finite number >= 0"),
                Arguments.of("selectionReputationWeight", Double.NaN, "selectionReputationWeight must be a finite number >= 0"),
                Arguments.of("selectionHealthWeight", -0.25, "selectionHealthWeight must be a finite number >= 0"),
                Arguments.of("selectionBidWeight", Double.NEGATIVE_INFINITY, "selectionBidWeight must be a finite number >= 0"),
                Arguments.of("selectionTimeWeight", -0.15, "selectionTimeWeight must be a finite number >= 0"),
                Arguments.of("reputationDecayRatePerDay", 1.0, "reputationDecayRatePerDay must be in [0, 1)"),
                Arguments.of("reputationDecayRatePerDay", -0.01, "reputationDecayRatePerDay must be in [0, 1)"),
                Arguments.of("reputationDecayRatePerDay", Double.NaN, "reputationDecayRatePerDay must be in [0, 1)"),
                Arguments.of("minReputationThreshold", 1.5, "minReputationThreshold must be in [0, 1]"),
                Arguments.of("minReputationThreshold", -0.1, "minReputationThreshold must be in [0, 1]"),
                Arguments.of("maxReputationScore", 0.0, "maxReputationScore must be in (0, 1]"),
                Arguments.of("maxReputationScore", 1.5, "maxReputationScore must be in (0, 1]"),
                Arguments.of("failurePenaltyMultiplier", 0.0, "failurePenaltyMultiplier must be a finite number > 0"),
                Arguments.of("failurePenaltyMultiplier", Double.NaN, "failurePenaltyMultiplier must be a finite number > 0"),
                Arguments.of("successBonusMultiplier", -1.05, "successBonusMultiplier must be a finite number > 0"),
                Arguments.of("successBonusMultiplier", Double.POSITIVE_INFINITY, "successBonusMultiplier must be a finite number > 0"),
                Arguments.of("successBonusMaxStreak", 0, "successBonusMaxStreak must be at least 1"),
                Arguments.of("failureMaxStreak", -3, "failureMaxStreak must be at least 1"),
                Arguments.of("timeoutPenaltySeverity", 1.1, "timeoutPenaltySeverity must be in [0, 1]"),
                Arguments.of("maliciousPenaltySeverity", -0.1, "maliciousPenaltySeverity must be in [0, 1]"),
                Arguments.of("maliciousPenaltySeverity", Double.NaN, "maliciousPenaltySeverity must be in [0, 1]"),
                Arguments.of("autoBanMaliciousReports", 0, "autoBanMaliciousReports must be at least 1"),
                Arguments.of("autoBanDurationHours", -1L, "autoBanDurationHours must be in [0, 876000]"),
                Arguments.of("autoBanDurationHours", 876_001L, "autoBanDurationHours must be in [0, 876000]"),
                Arguments.of("healthyThreshold", 1.5, "healthyThreshold must be in [0, 1]"),
                Arguments.of("healthyThreshold", Double.NaN, "healthyThreshold must be in [0, 1]"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badSettings")
    void badSettingIsRefusedNamingIt(String key, Object value, String message) {
        assertThatThrownBy(() -> Configs.settings(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("was " + value);
    }

    @Test
    void allZeroReputationWeightsAreRefused() {
        assertThatThrownBy(() -> Configs.settings(Map.of("successRateWeight", 0.0, "reliabilityWeight", 0.0,
                "efficiencyWeight", 0.0, "consistencyWeight", 0.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the reputation weights (successRateWeight, reliabilityWeight, "
                        + "efficiencyWeight, consistencyWeight) must not all be 0");
    }

    @Test
    void allZeroSelectionWeightsAreRefused() {
        assertThatThrownBy(() -> Configs.settings(Map.of("selectionReputationWeight", 0.0,
                "selectionHealthWeight", 0.0, "selectionBidWeight", 0.0, "selectionTimeWeight", 0.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the selection weights (selectionReputationWeight, selectionHealthWeight, "
                        + "selectionBidWeight, selectionTimeWeight) must not all be 0");
    }

    @Test
    void aNegativeWeightIsNotAlsoReportedAsAZeroSum() {
        assertThatThrownBy(() -> Configs.settings(Map.of("successRateWeight", -1.0, "reliabilityWeight", 0.0,
                "efficiencyWeight", 0.0, "consistencyWeight", 0.0)))
                .hasMessageContaining("successRateWeight must be a finite number >= 0, was -1.0")
                .hasMessageNotContaining("must not all be 0");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> Configs.settings(Map.of("minReputationThreshold", 2.0,
                "timeoutPenaltySeverity", -0.5, "failureMaxStreak", 0)))
                .hasMessageContaining("minReputationThreshold must be in [0, 1], was 2.0")
                .hasMessageContaining("timeoutPenaltySeverity must be in [0, 1], was -0.5")
                .hasMessageContaining("failureMaxStreak must be at least 1, was 0");
    }

    @Test
    void aBonusThatOverflowsOverItsStreakIsRefused() {
        assertThatThrownBy(() -> Configs.settings(Map.of("successBonusMultiplier", 1e300, "successBonusMaxStreak", 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("successBonusMultiplier^successBonusMaxStreak must be finite");
    }

    @Test
    void edgeValuesAreAccepted() {
        DefaultPolicySettings s = Configs.settings(Map.of(
                "successRateWeight", 0.0, "reliabilityWeight", 0.0, "efficiencyWeight", 0.0,
                "reputationDecayRatePerDay", 0.0, "minReputationThreshold", 1.0, "healthyThreshold", 0.0,
                "timeoutPenaltySeverity", 1.0, "maliciousPenaltySeverity", 0.0, "autoBanDurationHours", 876_000L,
                "successBonusMaxStreak", 1));
        assertThat(s.consistencyWeight()).isEqualTo(0.15);
        assertThat(s.reputationDecayRatePerDay()).isZero();
        assertThat(s.autoBanDurationHours()).isEqualTo(876_000L);
    }
}
