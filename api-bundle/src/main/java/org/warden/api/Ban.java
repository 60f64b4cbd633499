package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A ban of a worker, current or past. A banned worker is never eligible and never selected.
 *
 * @param workerId   the worker banned
 * @param reason     why
 * @param automatic  {@code true} when the policy's auto-ban rule imposed it, {@code false} for an operator's ban
 * @param bannedAt   when it started
 * @param until      when it ends by itself; {@code null} for a ban without end
 * @param liftedAt   when an operator lifted it; {@code null} if not lifted
 * @param liftReason why it was lifted; {@code null} if not lifted
 */
@ProviderType
public record Ban(String workerId, String reason, boolean automatic, Instant bannedAt, Instant until,
        Instant liftedAt, String liftReason) {
    public Ban {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Check.notNull("bannedAt", bannedAt);
        if (until != null && until.isBefore(bannedAt)) {
            throw new IllegalArgumentException("until must not be before bannedAt");
        }
    }

    /** Whether this ban keeps the worker out at {@code now}. */
    public boolean isInForceAt(Instant now) {
        return liftedAt == null && !now.isBefore(bannedAt) && (until == null || now.isBefore(until));
    }

    /** This ban, lifted at {@code when} for {@code why}. */
    public Ban lift(Instant when, String why) {
        return new Ban(workerId, reason, automatic, bannedAt, until, when, Check.reason("reason", why));
    }
}
