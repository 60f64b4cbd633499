package org.warden.engine;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.policy.support.LastAcceptedConfigurations;

/**
 * The engine configuration last accepted, kept in {@code ${karaf.data}/warden/engine-settings.properties} by
 * {@link LastAcceptedConfigurations}, as every Warden PID's is. A value refused at boot (one left in
 * {@code etc/org.warden.engine.cfg}, where Config Admin keeps it) would otherwise put the built-in defaults in force;
 * with this file the settings accepted before the restart stay in force instead. Nothing is kept outside Karaf (no
 * {@code karaf.data}: plain Java, the simulator, unit tests).
 *
 * <p>The engine's is the one file not named after its PID: it was kept under this name before the other PIDs were,
 * and an upgrade keeps reading it. What is kept is the typed configuration, every {@link EngineConfig} method's
 * value, rather than the raw properties: the engine reads its configuration through SCR's conversion.
 */
final class LastAcceptedSettings {

    /** The name the engine's file is kept under, in place of the PID: {@value}.properties. */
    static final String NAME = "engine-settings";

    private static final Logger LOG = LoggerFactory.getLogger(LastAcceptedSettings.class);

    /** Where the settings are kept. */
    private final LastAcceptedConfigurations kept;

    LastAcceptedSettings(LastAcceptedConfigurations kept) {
        this.kept = kept;
    }

    /** In {@code ${karaf.data}/warden}, or nowhere outside Karaf. */
    static LastAcceptedSettings inKarafData() {
        return new LastAcceptedSettings(LastAcceptedConfigurations.ofKarafData(System.getProperty("karaf.data")));
    }

    /** The file, or null when nothing is kept. */
    Path file() {
        return kept.fileOf(NAME).orElse(null);
    }

    /**
     * Keeps every value of an accepted configuration, written whole or not at all. A failure to write is logged,
     * not thrown: the configuration is in force either way.
     */
    void save(EngineConfig config) {
        if (!kept.keeps()) {
            return;
        }
        Map<String, String> values = new TreeMap<>();
        for (Method m : EngineConfig.class.getDeclaredMethods()) {
            try {
                values.put(m.getName(), String.valueOf(m.invoke(config)));
            } catch (ReflectiveOperationException e) {
                LOG.error("Could not keep the accepted Warden engine setting {} in {}: {}", m.getName(), file(),
                        e.toString());
                return;
            }
        }
        kept.save(NAME, values);
    }

    /**
     * The kept configuration, as an {@code EngineConfig} whose values are converted from the file's text by each
     * method's type (an unconvertible one throws when read, as SCR's does); empty when none is kept, or when the file
     * cannot be used (logged at ERROR by {@link LastAcceptedConfigurations#read}).
     */
    Optional<EngineConfig> load() {
        return kept.read(NAME).map(saved -> {
            Map<String, String> values = saved.properties();
            return (EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                    new Class<?>[] { EngineConfig.class }, (proxy, method, args) -> {
                        if (method.getDeclaringClass() != EngineConfig.class) {
                            return switch (method.getName()) {
                                case "equals" -> proxy == args[0];
                                case "hashCode" -> System.identityHashCode(proxy);
                                case "annotationType" -> EngineConfig.class;
                                default -> "last accepted " + values;
                            };
                        }
                        String text = values.get(method.getName());
                        return text == null ? method.getDefaultValue() : convert(text, method.getReturnType());
                    });
        });
    }
    private static Object convert(String text, Class<?> type) {
        if (type == long.class) {
            return Long.parseLong(text);
        } else if (type == int.class) {
            return Integer.parseInt(text);
        } else if (type == double.class) {
            return Double.parseDouble(text);
        } else if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        return text;
    }
}
