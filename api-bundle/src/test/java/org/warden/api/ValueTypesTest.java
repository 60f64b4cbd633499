package org.warden.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void boundariesOfHealthMetricsAreInclusive() {
        HealthMetrics edge = new HealthMetrics(0, 0, 100, 100, 0, 0.0, 100.0, 150.0, 0);
        assertThat(edge.memoryUsagePercent()).isEqualTo(100);
        assertThatThrownBy(() -> HealthMetrics.of(0, Math.nextUp(100.0), 0, 0, 0))
                .hasMessageStartingWith("cpuUsagePercent must be a percentage in [0, 100]");
        assertThatThrownBy(() -> new HealthMetrics(0, 0, 0, 0, 0, null, null, -50.5, 0))
                .hasMessageStartingWith("temperatureCelsius");
    }

    @Test
    void amountsAreUnsigned128Bit() {
        BigInteger max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        assertThat(new Bid("w", max, 0).amount()).isEqualTo(max);
        assertThat(Check.amount("a", BigInteger.ZERO)).isZero();
        assertThatThrownBy(() -> new Bid("w", max.add(BigInteger.ONE), 0)).hasMessageStartingWith("amount must be below 2^128");
    }

    @Test
    void idsAreCheckedForLengthAndControlCharacters() {
        assertThat(Check.id("workerId", "w".repeat(256))).hasSize(256);
        assertThatThrownBy(() -> Check.id("workerId", "w".repeat(257))).hasMessage(
                "workerId is 257 characters long, at most 256 allowed");
        assertThatThrownBy(() -> Check.id("workerId", "a\u007fb")).hasMessage(
                "workerId must not contain control characters (found U+007F at index 1)");
        assertThat(Check.id("workerId", "wörker-東京")).isEqualTo("wörker-東京");
    }

    @Test
    void aBanIsInForceFromItsStartUntilItsEndOrItsLifting() {
        Ban timed = new Ban("w", "r", false, T, T.plusSeconds(60), null, null);
        assertThat(timed.isInForceAt(T.minusSeconds(1))).isFalse();
        assertThat(timed.isInForceAt(T)).isTrue();
        assertThat(timed.isInForceAt(T.plusSeconds(59))).isTrue();
        assertThat(timed.isInForceAt(T.plusSeconds(60))).isFalse();
        Ban forever = new Ban("w", "r", true, T, null, null, null);
        assertThat(forever.isInForceAt(T.plusSeconds(1_000_000_000))).isTrue();
        assertThat(forever.lift(T.plusSeconds(5), "appeal").isInForceAt(T.plusSeconds(6))).isFalse();
        assertThatThrownBy(() -> new Ban("w", "r", false, T, T.minusSeconds(1), null, null))
                .hasMessage("until must not be before bannedAt");
    }

    @Test
    void aScoreBreakdownIsImmutableAndRefusesScoresOutsideTheUnitInterval() {
        List<ScoreComponent> parts = new ArrayList<>(List.of(new ScoreComponent("a", 0.5, 1)));
        ScoreBreakdown b = new ScoreBreakdown(0.5, parts);
        parts.clear();
        assertThat(b.components()).hasSize(1);
        assertThat(b.component("a")).isEqualTo(0.5);
        assertThat(b.component("missing")).isNaN();
        assertThatThrownBy(() -> new ScoreBreakdown(Double.NaN, List.of())).hasMessageStartingWith("score must be a finite number");
        assertThatThrownBy(() -> new ScoreBreakdown(1.01, List.of())).hasMessageStartingWith("score must be in [0, 1]");
    }

    @Test
    void theSeedsOutcomeFormHasNoEstimateAndNoJob() {
        JobOutcome o = JobOutcome.of("w", true, 5000, BigInteger.valueOf(100), 0.95);
        assertThat(o.estimatedTimeMs()).isNull();
        assertThat(o.jobId()).isNull();
        assertThat(o.resultQuality()).isEqualTo(0.95);
    }
}
