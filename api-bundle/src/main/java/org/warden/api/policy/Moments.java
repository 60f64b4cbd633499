package org.warden.api.policy;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Exponentially weighted mean and variance of a series of samples (the engine's smoothing factor is
 * 0.05: the last ~20 samples dominate).
 *
 * @param count    samples seen, lifetime
 * @param mean     weighted mean; 0 when {@code count} is 0
 * @param variance weighted variance, &ge; 0; 0 with fewer than two samples
 */
@ProviderType
public record Moments(long count, double mean, double variance) {
    public static final Moments EMPTY = new Moments(0, 0, 0);

    /** Standard deviation. */
    public double stddev() {
        return Math.sqrt(variance);
    }
}
