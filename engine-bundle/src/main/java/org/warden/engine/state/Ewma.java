package org.warden.engine.state;

import org.warden.api.policy.Moments;

/**
 * An exponentially weighted moving mean and variance (West's incremental form), as a value: {@link #add} returns
 * the statistic with one more sample. {@link OutcomeStats} keeps each of a worker's as its three numbers and makes
 * one of these to add a sample or to read the moments. The first sample sets the mean; with {@link #ALPHA} 0.05 the
 * last ~20 samples dominate.
 */
record Ewma(long count, double mean, double variance) {

    /** Smoothing factor: the weight of the newest sample. */
    static final double ALPHA = 0.05;
    static final Ewma EMPTY = new Ewma(0, 0, 0);

    /** The statistic with sample {@code x} added. */
    Ewma add(double x) {
        if (count == 0) {
            return new Ewma(1, x, 0);
        }
        double diff = x - mean;
        double incr = ALPHA * diff;
        return new Ewma(count + 1, mean + incr, (1 - ALPHA) * (variance + diff * incr));
    }

    /** As the API's moments; {@link Moments#EMPTY} itself when equal to it (no allocation on the read path). */
    Moments moments() {
        if (count == 0 && Double.doubleToRawLongBits(mean) == 0 && Double.doubleToRawLongBits(variance) == 0) {
            return Moments.EMPTY;
        }
        return new Moments(count, mean, variance);
    }

    /** The statistic the API's moments describe (e.g. from an imported snapshot), exactly. */
    static Ewma of(Moments m) {
        if (m.count() == 0 && Double.doubleToRawLongBits(m.mean()) == 0
                && Double.doubleToRawLongBits(m.variance()) == 0) {
            return EMPTY;
        }
        return new Ewma(m.count(), m.mean(), m.variance());
    }
}
