package org.warden.api;

import org.osgi.annotation.versioning.ProviderType;

/** The seed's nine kinds of misbehaviour a penalty can be applied for. What each costs is the policy's decision. */
@ProviderType
public enum PenaltyType {
    /** A job was not finished within its deadline. */
    JOB_TIMEOUT,
    /** A job ended in failure. */
    JOB_FAILURE,
    /** Deliberate misbehaviour, e.g. a forged result; counted towards the auto-ban rule. */
    MALICIOUS_BEHAVIOR,
    /** Results far slower or worse than promised. */
    POOR_PERFORMANCE,
    /** The worker was unreachable or its connection unstable. */
    NETWORK_ISSUES,
    /** The worker used more resources than it was allotted. */
    RESOURCE_ABUSE,
    /** A result failed verification. */
    INVALID_RESULT,
    /** Flooding the distributor with bids or reports. */
    SPAM,
    /** Recorded when a worker is banned, so the ban shows in the penalty history. */
    BAN
}
