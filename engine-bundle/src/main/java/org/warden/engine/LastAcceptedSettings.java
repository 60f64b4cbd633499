package org.warden.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine configuration last accepted, kept in {@code ${karaf.data}/warden/engine-settings.properties}. A value
 * refused at boot (one left in {@code etc/org.warden.engine.cfg}, where Config Admin keeps it) would otherwise put the
 * built-in defaults in force; with this file the settings accepted before the restart stay in force instead. Nothing
 * is kept outside Karaf (no {@code karaf.data}: plain Java, the simulator, unit tests).
 */
final class LastAcceptedSettings {

    static final String FILE_NAME = "engine-settings.properties";
    private static final Logger LOG = LoggerFactory.getLogger(LastAcceptedSettings.class);

    /** Where the settings are kept, or null when nowhere. */
    private final Path file;

    LastAcceptedSettings(Path file) {
        this.file = file;
    }

    /** In {@code ${karaf.data}/warden}, or nowhere outside Karaf. */
    static LastAcceptedSettings inKarafData() {
        String data = System.getProperty("karaf.data");
        return new LastAcceptedSettings(data == null || data.isBlank() ? null : Path.of(data, "warden", FILE_NAME));
    }

    Path file() {
        return file;
    }

    /**
     * Keeps every value of an accepted configuration, written whole or not at all (a temporary file moved into
     * place). A failure to write is logged, not thrown: the configuration is in force either way.
     */
    void save(EngineConfig config) {
        if (file == null) {
            return;
        }
        Properties values = new Properties();
        for (Method m : EngineConfig.class.getDeclaredMethods()) {
            try {
                values.setProperty(m.getName(), String.valueOf(m.invoke(config)));
            } catch (ReflectiveOperationException e) {
                LOG.warn("Could not keep the accepted Warden engine setting {} in {}: {}", m.getName(), file, e.toString());
                return;
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                values.store(w, "The Warden engine settings last accepted (written by Warden; used at boot when "
                        + "etc/org.warden.engine.cfg holds a refused value)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not keep the accepted Warden engine settings in {}: {}", file, e.toString());
        }
    }

    /**
     * The kept configuration, as an {@code EngineConfig} whose values are converted from the file's text by each method's
     * type (an unconvertible one throws when read, as SCR's does); empty when none is kept.
     */
    Optional<EngineConfig> load() throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties values = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(r);
        }
        return Optional.of((EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[] { EngineConfig.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() != EngineConfig.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "annotationType" -> EngineConfig.class;
                            default -> "last accepted " + values;
                        };
                    }
                    String text = values.getProperty(method.getName());
                    return text == null ? method.getDefaultValue() : convert(text, method.getReturnType());
                }));
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
