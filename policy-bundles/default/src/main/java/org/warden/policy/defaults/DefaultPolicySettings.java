package org.warden.policy.defaults;

import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the default policy, validated once so the formulas never meet a NaN weight or a
 * threshold outside [0, 1]. Immutable; the names are the configuration keys of
 * {@link DefaultPolicyComponent.Config} (PID {@code org.warden.policy.default}).
 *
 * <p>An invalid combination is refused with an {@link IllegalArgumentException} whose message lists
 * every bad setting by name and says why, so an operator fixes a {@code .cfg} file in one go.
 *
 * @param successRateWeight         reputation weight of the success rate
 * @param reliabilityWeight         reputation weight of reliability (valid results on time)
 * @param efficiencyWeight          reputation weight of efficiency (time against estimate, quality)
 * @param consistencyWeight         reputation weight of consistency (steady execution times)
 * @param selectionReputationWeight selection weight of the bidder's reputation
 * @param selectionHealthWeight     selection weight of the bidder's health
 * @param selectionBidWeight        selection weight of the amount asked
 * @param selectionTimeWeight       selection weight of the estimated completion time
 * @param reputationDecayRatePerDay fraction of the distance to neutral 0.5 lost per idle day, in [0, 1)
 * @param minReputationThreshold    reputation needed to be eligible, in [0, 1]
 * @param maxReputationScore        cap of the undecayed reputation, in (0, 1]
 * @param failurePenaltyMultiplier  factor per consecutive failure, &gt; 0
 * @param successBonusMultiplier    factor per consecutive success, &gt; 0
 * @param successBonusMaxStreak     consecutive successes that count at most, &ge; 1
 * @param failureMaxStreak          consecutive failures that count at most, &ge; 1
 * @param timeoutPenaltySeverity    severity of a timeout penalty the engine applies, in [0, 1]
 * @param maliciousPenaltySeverity  severity of a malicious-behaviour penalty the engine applies, in [0, 1]
 * @param enableAutoBan             whether repeated malicious reports ban a worker automatically
 * @param autoBanMaliciousReports   malicious reports that trigger the auto-ban, &ge; 1
 * @param autoBanDurationHours      length of an automatic ban, hours; 0 for a ban without end
 * @param healthyThreshold          health score at or above which a worker is healthy, in [0, 1]
 * @param explorationShare          share of jobs reserved for workers still in vetting, in [0, 1]
 * @param vettingJobs               judged jobs (lifetime) after which a worker is vetted, &ge; 1
 */
public record DefaultPolicySettings(
        double successRateWeight,
        double reliabilityWeight,
        double efficiencyWeight,
        double consistencyWeight,
        double selectionReputationWeight,
        double selectionHealthWeight,
        double selectionBidWeight,
        double selectionTimeWeight,
        double reputationDecayRatePerDay,
        double minReputationThreshold,
        double maxReputationScore,
        double failurePenaltyMultiplier,
        double successBonusMultiplier,
        int successBonusMaxStreak,
        int failureMaxStreak,
        double timeoutPenaltySeverity,
        double maliciousPenaltySeverity,
        boolean enableAutoBan,
        int autoBanMaliciousReports,
        long autoBanDurationHours,
        double healthyThreshold,
        double explorationShare,
        int vettingJobs) {

    /**
     * Longest automatic ban accepted: 100 years. Longer is "without end" (0) in practice, and the cap keeps
     * {@code bannedAt + duration} far from {@link java.time.Instant#MAX}.
     */
    public static final long MAX_AUTO_BAN_DURATION_HOURS = 100L * 365 * 24;

    /** The seed's values (its {@code HealthReputationConfig} and selection formula). */
    public static final DefaultPolicySettings SEED = new DefaultPolicySettings(
            0.40, 0.25, 0.20, 0.15,     // reputation: success rate, reliability, efficiency, consistency
            0.35, 0.25, 0.25, 0.15,     // selection: reputation, health, bid, time
            0.01,                       // 1 % decay a day
            0.3, 1.0,                   // min reputation threshold, max reputation score
            0.9, 1.05, 1, 20,           // failure multiplier, success bonus, their streak caps
            0.8, 0.5,                   // timeout and malicious penalty severities
            true, 3, 0,                 // auto-ban on the third malicious report, without end
            0.5,                        // healthy threshold
            0.05, 10);                  // exploration: 5 % of jobs for workers with fewer than 10 jobs

    public DefaultPolicySettings {
        List<String> problems = new ArrayList<>();
        weight(problems, "successRateWeight", successRateWeight);
        weight(problems, "reliabilityWeight", reliabilityWeight);
        weight(problems, "efficiencyWeight", efficiencyWeight);
        weight(problems, "consistencyWeight", consistencyWeight);
        positiveSum(problems, "the reputation weights (successRateWeight, reliabilityWeight, efficiencyWeight, consistencyWeight)",
                successRateWeight, reliabilityWeight, efficiencyWeight, consistencyWeight);
        weight(problems, "selectionReputationWeight", selectionReputationWeight);
        weight(problems, "selectionHealthWeight", selectionHealthWeight);
        weight(problems, "selectionBidWeight", selectionBidWeight);
        weight(problems, "selectionTimeWeight", selectionTimeWeight);
        positiveSum(problems, "the selection weights (selectionReputationWeight, selectionHealthWeight, selectionBidWeight, selectionTimeWeight)",
                selectionReputationWeight, selectionHealthWeight, selectionBidWeight, selectionTimeWeight);

        // A rate of 1 would erase all history after a single idle day (and 0^0 is ambiguous).
        if (!(reputationDecayRatePerDay >= 0 && reputationDecayRatePerDay < 1)) {
            problems.add("reputationDecayRatePerDay must be in [0, 1), was " + reputationDecayRatePerDay);
        }
        unit(problems, "minReputationThreshold", minReputationThreshold);
        // A cap of 0 would make every reputation 0 before decay: never what an operator means.
        if (!(maxReputationScore > 0 && maxReputationScore <= 1)) {
            problems.add("maxReputationScore must be in (0, 1], was " + maxReputationScore);
        }
        multiplier(problems, "failurePenaltyMultiplier", failurePenaltyMultiplier);
        multiplier(problems, "successBonusMultiplier", successBonusMultiplier);
        count(problems, "successBonusMaxStreak", successBonusMaxStreak);
        count(problems, "failureMaxStreak", failureMaxStreak);
        // The largest bonus must stay a number, or a bonus times a zero penalty would make the score NaN.
        if (successBonusMultiplier > 0 && successBonusMaxStreak >= 1
                && !Double.isFinite(Math.pow(successBonusMultiplier, successBonusMaxStreak))) {
            problems.add("successBonusMultiplier^successBonusMaxStreak must be finite, was "
                    + successBonusMultiplier + "^" + successBonusMaxStreak);
        }
        unit(problems, "timeoutPenaltySeverity", timeoutPenaltySeverity);
        unit(problems, "maliciousPenaltySeverity", maliciousPenaltySeverity);
        count(problems, "autoBanMaliciousReports", autoBanMaliciousReports);
        if (autoBanDurationHours < 0 || autoBanDurationHours > MAX_AUTO_BAN_DURATION_HOURS) {
            problems.add("autoBanDurationHours must be in [0, " + MAX_AUTO_BAN_DURATION_HOURS
                    + "] (0 = a ban without end), was " + autoBanDurationHours);
        }
        unit(problems, "healthyThreshold", healthyThreshold);
        unit(problems, "explorationShare", explorationShare);
        count(problems, "vettingJobs", vettingJobs);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid default policy settings: " + String.join("; ", problems));
        }
    }

    /** The settings of a configuration; throws {@link IllegalArgumentException} naming every bad key. */
    public static DefaultPolicySettings from(DefaultPolicyComponent.Config c) {
        return new DefaultPolicySettings(
                c.successRateWeight(), c.reliabilityWeight(), c.efficiencyWeight(), c.consistencyWeight(),
                c.selectionReputationWeight(), c.selectionHealthWeight(), c.selectionBidWeight(), c.selectionTimeWeight(),
                c.reputationDecayRatePerDay(), c.minReputationThreshold(), c.maxReputationScore(),
                c.failurePenaltyMultiplier(), c.successBonusMultiplier(), c.successBonusMaxStreak(), c.failureMaxStreak(),
                c.timeoutPenaltySeverity(), c.maliciousPenaltySeverity(),
                c.enableAutoBan(), c.autoBanMaliciousReports(), c.autoBanDurationHours(),
                c.healthyThreshold(), c.explorationShare(), c.vettingJobs());
    }

    private static void weight(List<String> problems, String name, double value) {
        if (!(Double.isFinite(value) && value >= 0)) {
            problems.add(name + " must be a finite number >= 0, was " + value);
        }
    }

    private static void positiveSum(List<String> problems, String what, double... weights) {
        double sum = 0;
        for (double w : weights) {
            if (!(Double.isFinite(w) && w >= 0)) {
                return; // a bad weight is reported by itself; its sum would say nothing more
            }
            sum += w;
        }
        if (!(sum > 0)) {
            problems.add(what + " must not all be 0");
        }
    }

    private static void unit(List<String> problems, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            problems.add(name + " must be in [0, 1], was " + value);
        }
    }

    private static void multiplier(List<String> problems, String name, double value) {
        if (!(Double.isFinite(value) && value > 0)) {
            problems.add(name + " must be a finite number > 0, was " + value);
        }
    }

    private static void count(List<String> problems, String name, long value) {
        if (value < 1) {
            problems.add(name + " must be at least 1, was " + value);
        }
    }
}
