package org.warden.api;

import org.osgi.annotation.versioning.ProviderType;

/** EventAdmin topics and property keys of the events the Warden engine posts (asynchronously). */
@ProviderType
public final class WardenEvents {
    /** A penalty was applied. Properties: worker.id, penalty.type, severity, reason, job.id (if any). */
    public static final String TOPIC_PENALIZED = "org/warden/worker/PENALIZED";
    /** A worker was banned. Properties: worker.id, reason, automatic, until (ISO-8601, if any). */
    public static final String TOPIC_BANNED = "org/warden/worker/BANNED";
    /**
     * An automatic ban was held back because the ban budget is spent; an operator decides. Properties: worker.id,
     * reason, policy.name.
     */
    public static final String TOPIC_BAN_PENDING = "org/warden/worker/BAN_PENDING";
    /** A ban was lifted. Properties: worker.id, reason. */
    public static final String TOPIC_UNBANNED = "org/warden/worker/UNBANNED";
    /** The policy in force changed. Properties: policy.name (the new one, or "fallback"), policy.previous. */
    public static final String TOPIC_POLICY_CHANGED = "org/warden/policy/CHANGED";

    public static final String WORKER_ID = "worker.id";
    public static final String PENALTY_TYPE = "penalty.type";
    public static final String SEVERITY = "severity";
    public static final String REASON = "reason";
    public static final String JOB_ID = "job.id";
    public static final String AUTOMATIC = "automatic";
    public static final String UNTIL = "until";
    public static final String POLICY_NAME = "policy.name";
    public static final String POLICY_PREVIOUS = "policy.previous";

    private WardenEvents() {
    }
}
