package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.warden.api.HealthMetrics;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;

class HealthScoreTest {
    private final DefaultPolicy policy = new DefaultPolicy(DefaultPolicySettings.SEED);

    @Test
    void mandatoryMetricsOnly() {
        // the seed's example: 150 ms, CPU 65 %, memory 70 %; disk 40 %, latency 50 ms, 3 errors
        ScoreBreakdown s = policy.healthScore(new HealthMetrics(150, 65, 70, 40, 50, null, null, null, 3));
        double responseTime = 1 / 1.15;
        double latency = 1 / 1.25;
        double expected = (0.20 * responseTime + 0.15 * 0.35 + 0.15 * 0.30 + 0.10 * 0.60 + 0.15 * latency
                + 0.15 * 0.25) / 0.90;
        assertThat(s.score()).isCloseTo(expected, within(1e-12));
        assertThat(s.components()).extracting(ScoreComponent::name)
                .containsExactly("responseTime", "cpu", "memory", "disk", "networkLatency", "errors");
        assertThat(s.component("responseTime")).isCloseTo(responseTime, within(1e-15));
        assertThat(s.component("cpu")).isCloseTo(0.35, within(1e-15));
        assertThat(s.component("memory")).isCloseTo(0.30, within(1e-15));
        assertThat(s.component("disk")).isCloseTo(0.60, within(1e-15));
        assertThat(s.component("networkLatency")).isCloseTo(0.8, within(1e-15));
        assertThat(s.component("errors")).isEqualTo(0.25);
    }

    @Test
    void optionalTermsAreRenormalised() {
        // GPU 40 % -> 0.6, 82.5 °C -> halfway between 70 and 95 -> 0.5, 50 Mbps -> 0.5
        ScoreBreakdown s = policy.healthScore(new HealthMetrics(0, 0, 0, 0, 0, 50.0, 40.0, 82.5, 0));
        double expected = (0.20 + 0.15 + 0.15 + 0.10 + 0.15 + 0.15 + 0.05 * 0.6 + 0.05 * 0.5 + 0.05 * 0.5) / 1.05;
        assertThat(s.score()).isCloseTo(expected, within(1e-12));
        assertThat(s.components()).extracting(ScoreComponent::name)
                .containsExactly("responseTime", "cpu", "memory", "disk", "networkLatency", "errors",
                        "gpu", "temperature", "bandwidth");
        assertThat(s.component("gpu")).isCloseTo(0.6, within(1e-15));
        assertThat(s.component("temperature")).isEqualTo(0.5);
        assertThat(s.component("bandwidth")).isEqualTo(0.5);
    }

    @Test
    void oneOptionalTermIsWeighedAgainstTheMandatoryOnes() {
        // a hot GPU-less worker: only the temperature term is added, with weight 0.05 of 0.95
        ScoreBreakdown s = policy.healthScore(new HealthMetrics(0, 0, 0, 0, 0, null, null, 100.0, 0));
        assertThat(s.score()).isCloseTo(0.90 / 0.95, within(1e-12));
        assertThat(s.component("gpu")).isNaN();
    }

    @Test
    void temperatureTerm() {
        assertThat(HealthFormula.temperature(-10)).isEqualTo(1);
        assertThat(HealthFormula.temperature(70)).isEqualTo(1);
        assertThat(HealthFormula.temperature(75)).isCloseTo(0.8, within(1e-15));
        assertThat(HealthFormula.temperature(95)).isEqualTo(0);
        assertThat(HealthFormula.temperature(150)).isEqualTo(0);
    }

    @Test
    void bandwidthIsCappedAtOne() {
        ScoreBreakdown s = policy.healthScore(new HealthMetrics(0, 0, 0, 0, 0, 1_000.0, null, null, 0));
        assertThat(s.component("bandwidth")).isEqualTo(1);
        assertThat(s.score()).isEqualTo(1.0);
    }

    @Test
    void worstMetricsScoreNearZeroButInRange() {
        ScoreBreakdown s = policy.healthScore(new HealthMetrics(Long.MAX_VALUE, 100, 100, 100, Long.MAX_VALUE,
                0.0, 100.0, 150.0, Long.MAX_VALUE));
        assertThat(s.score()).isBetween(0.0, 1e-15);
    }

    @Test
    void thresholds() {
        assertThat(policy.healthyThreshold()).isEqualTo(0.5);
        assertThat(policy.eligibilityThreshold()).isEqualTo(0.3);
    }
}
