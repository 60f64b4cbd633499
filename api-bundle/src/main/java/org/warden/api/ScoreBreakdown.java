package org.warden.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A score in [0, 1] with the terms it was computed from, so a distributor or an operator can
 * explain it.
 *
 * @param score      the score, in [0, 1]; higher is better
 * @param components the terms, in the policy's order; never {@code null}
 */
@ProviderType
public record ScoreBreakdown(double score, List<ScoreComponent> components) {
    public ScoreBreakdown {
        Check.unit("score", score);
        components = List.copyOf(Check.notNull("components", components));
    }

    /** The value of the named component, or NaN when there is none. */
    public double component(String name) {
        for (ScoreComponent c : components) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return Double.NaN;
    }
}
