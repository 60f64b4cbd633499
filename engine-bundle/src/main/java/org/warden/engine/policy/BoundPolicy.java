package org.warden.engine.policy;

import org.warden.api.policy.WardenPolicy;

/**
 * The policy in force with its name; {@code policy} is {@code null} when none is bound and the fallback answers.
 */
public record BoundPolicy(String name, WardenPolicy policy) {
    public static final BoundPolicy NONE = new BoundPolicy(FallbackPolicy.NAME, null);

    public boolean isFallback() {
        return policy == null;
    }
}
