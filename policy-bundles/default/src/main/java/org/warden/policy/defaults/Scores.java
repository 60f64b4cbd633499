package org.warden.policy.defaults;

import java.util.List;

import org.warden.api.ScoreComponent;

/** Arithmetic shared by the formulas. */
final class Scores {
    private Scores() {
    }

    /**
     * Σ weight·value / Σ weight over the terms. The settings guarantee a positive sum for the weights
     * an operator configures; the health formula's fixed weights are always positive.
     */
    static double weightedMean(List<ScoreComponent> terms) {
        double weighted = 0;
        double weights = 0;
        for (ScoreComponent t : terms) {
            weighted += t.weight() * t.value();
            weights += t.weight();
        }
        return weighted / weights;
    }

    /**
     * Clamps into [0, 1], absorbing rounding at the edges. NaN stays NaN on purpose: the API's
     * {@code ScoreBreakdown} then refuses it and the engine counts a policy fault instead of using it.
     */
    static double unit(double value) {
        return value < 0 ? 0 : value > 1 ? 1 : value;
    }

    /** 1 / (1 + x): 1 at x = 0, 1/2 at x = 1, towards 0 as x grows; for x &ge; 0. */
    static double inverse(double x) {
        return 1 / (1 + x);
    }
}
