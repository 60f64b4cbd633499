package org.warden.api.policy;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A policy's decision to ban a worker automatically.
 *
 * @param reason   why, shown to the operator
 * @param duration how long; {@code null} for a ban without end; otherwise positive
 */
@ProviderType
public record BanDecision(String reason, Duration duration) {
    public BanDecision {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
    }
}
