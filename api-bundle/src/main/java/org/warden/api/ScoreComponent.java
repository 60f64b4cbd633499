package org.warden.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One term of a score: what it measures, its value and the weight the policy gave it.
 *
 * @param name   what the term measures, e.g. {@code successRate} or {@code bid}
 * @param value  the term's value, in [0, 1] (1 is best)
 * @param weight the weight the policy multiplies it by, &ge; 0; a factor applied to the whole score
 *               (a penalty, a decay) is listed with weight 0 and explained by its name
 */
@ProviderType
public record ScoreComponent(String name, double value, double weight) {
    public ScoreComponent {
        Check.id("name", name);
        Check.finite("value", value);
        Check.nonNegative("weight", weight);
    }
}
