package org.warden.api;

import java.math.BigInteger;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A worker's bid for a job.
 *
 * @param workerId              the bidding worker
 * @param amount                what it asks, in the distributor's base units: unsigned 128-bit, in [0, 2^128)
 * @param estimatedCompletionMs how long it says the job will take, milliseconds, &ge; 0
 */
@ProviderType
public record Bid(String workerId, BigInteger amount, long estimatedCompletionMs) {
    public Bid {
        Check.id("workerId", workerId);
        Check.amount("amount", amount);
        Check.nonNegative("estimatedCompletionMs", estimatedCompletionMs);
    }

    public static Bid of(String workerId, long amount, long estimatedCompletionMs) {
        return new Bid(workerId, BigInteger.valueOf(amount), estimatedCompletionMs);
    }
}
