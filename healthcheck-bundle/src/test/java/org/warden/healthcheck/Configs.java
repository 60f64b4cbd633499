package org.warden.healthcheck;

import java.util.Map;

import org.warden.policy.testkit.TestConfigurations;

/**
 * The {@link NetworkHealthCheck.Config} and raw configuration of the health check's tests, built by
 * {@link TestConfigurations}: each key from the given map, else the annotation's default; a {@link RuntimeException}
 * given as a value is thrown when its key is read (as DS does with a value it cannot convert).
 */
final class Configs {
    private Configs() {
    }

    static NetworkHealthCheck.Config defaults() {
        return with(Map.of());
    }

    static NetworkHealthCheck.Config with(String key, Object value) {
        return with(Map.of(key, value));
    }

    static NetworkHealthCheck.Config with(Map<String, Object> values) {
        return TestConfigurations.annotation(NetworkHealthCheck.Config.class, values);
    }

    /** The raw configuration Declarative Services passes to the component: no key set. */
    static Map<String, Object> properties() {
        return properties(Map.of());
    }

    static Map<String, Object> properties(String key, Object value) {
        return properties(Map.of(key, value));
    }

    /**
     * The raw configuration with the given keys set, as Declarative Services passes it; a {@link RuntimeException}
     * given as a value is thrown when its key is read (a configuration that cannot be read at all).
     */
    static Map<String, Object> properties(Map<String, Object> values) {
        return TestConfigurations.properties(NetworkHealthCheck.Config.class, values);
    }
}
