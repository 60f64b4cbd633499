package org.warden.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Health of each worker and of the network. Implemented by the Warden engine; thread-safe. */
@ProviderType
public interface HealthService {

    /**
     * Records a worker's health report; a worker unknown so far becomes known.
     *
     * @return the worker's health after the report, scored by the active policy
     * @throws IllegalArgumentException if {@code workerId} is null, blank, longer than 256 characters or
     *                                  holds control characters, or {@code metrics} is null
     */
    WorkerHealth reportHealth(String workerId, HealthMetrics metrics);

    /** The worker's health now, or empty if Warden has no record of it. */
    Optional<WorkerHealth> health(String workerId);

    /** The network-wide aggregate; may be a few seconds old on a large network (see {@link NetworkHealth#computedAt()}). */
    NetworkHealth networkHealth();
}
