package org.warden.engine;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.policy.support.ConfigValues;
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
 * value under its key, rather than the raw properties: the engine reads its configuration through SCR's conversion.
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
                values.put(ConfigValues.key(m.getName()), String.valueOf(m.invoke(config)));
            } catch (ReflectiveOperationException e) {
                LOG.error("Could not keep the accepted Warden engine setting {} in {}: {}", m.getName(), file(),
                        e.toString());
                return;
            }
        }
        kept.save(NAME, values);
    }

    /**
     * The kept configuration, read back by {@link ConfigValues#typed} as every other PID's is (a value that does not
     * convert refuses it, naming the key); empty when none is kept, or when the file cannot be used (logged at ERROR by
     * {@link LastAcceptedConfigurations#read}).
     *
     * @throws IllegalArgumentException when a kept value is refused
     */
    Optional<EngineConfig> load() {
        return kept.read(NAME).map(saved -> ConfigValues.typed(EngineConfig.class, saved.properties()));
    }
}
