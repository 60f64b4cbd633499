package org.warden.api.policy.support;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * A {@link WardenPolicy} that hands every call to another, {@link #delegate()}, read anew for each call: what a
 * configurable policy component is, as it registers one service for its whole life and swaps the policy behind it
 * when its configuration changes (typically {@code delegate()} returns {@link SettingsHolder#current()}). Every
 * method is forwarded, the ones {@link WardenPolicy} has defaults for included, so that the delegate's own answer is
 * used.
 *
 * <p>Policy bundles extend it (hence {@code @ConsumerType}); their Declarative Services annotations stay on their
 * component class.
 *
 * @since 1.1
 */
@ConsumerType
public abstract class ForwardingPolicy implements WardenPolicy {

    /** The policy this call goes to; called once per call, on the caller's thread, so it must be fast. */
    protected abstract WardenPolicy delegate();

    @Override
    public ScoreBreakdown healthScore(HealthMetrics metrics) {
        return delegate().healthScore(metrics);
    }

    @Override
    public double healthyThreshold() {
        return delegate().healthyThreshold();
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        return delegate().reputation(stats, now);
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        return delegate().reputation(stats, network, now);
    }

    @Override
    public double eligibilityThreshold() {
        return delegate().eligibilityThreshold();
    }

    @Override
    public double defaultSeverity(PenaltyType type) {
        return delegate().defaultSeverity(type);
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        return delegate().autoBan(stats, now);
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        return delegate().autoBan(stats, network, now);
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        return delegate().selectionScore(bid, reputation, health, auction);
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        return delegate().selectionScore(bid, stats, reputation, health, auction);
    }
}
