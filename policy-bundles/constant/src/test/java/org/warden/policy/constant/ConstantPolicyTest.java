package org.warden.policy.constant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.WardenPolicy;
import org.warden.policy.testkit.ComponentDescriptors;

class ConstantPolicyTest {

    private static final AuctionContext AUCTION = new AuctionContext(1, BigInteger.TEN, BigInteger.TEN, 100, 100);

    @Test
    void answersTheConfiguredConstants() {
        ConstantPolicy policy = new ConstantPolicy(config(0.77, 0.66, 0.3, 0.5));

        ScoreBreakdown health = policy.healthScore(HealthMetrics.of(10, 50, 50, 50, 5));
        assertThat(health.score()).isEqualTo(0.66);
        assertThat(health.component(ConstantPolicy.NAME)).isEqualTo(0.66);
        assertThat(policy.reputation(null, Instant.EPOCH).score()).isEqualTo(0.77);
        assertThat(policy.eligibilityThreshold()).isEqualTo(0.3);
        assertThat(policy.healthyThreshold()).isEqualTo(0.5);
        assertThat(policy.defaultSeverity(PenaltyType.MALICIOUS_BEHAVIOR)).isEqualTo(0.5);
        assertThat(policy.autoBan(null, Instant.EPOCH)).isEmpty();
    }

    @Test
    void selectionScoreIsTheMeanOfTheArgumentsNotOfTheConstants() {
        ConstantPolicy policy = new ConstantPolicy(config(0.77, 0.66, 0.3, 0.5));

        ScoreBreakdown score = policy.selectionScore(Bid.of("w1", 10, 100), 0.2, 0.6, AUCTION);

        assertThat(score.score()).isCloseTo(0.4, within(1e-12));
        assertThat(score.component("reputation")).isEqualTo(0.2);
        assertThat(score.component("health")).isEqualTo(0.6);
    }

    @Test
    void refusesAValueOutsideTheUnitIntervalNamingItsKey() {
        assertThatThrownBy(() -> new ConstantPolicy(config(1.5, 0.66, 0.3, 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reputation");
        assertThatThrownBy(() -> new ConstantPolicy(config(0.77, -0.1, 0.3, 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health");
        assertThatThrownBy(() -> new ConstantPolicy(config(0.77, 0.66, Double.NaN, 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eligibilityThreshold");
        assertThatThrownBy(() -> new ConstantPolicy(config(0.77, 0.66, 0.3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("healthyThreshold");
    }

    @Test
    void aVariantIsTheConstantsInForceWithTheOverridesAndThePolicyStays() {
        ConstantPolicy policy = new ConstantPolicy(config(0.77, 0.66, 0.3, 0.5));

        // text, as typed in the shell
        WardenPolicy variant = policy.withOverrides(Map.of("eligibilityThreshold", "0.9", "health", " 0.1"));

        assertThat(variant).isInstanceOf(ConstantPolicy.class).isNotSameAs(policy);
        assertThat(variant.eligibilityThreshold()).isEqualTo(0.9);
        assertThat(variant.healthScore(HealthMetrics.of(10, 50, 50, 50, 5)).score()).isEqualTo(0.1);
        assertThat(variant.reputation(null, Instant.EPOCH).score()).as("not overridden: in force").isEqualTo(0.77);
        assertThat(variant.healthyThreshold()).isEqualTo(0.5);
        assertThat(policy.eligibilityThreshold()).isEqualTo(0.3);
        assertThat(policy.healthScore(HealthMetrics.of(10, 50, 50, 50, 5)).score()).isEqualTo(0.66);
    }

    @Test
    void aVariantOfAnotherConfigurationStartsFromItsConstants() {
        // a configuration change re-creates the component: its variants start from the new constants
        WardenPolicy variant = new ConstantPolicy(config(0.4, 0.66, 0.2, 0.5)).withOverrides(Map.of("health", "0"));

        assertThat(variant.reputation(null, Instant.EPOCH).score()).isEqualTo(0.4);
        assertThat(variant.eligibilityThreshold()).isEqualTo(0.2);
    }

    @Test
    void aRefusedOverrideIsNamed() {
        ConstantPolicy policy = new ConstantPolicy(config(0.77, 0.66, 0.3, 0.5));

        assertThatIllegalArgumentException().isThrownBy(() -> policy.withOverrides(Map.of("reputation", "1.5")))
                .withMessage("reputation must be in [0, 1], was 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> policy.withOverrides(Map.of("health", "NaN")))
                .withMessage("health must be in [0, 1], was NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> policy.withOverrides(Map.of("health", "high")))
                .withMessage("health must be a number, was 'high'");
        assertThatIllegalArgumentException().isThrownBy(() -> policy.withOverrides(Map.of("minReputation", "0.5")))
                .withMessage("unknown key minReputation for policy constant: known keys are eligibilityThreshold, "
                        + "health, healthyThreshold, reputation, service.ranking");
        assertThat(policy.reputation(null, Instant.EPOCH).score()).isEqualTo(0.77);
    }

    @Test
    void registeredAsAWardenPolicyOnly() {
        // not as ConfigurablePolicy too: the engine finds a policy by WardenPolicy and asks for its variants
        assertThat(ComponentDescriptors.provided(ConstantPolicy.class, ConstantPolicy.PID))
                .containsExactly(WardenPolicy.class.getName());
    }

    private static ConstantPolicy.Config config(double reputation, double health, double eligibility, double healthy) {
        return new ConstantPolicy.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ConstantPolicy.Config.class;
            }

            @Override
            public double reputation() {
                return reputation;
            }

            @Override
            public double health() {
                return health;
            }

            @Override
            public double eligibilityThreshold() {
                return eligibility;
            }

            @Override
            public double healthyThreshold() {
                return healthy;
            }

            @Override
            public int service_ranking() {
                return ConstantPolicy.DEFAULT_RANKING;
            }
        };
    }
}
