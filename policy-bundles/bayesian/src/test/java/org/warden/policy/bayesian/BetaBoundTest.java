package org.warden.policy.bayesian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The exact lower bound against closed forms and against the library's own inversion. */
class BetaBoundTest {
    private final BetaBound bound = BetaBound.ofZ(1.645);

    @Test
    void zIsTurnedIntoTheLowerTailOfTheStandardNormal() {
        // 1 − Φ(1.645) = 0.0499849...; 1 − Φ(0) = 0.5; 1 − Φ(1.96) = 0.0249979
        assertThat(bound.lowerTail()).isCloseTo(0.04998490, within(1e-8));
        assertThat(BetaBound.ofZ(0).lowerTail()).isCloseTo(0.5, within(1e-15));
        assertThat(BetaBound.ofZ(1.96).lowerTail()).isCloseTo(0.02499790, within(1e-8));
    }

    @Test
    void closedFormsOfBetaAlphaOneAndBetaOne() {
        double q = bound.lowerTail();
        // Beta(a, 1): CDF x^a, quantile q^(1/a). Beta(3, 1) (2 successes): 0.0499849^(1/3) = 0.368366
        assertThat(bound.lowerBound(3, 1)).isCloseTo(Math.pow(q, 1.0 / 3), within(1e-9))
                .isCloseTo(0.368366, within(1e-6));
        assertThat(bound.lowerBound(1001, 1)).isCloseTo(Math.pow(q, 1.0 / 1001), within(1e-9));
        // Beta(1, b): CDF 1 − (1 − x)^b, quantile 1 − (1 − q)^(1/b). The prior Beta(1, 1): q itself
        assertThat(bound.lowerBound(1, 1)).isCloseTo(q, within(1e-9));
        assertThat(bound.lowerBound(1, 11)).isCloseTo(1 - Math.pow(1 - q, 1.0 / 11), within(1e-9))
                .isCloseTo(0.004651, within(1e-6));
    }

    @Test
    void agreesWithTheLibrarysInversionOverTheRangeThePolicyMeets() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            // decayed counts: fractional, from nothing to thousands, success-heavy or failure-heavy
            double a = 0.5 + Math.exp(r.nextDouble() * 9);
            double b = 0.5 + Math.exp(r.nextDouble() * 6);
            assertThat(bound.lowerBound(a, b)).as("Beta(%s, %s)", a, b)
                    .isCloseTo(bound.libraryLowerBound(a, b), within(1e-8));
        }
    }

    @Test
    void degenerateTails() {
        assertThat(new BetaBound(0).lowerBound(5, 5)).isZero();
        assertThat(new BetaBound(1).lowerBound(5, 5)).isEqualTo(1);
    }
}
