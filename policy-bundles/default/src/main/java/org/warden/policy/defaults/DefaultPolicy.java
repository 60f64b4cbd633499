package org.warden.policy.defaults;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * The seed's policy as a plain Java object: immutable, so thread-safe, and usable without OSGi
 * ({@code new DefaultPolicy(DefaultPolicySettings.SEED)}) by the engine's tests and the simulator.
 * Each concern lives in its own formula class; this one only assembles them from one set of settings.
 */
public final class DefaultPolicy implements WardenPolicy {
    private final DefaultPolicySettings settings;
    private final ReputationFormula reputation;
    private final SelectionFormula selection;
    private final PenaltyRules penalties;

    public DefaultPolicy(DefaultPolicySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.reputation = new ReputationFormula(settings);
        this.selection = new SelectionFormula(settings);
        this.penalties = new PenaltyRules(settings);
    }

    /** The settings this policy judges by. */
    public DefaultPolicySettings settings() {
        return settings;
    }

    @Override
    public ScoreBreakdown healthScore(HealthMetrics metrics) {
        return HealthFormula.score(metrics);
    }

    @Override
    public double healthyThreshold() {
        return settings.healthyThreshold();
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        return reputation.reputation(stats, now);
    }

    @Override
    public double eligibilityThreshold() {
        return settings.minReputationThreshold();
    }

    @Override
    public double defaultSeverity(PenaltyType type) {
        return penalties.defaultSeverity(type);
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        return penalties.autoBan(stats, now);
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        return selection.score(bid, reputation, health, auction);
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        return selection.score(bid, stats, reputation, health, auction);
    }

    @Override
    public String toString() {
        return "DefaultPolicy" + settings;
    }
}
