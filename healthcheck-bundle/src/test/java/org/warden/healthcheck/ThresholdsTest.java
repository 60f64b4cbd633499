package org.warden.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation of the thresholds, as a configuration gives them. */
class ThresholdsTest {

    @Test
    void theConfigurationDefaultsAreTheDocumentedOnes() {
        assertThat(Thresholds.from(Configs.defaults())).isEqualTo(Thresholds.DEFAULTS)
                .isEqualTo(new Thresholds(0.3, 0.6, 0.25, 0.2, 0.5, 100_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"criticalScore", "warnScore", "criticalHealthyShare", "warnBannedShare", "criticalBannedShare"})
    void eachKeyRefusesNaNAndValuesOutsideTheUnitInterval(String key) {
        for (double bad : new double[] {Double.NaN, -0.01, 1.01, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            // the ordering rules are checked only between valid values: the bad value is the only problem named
            assertThatIllegalArgumentException().isThrownBy(() -> Thresholds.from(Configs.with(key, bad)))
                    .withMessage(key + " must be in [0, 1], was " + bad);
        }
    }

    @Test
    void theBoundsOfTheUnitIntervalAreAccepted() {
        assertThat(new Thresholds(0, 1, 0, 0, 1, 100_000)).isNotNull();
        assertThat(new Thresholds(1, 1, 1, 1, 1, 100_000)).isNotNull();
        assertThat(new Thresholds(0, 0, 0, 0, 0, 100_000)).isNotNull();
    }

    @Test
    void theStoreBacklogWarningIsACountOfRecordsFromZeroUp() {
        assertThat(Thresholds.from(Configs.with("storeBacklogWarn", 0L)).storeBacklogWarn()).isZero();
        assertThat(Thresholds.from(Configs.with("storeBacklogWarn", Long.MAX_VALUE)).storeBacklogWarn())
                .isEqualTo(Long.MAX_VALUE);
        for (long bad : new long[] {-1, Long.MIN_VALUE}) {
            assertThatIllegalArgumentException().isThrownBy(() -> Thresholds.from(Configs.with("storeBacklogWarn", bad)))
                    .withMessage("storeBacklogWarn must be at least 0, was " + bad);
        }
    }

    @Test
    void aWarningScoreBelowTheCriticalScoreIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Thresholds.from(Configs.with(Map.of("warnScore", 0.2, "criticalScore", 0.3))))
                .withMessage("warnScore 0.2 must be at least criticalScore 0.3 (a score below the warning threshold "
                        + "warns before it is critical)");
        assertThat(Thresholds.from(Configs.with(Map.of("warnScore", 0.3, "criticalScore", 0.3))).warnScore())
                .as("equal thresholds: no warning band, accepted").isEqualTo(0.3);
    }

    @Test
    void aWarningBannedShareAboveTheCriticalShareIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Thresholds.from(Configs.with(Map.of("warnBannedShare", 0.6))))
                .withMessage("warnBannedShare 0.6 must be at most criticalBannedShare 0.5 (a banned share above the "
                        + "warning threshold warns before it is critical)");
        assertThat(Thresholds.from(Configs.with(Map.of("warnBannedShare", 0.5))).warnBannedShare()).isEqualTo(0.5);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Thresholds(Double.NaN, 2, -1, 0.2, 0.5, -5))
                .withMessage("criticalScore must be in [0, 1], was NaN; warnScore must be in [0, 1], was 2.0; "
                        + "criticalHealthyShare must be in [0, 1], was -1.0; storeBacklogWarn must be at least 0, was -5");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Thresholds(0.3, 0.2, 0.25, 0.2, 0.5, -1))
                .withMessage("warnScore 0.2 must be at least criticalScore 0.3 (a score below the warning threshold "
                        + "warns before it is critical); storeBacklogWarn must be at least 0, was -1");
    }
}
