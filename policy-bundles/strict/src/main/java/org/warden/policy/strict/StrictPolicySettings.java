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
 * @param consecutiveFailures     failures in a row at which the reputation's streak factor bottoms out (0.5), &ge; 1
 * @param minimumHosts            workers with volume the network needs before its mean scales the test, &ge; 1
 * @param requestVolume           last-day (decayed) jobs a worker needs before the test judges its last day,
 *                                finite, &ge; 0
 * @param acceptableSuccessRate   H0 of the ejection test: a success rate honest workers reach, in (0, 1)
 * @param ejectionSuccessRate     H1 of the ejection test: a broken worker's rate, in (0, acceptableSuccessRate)
 * @param falseEjectionRate       α of the ejection test (Wald's bound ln(1/α)), in (0, 0.5]
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
        double acceptableSuccessRate,
        double ejectionSuccessRate,
        double falseEjectionRate,
        long baseEjectionTimeMinutes,
        long maxEjectionTimeMinutes,
        int maliciousReports,
        int probationJobs,
        double probationCap,
        double minReputation,
        double healthyThreshold) {

    /** Longest ejection accepted: 100 years, far from {@link java.time.Instant#MAX} once added to now. */
    public static final long MAX_EJECTION_MINUTES = 100L * 365 * 24 * 60;

    /**
     * The defaults: 30 min base ejection, 5 h cap (Envoy's figures); the test's H0 0.65 lies below every honest
     * worker we simulate (flaky ones succeed 70 %), H1 0.3 above none of the broken ones, α = 0.001.
     */
    public static final StrictPolicySettings DEFAULTS = new StrictPolicySettings(
            5,              // consecutive failures (streak factor)
            5, 10,          // minimum hosts, request volume
            0.65, 0.3, 1e-3, // ejection test: acceptable rate, broken rate, false-ejection rate
            30, 300,        // ejection: base 30 min, cap 5 h
            1,              // malicious reports
            10, 0.5,        // probation: jobs, cap
            0.5, 0.5);      // min reputation, healthy threshold

    public StrictPolicySettings {
        List<String> problems = new ArrayList<>();
        atLeast(problems, "consecutiveFailures", consecutiveFailures, 1);
        atLeast(problems, "minimumHosts", minimumHosts, 1);
        nonNegative(problems, "requestVolume", requestVolume);
        if (!(acceptableSuccessRate > 0 && acceptableSuccessRate < 1)) {
            problems.add("acceptableSuccessRate must be in (0, 1), was " + acceptableSuccessRate);
        }
        if (!(ejectionSuccessRate > 0 && ejectionSuccessRate < acceptableSuccessRate)) {
            problems.add("ejectionSuccessRate must be in (0, acceptableSuccessRate (" + acceptableSuccessRate
                    + ")), was " + ejectionSuccessRate);
        }
        if (!(falseEjectionRate > 0 && falseEjectionRate <= 0.5)) {
            problems.add("falseEjectionRate must be in (0, 0.5], was " + falseEjectionRate);
        }
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
                c.acceptableSuccessRate(), c.ejectionSuccessRate(), c.falseEjectionRate(), c.baseEjectionTimeMinutes(), c.maxEjectionTimeMinutes(), c.maliciousReports(),
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
