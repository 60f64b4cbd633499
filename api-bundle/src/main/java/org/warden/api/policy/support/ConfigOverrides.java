package org.warden.api.policy.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A component's raw configuration with overrides put over it, for building a variant of what the component builds
 * (a what-if replay's candidate policy) without configuring anything: the overrides are text, as an operator types
 * them ({@code successRateWeight=0.5}), and are read afterwards by the component's own reader
 * ({@link ConfigValues#typed} then its settings' check), which converts and validates them exactly as it does a
 * configuration's text values (Karaf's {@code config:property-set} writes text too).
 *
 * <p>Only the keys of the component's typed configuration (its {@code @ObjectClassDefinition} annotation) may be
 * overridden: any other key would be silently ignored by the reader, so a misspelt key would answer a question the
 * operator did not ask. The framework's keys ({@code service.pid}, {@code component.name}, {@code felix.*}...) are
 * accepted and left out, as they are in {@link LastAcceptedConfigurations}: they are not settings, and a
 * configuration's whole dictionary may be passed as overrides.
 *
 * @since 1.3
 */
@ProviderType
public final class ConfigOverrides {

    private ConfigOverrides() {
    }

    /**
     * {@code properties} with {@code overrides} put over them, in a new map; neither argument is changed.
     *
     * @param properties the raw configuration in force, as Declarative Services passed it
     * @param overrides keys of {@code config} and their values as text
     * @param config the component's configuration annotation, whose methods name the keys (by
     *        {@link ConfigValues#key})
     * @param owner what the keys belong to, as the refusal names it: e.g. {@code "policy default"}
     * @throws IllegalArgumentException naming every key that is not one of {@code config}'s (with the known keys),
     *         or that has no value
     */
    public static Map<String, Object> over(Map<String, ?> properties, Map<String, String> overrides,
            Class<? extends Annotation> config, String owner) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(owner, "owner");
        SortedSet<String> known = keys(config);
        SortedSet<String> unknown = new TreeSet<>();
        SortedSet<String> empty = new TreeSet<>();
        Map<String, Object> merged = new HashMap<>(properties);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            if (key != null && !known.contains(key) && FrameworkKeys.isFrameworkKey(key)) {
                continue; // the framework's, not a setting: nothing to override
            }
            if (key == null || !known.contains(key)) {
                unknown.add(String.valueOf(key));
            } else if (e.getValue() == null) {
                empty.add(key);
            } else {
                merged.put(key, e.getValue());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException((unknown.size() == 1 ? "unknown key " : "unknown keys ")
                    + String.join(", ", unknown) + " for " + owner + ": known keys are " + String.join(", ", known));
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", empty) + " for " + owner + " must have a value");
        }
        return Collections.unmodifiableMap(merged);
    }

    /** The keys of {@code config}'s methods, by {@link ConfigValues#key}, in order. */
    public static SortedSet<String> keys(Class<? extends Annotation> config) {
        if (!Objects.requireNonNull(config, "config").isAnnotation()) {
            throw new IllegalArgumentException(config.getName() + " is not an annotation type");
        }
        SortedSet<String> keys = new TreeSet<>();
        for (Method m : config.getDeclaredMethods()) {
            keys.add(ConfigValues.key(m.getName()));
        }
        return Collections.unmodifiableSortedSet(keys);
    }
}
