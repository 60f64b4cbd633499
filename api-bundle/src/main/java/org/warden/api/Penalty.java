package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A penalty applied to a worker.
 *
 * @param workerId the worker penalised
 * @param type     what it was penalised for
 * @param severity how serious, in [0, 1]; what that costs the worker is the policy's decision
 * @param reason   human-readable reason, at most 1,024 characters, no control characters
 * @param jobId    the job concerned; {@code null} if none
 * @param at       when it was applied
 */
@ProviderType
public record Penalty(String workerId, PenaltyType type, double severity, String reason, String jobId, Instant at) {
    public Penalty {
        Check.id("workerId", workerId);
        Check.notNull("type", type);
        Check.unit("severity", severity);
        Check.reason("reason", reason);
        Check.optionalId("jobId", jobId);
        Check.notNull("at", at);
    }
}
