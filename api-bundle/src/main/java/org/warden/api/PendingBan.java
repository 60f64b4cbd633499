package org.warden.api;

import java.time.Duration;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An automatic ban the policy decided but the engine held back because the ban budget (a share of the active
 * workers banned automatically within a window) was spent. An operator confirms or dismisses it.
 *
 * @param workerId   the worker
 * @param reason     the policy's reason
 * @param duration   the ban's length the policy asked for; {@code null} for a ban without end
 * @param proposedAt when the policy decided it
 * @param policyName the policy that decided it
 */
@ProviderType
public record PendingBan(String workerId, String reason, Duration duration, Instant proposedAt, String policyName) {
}
