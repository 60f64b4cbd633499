package org.warden.policy.bayesian;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Instances of {@link BayesianPolicyComponent.Config} as Declarative Services would build them: each key
 * from the given map, else the annotation's default; a {@link RuntimeException} given as a value is thrown
 * when its key is read.
 */
final class Configs {
    private Configs() {
    }

    /** The configuration with no key set: every default. */
    static BayesianPolicyComponent.Config defaults() {
        return with(Map.of());
    }

    static BayesianPolicyComponent.Config with(String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return with(m);
    }

    static BayesianPolicyComponent.Config with(Map<String, Object> values) {
        for (String key : values.keySet()) {
            try {
                BayesianPolicyComponent.Config.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no configuration key " + key, e);
            }
        }
        return (BayesianPolicyComponent.Config) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {BayesianPolicyComponent.Config.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "Config" + values;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    if (method.getName().equals("annotationType")) {
                        return BayesianPolicyComponent.Config.class;
                    }
                    Object v = values.get(method.getName());
                    if (v instanceof RuntimeException e) {
                        throw e; // as Declarative Services does with a value it cannot convert
                    }
                    return v != null ? v : method.getDefaultValue();
                });
    }

    /** Settings of a configuration with the given keys set. */
    static BayesianPolicySettings settings(Map<String, Object> values) {
        return BayesianPolicySettings.from(with(values));
    }

    /** A policy configured with the given keys set. */
    static BayesianPolicy policy(Map<String, Object> values) {
        return new BayesianPolicy(settings(values));
    }
}
