package org.warden.policy.bayesian;

import java.util.ArrayList;
import java.util.List;

import org.warden.api.policy.Horizon;

/**
 * Every setting of the Bayesian policy, validated once so the model never meets a NaN prior or a threshold
 * outside [0, 1]. Immutable; the names are the configuration keys of {@link BayesianPolicyComponent.Config}
 * (PID {@code org.warden.policy.bayesian}).
 *
 * <p>An invalid combination is refused with an {@link IllegalArgumentException} whose message lists every
 * bad setting by name and says why.
 *
 * @param priorAlpha          α of the Beta prior (pseudo-successes), in (0, 10^6]
 * @param priorBeta           β of the Beta prior (pseudo-failures), in (0, 10^6]
 * @param forgettingHorizon   the decayed counters the posterior is built from: evidence fades with this time constant
 * @param confidenceZ         z of the lower confidence bound: the posterior's quantile at 1 − Φ(z) (1.645: 5 %), in [0, 10]
 * @param vettingJobs         judged jobs (lifetime) a worker needs to be vetted, &ge; 0 (0: no vetting)
 * @param explorationShare    share of jobs reserved for new workers, in [0, 1]
 * @param suspensionThreshold lower bound below which a vetted worker gets no jobs, in [0, 1]
 * @param banThreshold        posterior mean below which a worker with banMinJobs judged jobs is banned, in
 *                            [0, suspensionThreshold]
 * @param banMinJobs          judged jobs (lifetime) needed before the posterior can ban, &ge; 1
 * @param banMaliciousReports malicious reports that ban, &ge; 0 (0: reports never ban)
 * @param banDurationHours    length of an automatic ban, hours; 0 for a ban without end
 * @param acceptableSuccessRate  H0 of the failure test, in (0, 1)
 * @param failingSuccessRate     H1 of the failure test, in (0, acceptableSuccessRate)
 * @param falseSuspensionRate    α of the failure test, in (0, 0.5]
 * @param maxTimeToEstimateRatio mean actual/estimated time ratio at which health claims stop counting, in (1, 1000]
 * @param healthyThreshold    health score at or above which a worker is healthy, in [0, 1]
 */
public record BayesianPolicySettings(
        double priorAlpha,
        double priorBeta,
        Horizon forgettingHorizon,
        double confidenceZ,
        int vettingJobs,
        double explorationShare,
        double suspensionThreshold,
        double banThreshold,
        int banMinJobs,
        int banMaliciousReports,
        long banDurationHours,
        double acceptableSuccessRate,
        double failingSuccessRate,
        double falseSuspensionRate,
        double maxTimeToEstimateRatio,
        double healthyThreshold) {

    /** Longest automatic ban accepted: 100 years (as the default policy). */
    public static final long MAX_BAN_DURATION_HOURS = 100L * 365 * 24;

    /** Largest prior pseudo-count accepted: a prior worth a million jobs would never let evidence speak. */
    public static final double MAX_PRIOR = 1e6;

    /** Largest z accepted: far beyond any useful confidence (z = 10 is a one-sided 1 − 10^-23 bound). */
    public static final double MAX_CONFIDENCE_Z = 10;

    /** The defaults of {@link BayesianPolicyComponent.Config}. */
    public static final BayesianPolicySettings DEFAULTS = new BayesianPolicySettings(
            1, 1, Horizon.WEEK, 1.645,
            20, 0.02,
            0.6, 0.3, 50, 1, 0,
            0.85, 0.35, 1e-3, 2.0,
            0.5);

    /** Largest time-to-estimate ratio accepted: a worker a thousand times slower than it says is lying anyway. */
    public static final double MAX_TIME_RATIO = 1000;

    public BayesianPolicySettings {
        List<String> problems = new ArrayList<>();
        positive(problems, "priorAlpha", priorAlpha);
        positive(problems, "priorBeta", priorBeta);
        if (forgettingHorizon == null) {
            problems.add("forgettingHorizon must be one of HOUR, DAY, WEEK, MONTH, was null");
        }
        if (!(confidenceZ >= 0 && confidenceZ <= MAX_CONFIDENCE_Z)) {
            problems.add("confidenceZ must be in [0, " + MAX_CONFIDENCE_Z + "], was " + confidenceZ);
        }
        if (vettingJobs < 0) {
            problems.add("vettingJobs must be >= 0 (0 = no vetting), was " + vettingJobs);
        }
        unit(problems, "explorationShare", explorationShare);
        unit(problems, "suspensionThreshold", suspensionThreshold);
        unit(problems, "banThreshold", banThreshold);
        // Suspension before ban: the mean is never below the lower bound, so with banThreshold <=
        // suspensionThreshold a vetted worker is suspended (no jobs) before its record can ban it.
        if (banThreshold >= 0 && banThreshold <= 1 && suspensionThreshold >= 0 && suspensionThreshold <= 1
                && banThreshold > suspensionThreshold) {
            problems.add("banThreshold must not exceed suspensionThreshold (suspension before ban), was "
                    + banThreshold + " > " + suspensionThreshold);
        }
        if (banMinJobs < 1) {
            problems.add("banMinJobs must be at least 1, was " + banMinJobs);
        }
        if (banMaliciousReports < 0) {
            problems.add("banMaliciousReports must be >= 0 (0 = reports never ban), was " + banMaliciousReports);
        }
        if (banDurationHours < 0 || banDurationHours > MAX_BAN_DURATION_HOURS) {
            problems.add("banDurationHours must be in [0, " + MAX_BAN_DURATION_HOURS
                    + "] (0 = a ban without end), was " + banDurationHours);
        }
        if (!(acceptableSuccessRate > 0 && acceptableSuccessRate < 1)) {
            problems.add("acceptableSuccessRate must be in (0, 1), was " + acceptableSuccessRate);
        }
        if (!(failingSuccessRate > 0 && failingSuccessRate < acceptableSuccessRate)) {
            problems.add("failingSuccessRate must be in (0, acceptableSuccessRate (" + acceptableSuccessRate
                    + ")), was " + failingSuccessRate);
        }
        if (!(falseSuspensionRate > 0 && falseSuspensionRate <= 0.5)) {
            problems.add("falseSuspensionRate must be in (0, 0.5], was " + falseSuspensionRate);
        }
        if (!(maxTimeToEstimateRatio > 1 && maxTimeToEstimateRatio <= MAX_TIME_RATIO)) {
            problems.add("maxTimeToEstimateRatio must be in (1, " + MAX_TIME_RATIO + "], was "
                    + maxTimeToEstimateRatio);
        }
        unit(problems, "healthyThreshold", healthyThreshold);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid bayesian policy settings: " + String.join("; ", problems));
        }
    }

    /** The settings of a configuration; throws {@link IllegalArgumentException} naming every bad key. */
    public static BayesianPolicySettings from(BayesianPolicyComponent.Config c) {
        return new BayesianPolicySettings(
                c.priorAlpha(), c.priorBeta(), c.forgettingHorizon(), c.confidenceZ(),
                c.vettingJobs(), c.explorationShare(),
                c.suspensionThreshold(), c.banThreshold(), c.banMinJobs(), c.banMaliciousReports(),
                c.banDurationHours(),
                c.acceptableSuccessRate(), c.failingSuccessRate(), c.falseSuspensionRate(),
                c.maxTimeToEstimateRatio(),
                c.healthyThreshold());
    }

    private static void positive(List<String> problems, String name, double value) {
        if (!(value > 0 && value <= MAX_PRIOR)) {
            problems.add(name + " must be in (0, " + MAX_PRIOR + "], was " + value);
        }
    }

    private static void unit(List<String> problems, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            problems.add(name + " must be in [0, 1], was " + value);
        }
    }
}
