package org.warden.api.policy;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Figures of the whole network that a policy may judge a worker against (e.g. outlier detection: a success rate
 * far below the network's). Computed by the engine with its network health scan, so they may be a few seconds old.
 *
 * @param workers            workers known
 * @param workersWithVolume  workers with at least {@code minVolume} judged jobs over the last day (decayed at
 *                           {@link Horizon#DAY}); only they count in the mean and deviation
 * @param meanSuccessRate    mean of those workers' success rates over the last day, in [0, 1]; 0 when none
 * @param stddevSuccessRate  population standard deviation of the same, &ge; 0
 * @param minVolume          the engine's minimum decayed job count for a worker to count (its configuration)
 * @param computedAt         when the figures were computed
 */
@ProviderType
public record NetworkStatistics(long workers, long workersWithVolume, double meanSuccessRate, double stddevSuccessRate,
        double minVolume, Instant computedAt) {

    /** No network figures yet (before the first scan). */
    public static final NetworkStatistics EMPTY = new NetworkStatistics(0, 0, 0, 0, 0, Instant.EPOCH);
}
