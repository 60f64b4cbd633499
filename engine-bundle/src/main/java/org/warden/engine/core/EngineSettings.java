package org.warden.engine.core;

import java.time.Duration;

/**
 * The engine's validated settings.
 *
 * @param healthCheckInterval  how often workers are expected to report health (the seed's 60 s)
 * @param activityWindowIntervals a worker not heard from for this many intervals is inactive
 * @param networkHealthMaxAge  network health is recomputed by a scan at most this often
 * @param penaltyHistorySize   penalties kept in memory per worker
 * @param banHistorySize       past bans kept in memory per worker
 * @param faultLogInterval     a faulty policy is logged at most once per this interval
 * @param networkMinVolume     judged jobs over the last day (decayed) for a worker to count in the network's
 *                             success-rate statistics that policies compare workers with
 */
public record EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
        int penaltyHistorySize, int banHistorySize, Duration faultLogInterval, double networkMinVolume) {

    public static final EngineSettings DEFAULTS = new EngineSettings(Duration.ofSeconds(60), 3, Duration.ofMillis(1000),
            10, 5, Duration.ofSeconds(60));

    public EngineSettings {
        positive("healthCheckIntervalSeconds", healthCheckInterval);
        if (activityWindowIntervals < 1) {
            throw new IllegalArgumentException("activityWindowIntervals must be at least 1, was " + activityWindowIntervals);
        }
        if (networkHealthMaxAge == null || networkHealthMaxAge.isNegative()) {
            throw new IllegalArgumentException("networkHealthMaxAgeMs must not be negative, was " + networkHealthMaxAge);
        }
        if (penaltyHistorySize < 1 || penaltyHistorySize > 1000) {
            throw new IllegalArgumentException("penaltyHistorySize must be in [1, 1000], was " + penaltyHistorySize);
        }
        if (banHistorySize < 1 || banHistorySize > 1000) {
            throw new IllegalArgumentException("banHistorySize must be in [1, 1000], was " + banHistorySize);
        }
        positive("policyFaultLogIntervalSeconds", faultLogInterval);
        if (!(networkMinVolume >= 0) || Double.isInfinite(networkMinVolume)) {
            throw new IllegalArgumentException("networkMinVolume must be a finite number >= 0, was " + networkMinVolume);
        }
    }

    /** The settings with the default network minimum volume (10 jobs). */
    public EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
            int penaltyHistorySize, int banHistorySize, Duration faultLogInterval) {
        this(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize, banHistorySize,
                faultLogInterval, 10);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + (d == null ? null : d.toSeconds()));
        }
    }

    /** Workers heard from within this window are active. */
    public Duration activityWindow() {
        return healthCheckInterval.multipliedBy(activityWindowIntervals);
    }
}
