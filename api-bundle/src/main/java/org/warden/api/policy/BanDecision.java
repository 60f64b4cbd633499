package org.warden.api.policy;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;
import org.warden.api.Check;

/**
 * A policy's decision to ban a worker automatically.
 *
 * @param reason   why, shown to the operator: the rules of every reason ({@link Check#reason}: not blank, at most
 *                 {@value Check#MAX_REASON_LENGTH} characters, no control characters), as it becomes the ban's
 * @param duration how long; {@code null} for a ban without end; otherwise positive (the engine also refuses, as a
 *                 fault of the policy, a duration that would end the ban past {@link java.time.Instant#MAX})
 */
@ProviderType
public record BanDecision(String reason, Duration duration) {
    public BanDecision {
        Check.reason("reason", reason);
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
    }
}
