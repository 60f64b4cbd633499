package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What Warden knows of one worker's health.
 *
 * @param workerId   the worker
 * @param metrics    its last health report; {@code null} if it never reported one
 * @param score      health score in [0, 1] from the active policy (1 is perfectly healthy)
 * @param breakdown  the terms of the health score
 * @param lastReport when the last report arrived; {@code null} if none
 * @param active     whether the worker was heard from (health report or job outcome) within the
 *                   engine's activity window (three health check intervals by default)
 * @param healthy    active, and its score at or above the policy's healthy threshold
 */
@ProviderType
public record WorkerHealth(
        String workerId,
        HealthMetrics metrics,
        double score,
        ScoreBreakdown breakdown,
        Instant lastReport,
        boolean active,
        boolean healthy) {
}
