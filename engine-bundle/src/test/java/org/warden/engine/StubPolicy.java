package org.warden.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/** A policy whose answers the test sets: reputation from a function of the statistics, fixed health, no bans. */
final class StubPolicy implements WardenPolicy {
    volatile Function<WorkerStatistics, Double> reputation = s -> 0.5;
    volatile double health = 0.9;
    volatile double threshold = 0.3;
    volatile RuntimeException failure;
    /** What the engine passed last: network figures and auction. */
    volatile NetworkStatistics lastNetwork;
    volatile AuctionContext lastAuction;
    /** Ban automatically at this many consecutive failures; 0 never. */
    volatile int banAtFailures = 0;
    /** Ban automatically at this many malicious reports; 0 never. */
    volatile int banAt = 0;
    /** Run at the start of healthScore, reputation and selectionScore (e.g. to simulate a slow call). */
    volatile Runnable onCall;
    /** When set, decides every automatic ban (the rules above are not used); may block, to simulate a stuck call. */
    volatile Function<WorkerStatistics, Optional<BanDecision>> autoBanRule;

    static ScoreBreakdown score(double v) {
        return new ScoreBreakdown(v, List.of(new ScoreComponent("stub", v, 1)));
    }

    private void maybeFail() {
        Runnable hook = onCall;
        if (hook != null) {
            hook.run();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public ScoreBreakdown healthScore(HealthMetrics metrics) {
        maybeFail();
        return score(metrics.cpuUsagePercent() > 90 ? 0.1 : health);
    }

    @Override
    public double healthyThreshold() {
        return 0.5;
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        maybeFail();
        return score(reputation.apply(stats));
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        lastNetwork = network;
        return reputation(stats, now);
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        lastNetwork = network;
        Function<WorkerStatistics, Optional<BanDecision>> rule = autoBanRule;
        if (rule != null) {
            return rule.apply(stats);
        }
        if (banAtFailures > 0 && stats.consecutiveFailures() >= banAtFailures) {
            return Optional.of(new BanDecision(stats.consecutiveFailures() + " failures in a row", null));
        }
        return autoBan(stats, now);
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
        return banAt > 0 && stats.maliciousReports() >= banAt
                ? Optional.of(new BanDecision("malicious x" + stats.maliciousReports(), null)) : Optional.empty();
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        maybeFail();
        lastAuction = auction;
        return score(reputation);
    }
}
