package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What Warden knows of one worker's record, scored by the active policy at the time of the call.
 *
 * @param workerId         the worker
 * @param score            reputation in [0, 1] (1 is fully trusted), decay already applied
 * @param breakdown        the components of the score and their weights
 * @param jobsCompleted    jobs that ended in success, lifetime
 * @param jobsFailed       jobs that ended in failure, lifetime
 * @param penaltyCount     penalties applied, lifetime
 * @param maliciousReports malicious behaviour reports, lifetime
 * @param ban              the ban in force, or {@code null} when the worker is not banned
 * @param firstSeen        first report or outcome
 * @param lastSeen         latest health report or outcome
 */
@ProviderType
public record WorkerReputation(
        String workerId,
        double score,
        ScoreBreakdown breakdown,
        long jobsCompleted,
        long jobsFailed,
        long penaltyCount,
        long maliciousReports,
        Ban ban,
        Instant firstSeen,
        Instant lastSeen) {

    /** Whether a ban is in force. */
    public boolean banned() {
        return ban != null;
    }
}
