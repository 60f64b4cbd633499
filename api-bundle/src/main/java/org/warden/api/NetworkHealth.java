package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The health of the whole worker network.
 *
 * @param totalWorkers          workers Warden has a record of
 * @param activeWorkers         workers heard from within the activity window
 * @param healthyWorkers        active workers whose health score is at or above the policy's healthy threshold
 * @param bannedWorkers         workers under a ban in force
 * @param averageReputation     mean reputation of workers not banned, in [0, 1]; 0 when there are none
 * @param successRate           jobs completed / jobs judged, network-wide and lifetime, in [0, 1]; 0 before any job
 * @param averageResponseTimeMs mean of the active workers' last reported response time, milliseconds
 * @param healthScore           one figure in [0, 1]: 0.4 healthy share of active + 0.3 success rate + 0.3 average reputation
 * @param policyName            the {@code warden.policy.name} of the policy in force, or {@code "fallback"}
 * @param fallbackActive        {@code true} when no policy service is bound and the engine's built-in fallback answers
 * @param policyFaults          calls on which the policy threw or returned an invalid value and the fallback answered, since start
 * @param computedAt            when these figures were computed (they may be a few seconds old, see the engine configuration)
 * @param pendingBans           automatic bans held back by the ban budget, waiting for an operator
 * @param shadowPolicyName      the policy running in shadow (judging without being enforced), or {@code null}
 * @param store                 the durable store's state ({@link StoreHealth#MEMORY} without one)
 */
@ProviderType
public record NetworkHealth(
        long totalWorkers,
        long activeWorkers,
        long healthyWorkers,
        long bannedWorkers,
        double averageReputation,
        double successRate,
        double averageResponseTimeMs,
        double healthScore,
        String policyName,
        boolean fallbackActive,
        long policyFaults,
        Instant computedAt,
        long pendingBans,
        String shadowPolicyName,
        StoreHealth store) {

    public NetworkHealth {
        if (store == null) {
            store = StoreHealth.MEMORY;
        }
    }

    /** Without the store's state (memory only). */
    public NetworkHealth(long totalWorkers, long activeWorkers, long healthyWorkers, long bannedWorkers,
            double averageReputation, double successRate, double averageResponseTimeMs, double healthScore,
            String policyName, boolean fallbackActive, long policyFaults, Instant computedAt, long pendingBans,
            String shadowPolicyName) {
        this(totalWorkers, activeWorkers, healthyWorkers, bannedWorkers, averageReputation, successRate,
                averageResponseTimeMs, healthScore, policyName, fallbackActive, policyFaults, computedAt, pendingBans,
                shadowPolicyName, StoreHealth.MEMORY);
    }

    /** Without pending bans or shadow policy. */
    public NetworkHealth(long totalWorkers, long activeWorkers, long healthyWorkers, long bannedWorkers,
            double averageReputation, double successRate, double averageResponseTimeMs, double healthScore,
            String policyName, boolean fallbackActive, long policyFaults, Instant computedAt) {
        this(totalWorkers, activeWorkers, healthyWorkers, bannedWorkers, averageReputation, successRate,
                averageResponseTimeMs, healthScore, policyName, fallbackActive, policyFaults, computedAt, 0, null, StoreHealth.MEMORY);
    }
}
