package org.warden.policy.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.warden.api.ConfigurationStatus;

/**
 * A component's configuration as Declarative Services hands it over, without a framework: the typed
 * {@code @ObjectClassDefinition} annotation ({@link #annotation}) and the raw properties map ({@link #properties}).
 * Every key given must be a method of the annotation type (else {@link IllegalArgumentException}: a misspelt key fails
 * the test rather than testing the default); a {@link RuntimeException} given as a value is thrown when its key is
 * read (as DS does with a value it cannot convert, or a configuration that cannot be read at all).
 */
public final class TestConfigurations {
    private TestConfigurations() {
    }

    /**
     * An instance of {@code type} as Declarative Services would build it: each key from {@code values}, else the
     * annotation's default.
     */
    public static <A extends Annotation> A annotation(Class<A> type, Map<String, Object> values) {
        checkKeys(type, values);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "Config" + values;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    if (method.getName().equals("annotationType")) {
                        return type;
                    }
                    Object v = values.get(method.getName());
                    if (v instanceof RuntimeException e) {
                        throw e; // as Declarative Services does with a value it cannot convert
                    }
                    return v != null ? v : method.getDefaultValue();
                }));
    }

    /**
     * The raw configuration of a component configured by {@code type}, with the given keys set, as Declarative
     * Services passes it to the component (values as Config Admin holds them: a String as {@code config:property-set}
     * writes, or a typed value).
     */
    public static Map<String, Object> properties(Class<? extends Annotation> type, Map<String, Object> values) {
        checkKeys(type, values);
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

    /**
     * The one {@link ConfigurationStatus} registered with {@code bundle} and not unregistered; fails (an
     * {@link IllegalStateException}) if there is none or more than one.
     */
    public static ConfigurationStatus registeredStatus(RecordingBundleContext bundle) {
        List<ConfigurationStatus> registered = bundle.registered(ConfigurationStatus.class);
        if (registered.size() != 1) {
            throw new IllegalStateException("expected one ConfigurationStatus registered, found " + registered);
        }
        return registered.get(0);
    }

    private static void checkKeys(Class<? extends Annotation> type, Map<String, Object> values) {
        for (String key : values.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no configuration key " + key, e);
            }
        }
    }
}
