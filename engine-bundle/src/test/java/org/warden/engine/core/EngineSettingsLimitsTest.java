package org.warden.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Settings whose durations, or whose activity window (a product), no clock arithmetic can take are refused. */
class EngineSettingsLimitsTest {

    private static final Duration MINUTE = Duration.ofSeconds(60);
    private static final Duration CENTURY = Duration.ofDays(36_500);

    private static EngineSettings window(Duration interval, int intervals) {
        return new EngineSettings(interval, intervals, Duration.ZERO, 10, 5, MINUTE);
    }

    @Test
    void anActivityWindowBeyondAHundredYearsIsRefusedNamingBothKeys() {
        // what Config Admin can give: a year's interval (the largest the configuration takes) times Integer.MAX_VALUE
        assertThatThrownBy(() -> window(Duration.ofDays(365), Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("healthCheckIntervalSeconds * activityWindowIntervals (the activity window) must be at "
                        + "most 100 years (3153600000 s), was 31536000 s * 2147483647");
    }

    @Test
    void aProductThatOverflowsALongIsRefusedNotThrownFromEveryRead() {
        assertThatThrownBy(() -> window(Duration.ofSeconds(Long.MAX_VALUE / 2), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("healthCheckIntervalSeconds * activityWindowIntervals");
    }

    @Test
    void theWindowIsTheIntervalTimesTheCountWhereNanosecondsCarryIntoSeconds() {
        assertThat(window(Duration.ofMillis(1500), 7).activityWindow()).isEqualTo(Duration.ofMillis(10_500));
        assertThat(window(Duration.ofSeconds(2, 999_999_999), 3).activityWindow())
                .isEqualTo(Duration.ofSeconds(2, 999_999_999).multipliedBy(3));
        assertThat(window(Duration.ofSeconds(30), 3).activityWindow()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aHundredYearsOfWindowIsAcceptedAndUsable() {
        EngineSettings s = window(Duration.ofDays(365), 100);
        assertThat(s.activityWindow()).isEqualTo(CENTURY);
        assertThatThrownBy(() -> window(Duration.ofDays(365), 100).withBanBudget(0.1, CENTURY.plusNanos(1)))
                .hasMessage("banBudgetWindowMinutes must be at most 100 years (PT876000H), was PT876000H0.000000001S");
        assertThatThrownBy(() -> window(Duration.ofDays(365).plusNanos(1), 100))
                .hasMessageStartingWith("healthCheckIntervalSeconds * activityWindowIntervals");
    }

    @Test
    void everyDurationIsAtMostAHundredYearsNamingItsKey() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
        assertThatThrownBy(() -> new EngineSettings(MINUTE, 3, huge, 10, 5, MINUTE))
                .hasMessage("networkHealthMaxAgeMs must be at most 100 years (PT876000H), was " + huge);
        assertThatThrownBy(() -> new EngineSettings(MINUTE, 3, Duration.ZERO, 10, 5, huge))
                .hasMessageStartingWith("policyFaultLogIntervalSeconds must be at most 100 years");
        EngineSettings ok = EngineSettings.DEFAULTS;
        assertThatThrownBy(() -> ok.withSlowPolicyGuard(huge, MINUTE))
                .hasMessageStartingWith("policyCallBudgetMs must be at most 100 years");
        assertThatThrownBy(() -> ok.withSlowPolicyGuard(Duration.ofSeconds(1), huge))
                .hasMessageStartingWith("slowPolicyCooldownSeconds must be at most 100 years");
        assertThatThrownBy(() -> ok.withBanBudget(0.1, huge))
                .hasMessageStartingWith("banBudgetWindowMinutes must be at most 100 years");
    }
}
