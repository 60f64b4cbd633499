package org.warden.engine.policy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * What the engine answers with when no policy service is bound, or when the bound one faults on a call.
 * Deliberately plain and cautious, so the distributor keeps working:
 * <ul>
 * <li>health: mean headroom of CPU, memory and disk, and 1/(1 + errors); healthy at 0.5;</li>
 * <li>reputation: Laplace success rate (c+1)/(c+f+2) times exp(-sum of decayed penalty severities);
 * no decay towards neutral, no streak bonus;</li>
 * <li>eligibility threshold 0.3 (the seed's);</li>
 * <li>never bans automatically: without a policy nobody decided a ban rule;</li>
 * <li>selection: the seed's weights 0.35/0.25/0.25/0.15 with amounts and times relative to the auction's
 * median.</li>
 * </ul>
 */
public final class FallbackPolicy implements WardenPolicy {

    public static final String NAME = "fallback";

    @Override
    public ScoreBreakdown healthScore(HealthMetrics m) {
        double cpu = 1 - m.cpuUsagePercent() / 100;
        double memory = 1 - m.memoryUsagePercent() / 100;
        double disk = 1 - m.diskUsagePercent() / 100;
        double errors = 1.0 / (1 + m.errorCount());
        double score = (cpu + memory + disk + errors) / 4;
        return new ScoreBreakdown(score, List.of(new ScoreComponent("cpu", cpu, 0.25),
                new ScoreComponent("memory", memory, 0.25), new ScoreComponent("disk", disk, 0.25),
                new ScoreComponent("errors", errors, 0.25)));
    }

    @Override
    public double healthyThreshold() {
        return 0.5;
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics s, Instant now) {
        double successRate = (s.jobsCompleted() + 1.0) / (s.jobsCompleted() + s.jobsFailed() + 2.0);
        double severity = 0;
        for (PenaltyType t : PenaltyType.values()) {
            severity += s.decayedPenaltySeverity(t);
        }
        double penalties = Math.exp(-severity);
        return new ScoreBreakdown(successRate * penalties, List.of(new ScoreComponent("successRate", successRate, 1),
                new ScoreComponent("penalties", penalties, 0)));
    }

    @Override
    public double eligibilityThreshold() {
        return 0.3;
    }

    @Override
    public double defaultSeverity(PenaltyType type) {
        return switch (type) {
            case JOB_TIMEOUT -> 0.8;
            case BAN -> 1.0;
            default -> 0.5;
        };
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        return Optional.empty();
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        double amount = relative(new BigDecimal(bid.amount()), new BigDecimal(auction.medianAmount()));
        double time = relative(BigDecimal.valueOf(bid.estimatedCompletionMs()), BigDecimal.valueOf(auction.medianEstimateMs()));
        double score = 0.35 * reputation + 0.25 * health + 0.25 * amount + 0.15 * time;
        return new ScoreBreakdown(Math.min(1, Math.max(0, score)), List.of(
                new ScoreComponent("reputation", reputation, 0.35), new ScoreComponent("health", health, 0.25),
                new ScoreComponent("bid", amount, 0.25), new ScoreComponent("time", time, 0.15)));
    }

    /** 1/(1 + x/scale): the seed's 1/(x+1) in units of the auction's median (or 1 when the median is 0). */
    static double relative(BigDecimal x, BigDecimal median) {
        BigDecimal scale = median.signum() > 0 ? median : BigDecimal.ONE;
        double ratio = x.divide(scale, MathContext.DECIMAL64).doubleValue();
        return 1.0 / (1.0 + ratio);
    }
}
