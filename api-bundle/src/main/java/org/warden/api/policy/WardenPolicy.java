package org.warden.api.policy;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;

/**
 * How workers are judged. Implemented by policy bundles and registered as an OSGi service with the
 * {@value #NAME_PROPERTY} property; the engine uses the highest-ranked one (or the one its configuration
 * pins) and re-scores every worker when it changes.
 *
 * <p>Every method must be a pure, fast, thread-safe function of its arguments. A method that throws,
 * returns {@code null}, NaN or a score outside [0, 1] is treated as a fault: the engine answers that call
 * with its built-in fallback and counts the fault in {@link org.warden.api.NetworkHealth#policyFaults()}.
 */
@ConsumerType
public interface WardenPolicy {

    /** Service property naming a policy, e.g. {@code default}; used to pin one by configuration. */
    String NAME_PROPERTY = "warden.policy.name";

    /** Health score of one report, in [0, 1]. */
    ScoreBreakdown healthScore(HealthMetrics metrics);

    /** Health score at or above which an active worker is healthy, in [0, 1]. */
    double healthyThreshold();

    /** Reputation of a worker at {@code now}, in [0, 1], decay included; {@code stats} are already decayed to {@code now}. */
    ScoreBreakdown reputation(WorkerStatistics stats, Instant now);

    /**
     * Reputation judged also against the network; what the engine calls. By default the network is ignored:
     * override it for a policy that compares a worker with the others.
     */
    default ScoreBreakdown reputation(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        return reputation(stats, now);
    }

    /** Reputation at or above which a worker not banned and healthy is eligible, in [0, 1]. */
    double eligibilityThreshold();

    /** Severity in [0, 1] given to a penalty the engine applies itself, e.g. on a malicious behaviour report. */
    double defaultSeverity(PenaltyType type);

    /**
     * Consulted after every penalty and malicious report: whether the worker should now be banned
     * automatically, and for how long. Empty when no ban is due.
     */
    Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now);

    /**
     * The auto-ban rule judged also against the network; what the engine calls. By default the network is ignored.
     */
    default Optional<BanDecision> autoBan(WorkerStatistics stats, NetworkStatistics network, Instant now) {
        return autoBan(stats, now);
    }

    /**
     * Selection score of one eligible bid, in [0, 1].
     *
     * @param reputation the bidder's reputation score, in [0, 1]
     * @param health     the bidder's health score, in [0, 1]
     * @param auction    figures of the whole set of eligible bids, so amounts can be judged relative to each other
     */
    ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction);

    /**
     * Selection score knowing the bidder's statistics (already decayed to now), e.g. to reserve a share of jobs
     * for new workers; what the engine calls. By default the statistics are ignored.
     */
    default ScoreBreakdown selectionScore(Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        return selectionScore(bid, reputation, health, auction);
    }
}
