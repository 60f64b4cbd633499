package org.warden.policy.defaults;

import java.lang.reflect.Proxy;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Instances of {@link DefaultPolicyComponent.Config} as Declarative Services would build them: each key
 * from the given map, else the annotation's default; a {@link RuntimeException} given as a value is thrown
 * when its key is read.
 */
final class Configs {
    private Configs() {
    }

    /** The configuration with no key set: every default. */
    static DefaultPolicyComponent.Config defaults() {
        return with(Map.of());
    }

    static DefaultPolicyComponent.Config with(String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return with(m);
    }

    static DefaultPolicyComponent.Config with(Map<String, Object> values) {
        for (String key : values.keySet()) {
            try {
                DefaultPolicyComponent.Config.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no configuration key " + key, e);
            }
        }
        return (DefaultPolicyComponent.Config) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {DefaultPolicyComponent.Config.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "Config" + values;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    if (method.getName().equals("annotationType")) {
                        return DefaultPolicyComponent.Config.class;
                    }
                    Object v = values.get(method.getName());
                    if (v instanceof RuntimeException e) {
                        throw e; // as Declarative Services does with a value it cannot convert
                    }
                    return v != null ? v : method.getDefaultValue();
                });
    }

    /** Settings of a configuration with the given keys set. */
    static DefaultPolicySettings settings(Map<String, Object> values) {
        return DefaultPolicySettings.from(with(values));
    }

    /** A policy configured with the given keys set. */
    static DefaultPolicy policy(Map<String, Object> values) {
        return new DefaultPolicy(settings(values));
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

    /**
     * The raw configuration with the given keys set, as Declarative Services passes it to the component (values as
     * Config Admin holds them: a String as {@code config:property-set} writes, or a typed value); a
     * {@link RuntimeException} given as a value is thrown when its key is read (a configuration that cannot be
     * read at all).
     */
    static Map<String, Object> properties(Map<String, Object> values) {
        for (String key : values.keySet()) {
            try {
                DefaultPolicyComponent.Config.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no configuration key " + key, e);
            }
        }
        Map<String, Object> copy = new HashMap<>(values);
        return new AbstractMap<>() {
            @Override
            public Object get(Object key) {
                Object v = copy.get(key);
                if (v instanceof RuntimeException e) {
                    throw e;
                }
                return v;
            }

            @Override
            public Set<Entry<String, Object>> entrySet() {
                return copy.entrySet();
            }
        };
    }
}
