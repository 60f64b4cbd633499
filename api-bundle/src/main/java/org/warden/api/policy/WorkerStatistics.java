package org.warden.api.policy;

import java.math.BigInteger;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;
import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;

/**
 * The raw record the engine keeps of one worker, already decayed to the time of the call. Policies judge
 * from these figures alone. Implemented by the engine; immutable.
 */
@ProviderType
public interface WorkerStatistics {

    String workerId();

    /** First health report or outcome. */
    Instant firstSeen();

    /** Latest health report or job outcome: when the worker was last heard from. */
    Instant lastSeen();

    /** Latest job outcome; {@code null} before the first. */
    Instant lastJobAt();

    /** Jobs that ended in success, lifetime. */
    long jobsCompleted();

    /** Jobs that ended in failure, lifetime. */
    long jobsFailed();

    /** Successes counted with decay at {@code horizon} (see {@link Horizon}). */
    double decayedSuccesses(Horizon horizon);

    /** Failures counted with decay at {@code horizon}. */
    double decayedFailures(Horizon horizon);

    /** Successes in a row up to the latest outcome; 0 if the latest failed. */
    int consecutiveSuccesses();

    /** Failures in a row up to the latest outcome; 0 if the latest succeeded. */
    int consecutiveFailures();

    /** Execution time of jobs, milliseconds. */
    Moments executionTimeMs();

    /** Ratio of execution time to the worker's own estimate, over the outcomes that carried an estimate. */
    Moments timeToEstimateRatio();

    /** Result quality in [0, 1], over the outcomes that carried one. */
    Moments resultQuality();

    /** Earnings, base units, lifetime; unsigned 128-bit (saturates at 2^128 - 1). */
    BigInteger earnings();

    /** Latest health report; {@code null} if none. */
    HealthMetrics lastHealth();

    /** When the latest health report arrived; {@code null} if none. */
    Instant lastHealthAt();

    /** Penalties of this type, lifetime. */
    int penaltyCount(PenaltyType type);

    /** Severity of penalties of this type summed with decay at {@link Horizon#MONTH}. */
    double decayedPenaltySeverity(PenaltyType type);

    /** Malicious behaviour reports, lifetime. */
    int maliciousReports();

    /** Bans imposed, lifetime. */
    int banCount();

    /** The ban in force; {@code null} if none. */
    Ban currentBan();
}
