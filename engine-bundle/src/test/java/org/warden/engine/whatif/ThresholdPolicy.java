package org.warden.engine.whatif;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.ConfigurablePolicy;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * A policy simple enough to work out by hand: reputation is Laplace's (successes + 1) / (jobs + 2), eligible at
 * {@code threshold}, healthy unless the CPU is above 90 %, an automatic ban without end at {@code banAtFailures}
 * consecutive failures (0: never), selection by reputation. Configurable by keys {@code threshold} and
 * {@code banAtFailures}; any other key is refused, naming it.
 */
public final class ThresholdPolicy implements WardenPolicy, ConfigurablePolicy {

    final double threshold;
    final int banAtFailures;

    public ThresholdPolicy(double threshold, int banAtFailures) {
        this.threshold = threshold;
        this.banAtFailures = banAtFailures;
    }

    @Override
    public WardenPolicy withOverrides(Map<String, String> overrides) {
        Map<String, String> known = new HashMap<>(Map.of("threshold", Double.toString(threshold), "banAtFailures",
                Integer.toString(banAtFailures)));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + ": not a setting of this policy");
            }
            known.put(e.getKey(), e.getValue());
        }
        try {
            return new ThresholdPolicy(Double.parseDouble(known.get("threshold")),
                    Integer.parseInt(known.get("banAtFailures")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold or banAtFailures: not a number", e);
        }
    }

    private static ScoreBreakdown score(double v) {
        return new ScoreBreakdown(v, List.of(new ScoreComponent("score", v, 1)));
    }

    @Override
    public ScoreBreakdown healthScore(HealthMetrics metrics) {
        return score(metrics.cpuUsagePercent() > 90 ? 0.1 : 0.9);
    }

    @Override
    public double healthyThreshold() {
        return 0.5;
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        return score((stats.jobsCompleted() + 1.0) / (stats.jobsCompleted() + stats.jobsFailed() + 2.0));
    }

    @Override
    public double eligibilityThreshold() {
        return threshold;
    }

    @Override
    public double defaultSeverity(PenaltyType type) {
        return 0.5;
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        return banAtFailures > 0 && stats.consecutiveFailures() >= banAtFailures
                ? Optional.of(new BanDecision(stats.consecutiveFailures() + " failures in a row", null))
                : Optional.empty();
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        return score(reputation);
    }
}
