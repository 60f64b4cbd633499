package org.warden.api;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Job outcomes, reputation and eligibility. Implemented by the Warden engine; thread-safe. */
@ProviderType
public interface ReputationService {

    /**
     * Records how a job went; a worker unknown so far becomes known.
     *
     * @return the worker's reputation after the outcome
     * @throws IllegalArgumentException if {@code outcome} is null
     */
    WorkerReputation recordOutcome(JobOutcome outcome);

    /** The seed's form: worker, success, execution time (ms), earnings (unsigned 128-bit), optional quality in [0, 1]. */
    default WorkerReputation recordOutcome(String workerId, boolean success, long executionTimeMs, BigInteger earnings,
            Double resultQuality) {
        return recordOutcome(JobOutcome.of(workerId, success, executionTimeMs, earnings, resultQuality));
    }

    /** The worker's reputation now, or empty if Warden has no record of it. */
    Optional<WorkerReputation> reputation(String workerId);

    /**
     * Whether the worker may be given a job now, and why. An unknown worker is not eligible: a worker
     * becomes known with its first health report or job outcome.
     */
    Eligibility eligibility(String workerId);

    /** Shorthand for {@code eligibility(workerId).eligible()}. */
    default boolean isEligible(String workerId) {
        return eligibility(workerId).eligible();
    }

    /** Ids of every worker Warden has a record of, in no particular order. */
    List<String> workerIds();
}
