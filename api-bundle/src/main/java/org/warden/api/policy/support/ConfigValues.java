package org.warden.api.policy.support;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A component's raw configuration (the {@code Map<String, Object>} Declarative Services passes to
 * {@code @Activate} and {@code @Modified}) read with Warden's own conversion, so that a value that is not of its
 * key's type is refused naming the key and the value, as every other invalid value is, rather than by the framework's
 * exception (Felix SCR: a {@code NumberFormatException} stack trace without the key).
 *
 * <p>It accepts what Config Admin and Karaf's {@code config:property-set} produce: a {@link String} (trimmed), any
 * {@link Number}, a {@link Boolean}, or a one-element array or collection of these. A number key refuses text that is
 * not a number; a whole-number key also refuses a fraction, NaN, infinities and a value outside its type's range.
 * {@code -0.0} is read as 0. A fractional key reads {@code NaN} and {@code Infinity} as the numbers they are and
 * leaves them to the range its settings check, which every Warden setting has and which NaN and infinities fail:
 * that refusal names the key, the value and the rule broken ({@code confidenceZ must be in [0, 10.0], was NaN}),
 * which says more than "not finite" would; use {@link #finiteDouble} for a key without a range. A boolean key takes
 * {@code true} or {@code false} in any case and refuses anything else.
 * An absent key has its default. Each getter returns the default for a refused value and notes the refusal;
 * {@link #check()} then throws one {@link IllegalArgumentException} naming every refused key.
 *
 * <p>{@link #typed(Class, Map)} does this for every method of a component's typed configuration (its
 * {@code @ObjectClassDefinition} annotation), so that a component keeps that annotation for the metatype and its
 * settings' {@code from(Config)} unchanged, and only the reading moves from the framework to Warden.
 *
 * <p>Not thread-safe: one instance reads one configuration, on the thread that reads it.
 */
@ProviderType
public final class ConfigValues {

    private final Map<String, ?> properties;
    private final List<String> problems = new ArrayList<>();

    private ConfigValues(Map<String, ?> properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /** A reader of {@code properties}; an empty map has every key at its default. */
    public static ConfigValues of(Map<String, ?> properties) {
        return new ConfigValues(properties);
    }

    /**
     * An instance of the configuration annotation {@code type} whose every method returns its key's value in
     * {@code properties} read as above, or the method's default. Every value is read at once: a refused one makes this
     * throw, naming every refused key. The key of a method is the Declarative Services one: {@code _} reads
     * {@code .}, {@code __} reads {@code _}, {@code $$} reads {@code $}, {@code $_$} reads {@code -}, a single
     * {@code $} is left out (so {@code policy_target()} reads {@code policy.target}). Refused keys are named in
     * the order of their names.
     *
     * @param type an annotation whose methods return {@code double}, {@code float}, {@code long}, {@code int},
     *        {@code boolean}, {@code String} or an enum
     * @throws IllegalArgumentException naming every key whose value is refused, and each value
     */
    public static <A> A typed(Class<A> type, Map<String, ?> properties) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an annotation type");
        }
        ConfigValues reader = of(properties);
        Map<String, Object> values = new LinkedHashMap<>();
        Method[] methods = type.getDeclaredMethods();
        // by name: the reflection order is unspecified, and the refusal must read the same on every run
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            values.put(m.getName(), reader.read(key(m.getName()), m.getReturnType(), m.getDefaultValue()));
        }
        reader.check();
        Object instance = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.get(method.getName());
                });
        return type.cast(instance);
    }

    /** The configuration key of an annotation method named {@code method}, by the Declarative Services rules. */
    public static String key(String method) {
        StringBuilder key = new StringBuilder(method.length());
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            boolean more = i + 1 < method.length();
            if (c == '$') {
                if (more && method.charAt(i + 1) == '$') {
                    key.append('$');
                    i++;
                } else if (i + 2 < method.length() && method.charAt(i + 1) == '_' && method.charAt(i + 2) == '$') {
                    key.append('-');
                    i += 2;
                }
            } else if (c == '_') {
                if (more && method.charAt(i + 1) == '_') {
                    key.append('_');
                    i++;
                } else {
                    key.append('.');
                }
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private Object read(String key, Class<?> type, Object defaultValue) {
        if (type == double.class) {
            return doubleValue(key, (Double) defaultValue);
        } else if (type == float.class) {
            return (float) doubleValue(key, (Float) defaultValue);
        } else if (type == long.class) {
            return longValue(key, (Long) defaultValue);
        } else if (type == int.class) {
            return intValue(key, (Integer) defaultValue);
        } else if (type == boolean.class) {
            return booleanValue(key, (Boolean) defaultValue);
        } else if (type == String.class) {
            return stringValue(key, (String) defaultValue);
        } else if (type.isEnum()) {
            return anyEnumValue(key, type, defaultValue);
        }
        // a component's own mistake, not the operator's: no configuration could make it readable
        throw new UnsupportedOperationException(key + ": a configuration method of type " + type.getName()
                + " is not supported");
    }

    // Generics cannot name "some enum type" read from a method; the type and default come from one method, so match.
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object anyEnumValue(String key, Class<?> type, Object defaultValue) {
        return enumValue(key, (Class) type, (Enum) defaultValue);
    }

    /**
     * The key as a number, {@code -0.0} read as 0, NaN and infinities as they are (for the settings' range check to
     * refuse, naming its rule); the default if absent or refused.
     */
    public double doubleValue(String key, double defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue() + 0.0; // -0.0 + 0.0 is 0.0: shown and compared as the 0 it means
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s) + 0.0;
            } catch (NumberFormatException e) {
                return refuse(key, "must be a number", v, defaultValue);
            }
        }
        return refuse(key, "must be a number", v, defaultValue);
    }

    /** As {@link #doubleValue}, refusing NaN and infinities too. */
    public double finiteDouble(String key, double defaultValue) {
        int before = problems.size();
        double d = doubleValue(key, defaultValue);
        if (problems.size() == before && !Double.isFinite(d)) {
            return refuse(key, "must be a finite number", value(key), defaultValue);
        }
        return d;
    }

    /** The key as a whole number; the default if absent or refused. */
    public long longValue(String key, long defaultValue) {
        return whole(key, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The key as a whole number in the range of an {@code int}; the default if absent or refused. */
    public int intValue(String key, int defaultValue) {
        return (int) whole(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The key as {@code true} or {@code false} (text in any case); the default if absent or refused. */
    public boolean booleanValue(String key, boolean defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        return refuse(key, "must be true or false", v, defaultValue);
    }

    /** The key as text (a number or boolean as it is written), not trimmed; the default if absent. */
    public String stringValue(String key, String defaultValue) {
        Object v = single(key, properties.get(key));
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return v.toString();
        }
        // the value not shown: a text key may be a password
        problems.add(key + " must be text, was a " + v.getClass().getName());
        return defaultValue;
    }

    /**
     * The key as one of {@code type}'s constants, named as declared (in any case); the default if absent or refused.
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        for (E constant : type.getEnumConstants()) {
            if (v instanceof String s && constant.name().equalsIgnoreCase(s)) {
                return constant;
            }
        }
        return refuse(key, "must be one of " + Arrays.toString(type.getEnumConstants()), v, defaultValue);
    }

    /**
     * Throws if a getter refused a value.
     *
     * @throws IllegalArgumentException naming every refused key, why, and its value, separated by {@code "; "}
     */
    public void check() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The refusals so far, each naming its key; empty when every value read was accepted. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private long whole(String key, long defaultValue, long min, long max) {
        Object v = value(key);
        if (v == null) {
            return defaultValue;
        }
        String range = "must be a whole number in [" + min + ", " + max + "]";
        BigDecimal exact;
        try {
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (!Double.isFinite(d)) {
                    return refuse(key, range, v, defaultValue);
                }
                exact = BigDecimal.valueOf(d);
            } else if (v instanceof Number n) {
                exact = new BigDecimal(n.toString());
            } else if (v instanceof String s) {
                exact = new BigDecimal(s);
            } else {
                return refuse(key, range, v, defaultValue);
            }
        } catch (NumberFormatException e) {
            return refuse(key, range, v, defaultValue);
        }
        if (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0
                || exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
            return refuse(key, range, v, defaultValue);
        }
        return exact.longValueExact();
    }

    /** The key's value, a String trimmed; null if absent. */
    private Object value(String key) {
        Object v = single(key, properties.get(key));
        return v instanceof String s ? s.trim() : v;
    }

    /**
     * A one-element array or collection (how some tools write a scalar) read as its element. Several values are
     * refused without showing them: they could be a password's.
     */
    private Object single(String key, Object v) {
        int size = v == null ? 1
                : v.getClass().isArray() ? Array.getLength(v)
                : v instanceof Collection<?> c ? c.size() : 1;
        if (size != 1) {
            problems.add(key + " must be one value, was " + size + " values");
            return null;
        }
        if (v != null && v.getClass().isArray()) {
            return Array.get(v, 0);
        }
        return v instanceof Collection<?> c ? c.iterator().next() : v;
    }

    private <T> T refuse(String key, String why, Object value, T defaultValue) {
        String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        problems.add(key + " " + why + ", was " + shown);
        return defaultValue;
    }
}
