package org.warden.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Penalties, malicious behaviour reports and bans. Implemented by the Warden engine; thread-safe.
 * Every method refuses an unknown worker with an {@link IllegalArgumentException}: a typo must not
 * create a worker.
 */
@ProviderType
public interface PenaltyService {

    /**
     * Applies a penalty; the active policy decides what it costs and whether it leads to a ban.
     *
     * @param severity in [0, 1]
     * @param jobId    the job concerned, or {@code null}
     * @return the penalty recorded
     */
    Penalty applyPenalty(String workerId, PenaltyType type, double severity, String reason, String jobId);

    /**
     * Reports malicious behaviour: counted, recorded as a {@link PenaltyType#MALICIOUS_BEHAVIOR} penalty of the
     * policy's severity, and the policy's auto-ban rule applied (the seed bans on the third report).
     *
     * @return the worker's reputation after the report, showing the ban if one was imposed
     */
    WorkerReputation reportMalicious(String workerId, String reason);

    /**
     * Bans a worker by an operator's decision.
     *
     * @param duration how long; {@code null} for a ban without end; otherwise positive and at most
     *                 {@link Check#MAX_BAN_DURATION} (100 years), else an {@link IllegalArgumentException} naming
     *                 {@code duration}
     * @return the ban in force
     */
    Ban ban(String workerId, String reason, Duration duration);

    /** Lifts the ban in force; empty if the worker was not banned. */
    Optional<Ban> unban(String workerId, String reason);

    /** The worker's most recent penalties, newest first (the engine keeps the last few in memory). */
    List<Penalty> penalties(String workerId);

    /** The worker's bans, newest first, the one in force included. */
    List<Ban> bans(String workerId);

    /**
     * Automatic bans held back by the ban budget, oldest first. The engine never bans more than a configured share
     * of the active workers automatically within a window, whatever the policy; operators' bans are not limited.
     */
    List<PendingBan> pendingBans();

    /** Imposes a pending ban as the policy asked (now, for its duration); empty if the worker has none pending. */
    Optional<Ban> confirmPendingBan(String workerId, String reason);

    /** Drops a pending ban; {@code false} if the worker has none pending. */
    boolean dismissPendingBan(String workerId, String reason);

    /** Convenience for {@link #ban(String, String, Duration)} without end. */
    default Ban ban(String workerId, String reason) {
        return ban(workerId, reason, null);
    }
}
