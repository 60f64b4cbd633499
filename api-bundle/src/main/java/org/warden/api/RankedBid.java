package org.warden.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An eligible bid with its place in the ranking and why.
 *
 * @param rank       1 for the best bid
 * @param bid        the bid
 * @param score      its selection score in [0, 1]
 * @param breakdown  the terms of the selection score (reputation, health, bid, time, as the policy defines them)
 */
@ProviderType
public record RankedBid(int rank, Bid bid, double score, ScoreBreakdown breakdown) {
}
