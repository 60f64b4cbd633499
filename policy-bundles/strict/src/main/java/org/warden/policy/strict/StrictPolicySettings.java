package org.warden.policy.strict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the strict policy, validated once. Immutable; the names are the configuration keys of
 * {@link StrictPolicyComponent.Config} (PID {@code org.warden.policy.strict}).
 *
 * <p>An invalid combination is refused with an {@link IllegalArgumentException} whose message lists every bad
 * setting by name and says why.
 *
 * @param consecutiveFailures     failures in a row that eject a worker, &ge; 1
 * @param minimumHosts            workers with volume the network needs before the success-rate rule applies, &ge; 1
 * @param requestVolume           last-day (decayed) jobs a worker needs before the success-rate rule judges it,
 *                                finite, &ge; 0
 * @param stdevFactor             k of the success-rate rule: ejected below mean − k·σ; finite, &ge; 0
 * @param baseEjectionTimeMinutes length of the first ejection, minutes, &ge; 1; the n-th lasts n times this
 * @param maxEjectionTimeMinutes  cap of an ejection's length, minutes, in [baseEjectionTimeMinutes, 100 years]
 * @param maliciousReports        malicious behaviour reports (lifetime) that ban without end, &ge; 1
 * @param probationJobs           successes in a row a once-banned worker needs to leave probation, &ge; 0
 *                                (0: no probation)
 * @param probationCap            cap of the reputation on probation, in [0, 1]
 * @param minReputation           reputation needed to be eligible, in [0, 1]
 * @param healthyThreshold        health score at or above which a worker is healthy, in [0, 1]
 */
public record StrictPolicySettings(
        int consecutiveFailures,
        int minimumHosts,
        double requestVolume,
        double stdevFactor,
        long baseEjectionTimeMinutes,
        long maxEjectionTimeMinutes,
        int maliciousReports,
        int probationJobs,
        double probationCap,
        double minReputation,
        double healthyThreshold) {

    /** Longest ejection accepted: 100 years, far from {@link java.time.Instant#MAX} once added to now. */
    public static final long MAX_EJECTION_MINUTES = 100L * 365 * 24 * 60;

    /** The defaults (Envoy's outlier detection figures where it has them, 30 min base ejection, 5 h cap). */
    public static final StrictPolicySettings DEFAULTS = new StrictPolicySettings(
            5,              // consecutive failures
            5, 10, 1.9,     // success rate: minimum hosts, request volume, stdev factor
            30, 300,        // ejection: base 30 min, cap 5 h
            1,              // malicious reports
            10, 0.5,        // probation: jobs, cap
            0.5, 0.5);      // min reputation, healthy threshold

    public StrictPolicySettings {
        List<String> problems = new ArrayList<>();
        atLeast(problems, "consecutiveFailures", consecutiveFailures, 1);
        atLeast(problems, "minimumHosts", minimumHosts, 1);
        nonNegative(problems, "requestVolume", requestVolume);
        nonNegative(problems, "stdevFactor", stdevFactor);
        atLeast(problems, "baseEjectionTimeMinutes", baseEjectionTimeMinutes, 1);
        if (maxEjectionTimeMinutes < Math.max(1, baseEjectionTimeMinutes)
                || maxEjectionTimeMinutes > MAX_EJECTION_MINUTES) {
            problems.add("maxEjectionTimeMinutes must be in [baseEjectionTimeMinutes (" + baseEjectionTimeMinutes
                    + "), " + MAX_EJECTION_MINUTES + "], was " + maxEjectionTimeMinutes);
        }
        atLeast(problems, "maliciousReports", maliciousReports, 1);
        atLeast(problems, "probationJobs", probationJobs, 0);
        unit(problems, "probationCap", probationCap);
        unit(problems, "minReputation", minReputation);
        unit(problems, "healthyThreshold", healthyThreshold);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid strict policy settings: " + String.join("; ", problems));
        }
    }

    /** The settings of a configuration; throws {@link IllegalArgumentException} naming every bad key. */
    public static StrictPolicySettings from(StrictPolicyComponent.Config c) {
        return new StrictPolicySettings(c.consecutiveFailures(), c.minimumHosts(), c.requestVolume(),
                c.stdevFactor(), c.baseEjectionTimeMinutes(), c.maxEjectionTimeMinutes(), c.maliciousReports(),
                c.probationJobs(), c.probationCap(), c.minReputation(), c.healthyThreshold());
    }

    /** {@link #baseEjectionTimeMinutes} as a duration. */
    public Duration baseEjectionTime() {
        return Duration.ofMinutes(baseEjectionTimeMinutes);
    }

    /** {@link #maxEjectionTimeMinutes} as a duration. */
    public Duration maxEjectionTime() {
        return Duration.ofMinutes(maxEjectionTimeMinutes);
    }

    private static void atLeast(List<String> problems, String name, long value, long min) {
        if (value < min) {
            problems.add(name + " must be at least " + min + ", was " + value);
        }
    }

    private static void nonNegative(List<String> problems, String name, double value) {
        if (!(Double.isFinite(value) && value >= 0)) {
            problems.add(name + " must be a finite number >= 0, was " + value);
        }
    }

    private static void unit(List<String> problems, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            problems.add(name + " must be in [0, 1], was " + value);
        }
    }
}
