package org.warden.policy.strict;

import java.util.HashMap;
import java.util.Map;

import org.warden.policy.testkit.TestConfigurations;

/**
 * The {@link StrictPolicyComponent.Config} and raw configuration of this policy's tests, built by
 * {@link TestConfigurations}: each key from the given map, else the annotation's default; a {@link RuntimeException}
 * given as a value is thrown when its key is read.
 */
final class Configs {
    private Configs() {
    }

    /** The configuration with no key set: every default. */
    static StrictPolicyComponent.Config defaults() {
        return with(Map.of());
    }

    static StrictPolicyComponent.Config with(String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return with(m);
    }

    static StrictPolicyComponent.Config with(Map<String, Object> values) {
        return TestConfigurations.annotation(StrictPolicyComponent.Config.class, values);
    }

    /** Settings of a configuration with the given keys set. */
    static StrictPolicySettings settings(Map<String, Object> values) {
        return StrictPolicySettings.from(with(values));
    }

    /** A policy configured with the given keys set. */
    static StrictPolicy policy(Map<String, Object> values) {
        return new StrictPolicy(settings(values));
    }

    /** The raw configuration Declarative Services passes to the component: no key set. */
    static Map<String, Object> properties() {
        return properties(Map.of());
    }

    static Map<String, Object> properties(String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return properties(m);
    }

    /** The raw configuration with the given keys set, as Declarative Services passes it to the component. */
    static Map<String, Object> properties(Map<String, Object> values) {
        return TestConfigurations.properties(StrictPolicyComponent.Config.class, values);
    }
}
