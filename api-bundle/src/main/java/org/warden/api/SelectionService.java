package org.warden.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** What the distributor asks before assigning a job. Implemented by the Warden engine; thread-safe. Records nothing. */
@ProviderType
public interface SelectionService {

    /**
     * Ranks the eligible bids by the active policy's selection score, best first; bids of ineligible or
     * unknown workers are left out. Ties keep the order of {@code bids}.
     *
     * @param jobId the job, for logs and explanations; may be {@code null}
     * @param bids  at most 100,000 bids, at most one per worker
     */
    List<RankedBid> rank(String jobId, List<Bid> bids);

    /** The best eligible bid, if any. */
    default Optional<RankedBid> select(String jobId, List<Bid> bids) {
        List<RankedBid> ranked = rank(jobId, bids);
        return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
    }
}
