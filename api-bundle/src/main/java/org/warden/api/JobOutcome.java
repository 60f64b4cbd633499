package org.warden.api;

import java.math.BigInteger;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a job went, as the distributor observed it.
 *
 * @param workerId        the worker that ran it
 * @param success         whether it ended in success
 * @param executionTimeMs how long it ran, milliseconds, &ge; 0
 * @param earnings        what the worker earned, base units, unsigned 128-bit in [0, 2^128)
 * @param resultQuality   quality of the result in [0, 1] if the distributor judged it; {@code null} otherwise
 * @param estimatedTimeMs the worker's own estimate from its bid, milliseconds, &gt; 0; {@code null} if unknown
 * @param jobId           the job; {@code null} if the distributor does not say
 */
@ProviderType
public record JobOutcome(String workerId, boolean success, long executionTimeMs, BigInteger earnings,
        Double resultQuality, Long estimatedTimeMs, String jobId) {
    public JobOutcome {
        Check.id("workerId", workerId);
        Check.nonNegative("executionTimeMs", executionTimeMs);
        Check.amount("earnings", earnings);
        Check.optionalUnit("resultQuality", resultQuality);
        if (estimatedTimeMs != null && estimatedTimeMs <= 0) {
            throw new IllegalArgumentException("estimatedTimeMs must be positive, was " + estimatedTimeMs);
        }
        Check.optionalId("jobId", jobId);
    }

    /** The seed's five arguments: worker, success, execution time, earnings, optional quality. */
    public static JobOutcome of(String workerId, boolean success, long executionTimeMs, BigInteger earnings,
            Double resultQuality) {
        return new JobOutcome(workerId, success, executionTimeMs, earnings, resultQuality, null, null);
    }
}
