package org.warden.healthcheck;

import java.lang.reflect.Proxy;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Instances of {@link NetworkHealthCheck.Config} as Declarative Services would build them: each key from the
 * given map, else the annotation's default; a {@link RuntimeException} given as a value is thrown when its key
 * is read (as DS does with a value it cannot convert).
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
        for (String key : values.keySet()) {
            try {
                NetworkHealthCheck.Config.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no configuration key " + key, e);
            }
        }
        return (NetworkHealthCheck.Config) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {NetworkHealthCheck.Config.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "Config" + values;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    if (method.getName().equals("annotationType")) {
                        return NetworkHealthCheck.Config.class;
                    }
                    Object v = values.get(method.getName());
                    if (v instanceof RuntimeException e) {
                        throw e;
                    }
                    return v != null ? v : method.getDefaultValue();
                });
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
        for (String key : values.keySet()) {
            try {
                NetworkHealthCheck.Config.class.getMethod(key);
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
