package org.warden.api.policy;

import java.math.BigInteger;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Figures of the set of eligible bids being ranked, so a policy can score a bid relative to the others
 * (a bid of 10^20 base units is neither good nor bad by itself).
 *
 * @param bidCount           eligible bids, &ge; 1
 * @param minAmount          lowest amount asked
 * @param medianAmount       median amount asked (the lower middle for an even count)
 * @param minEstimateMs      shortest estimate, milliseconds
 * @param medianEstimateMs   median estimate, milliseconds
 * @param jobId              the job being auctioned, or {@code null}; lets a policy make a deterministic per-job
 *                           choice, e.g. reserving a share of jobs for new workers
 */
@ProviderType
public record AuctionContext(int bidCount, BigInteger minAmount, BigInteger medianAmount, long minEstimateMs,
        long medianEstimateMs, String jobId) {

    /** Without a job id. */
    public AuctionContext(int bidCount, BigInteger minAmount, BigInteger medianAmount, long minEstimateMs,
            long medianEstimateMs) {
        this(bidCount, minAmount, medianAmount, minEstimateMs, medianEstimateMs, null);
    }
}
