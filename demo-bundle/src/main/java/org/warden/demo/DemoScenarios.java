package org.warden.demo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.ScenarioException;
import org.warden.simulator.model.ScenarioParser;

/**
 * Where the demo's population comes from: the scenario shipped in the bundle, or the file the {@code scenario}
 * setting names, in the simulator's format (simulator/SCENARIOS.md), read by the simulator's own parser.
 *
 * <p>A file is read only under {@code ${karaf.data}} (as every file Warden reads), after links are followed, so a
 * setting cannot make the demo read {@code etc/} or anything else the JVM may read; it is streamed, and refused past
 * {@value #MAX_BYTES} bytes.
 */
final class DemoScenarios {
    /** The population shipped in the bundle, used when the setting is empty. */
    static final String DEFAULT_RESOURCE = "default-scenario.json";
    /** A scenario of a few thousand groups fits in far less; more is a mistake, not a population. */
    static final long MAX_BYTES = 1024 * 1024;
    /** The demo's settings before it read scenarios: the groups, seed, bidders and verification were these. */
    static final List<String> RETIRED_KEYS = List.of("workers", "seed", "maliciousShare", "biddersPerJob",
            "verificationRate");

    /** {@code ${karaf.data}}; null when it is not set (outside Karaf), and then every file is refused. */
    private final Path dataDirectory;
    private final Logger log;

    DemoScenarios(Path dataDirectory, Logger log) {
        this.dataDirectory = dataDirectory == null ? null : dataDirectory.toAbsolutePath().normalize();
        this.log = log;
    }

    /** {@code karafData}: the {@code karaf.data} property as the framework has it (null or blank if not set). */
    static DemoScenarios of(String karafData, Logger log) {
        return new DemoScenarios(karafData == null || karafData.isBlank() ? null : Path.of(karafData), log);
    }

    /**
     * Tells of each setting of earlier versions (which built the population in code) that {@code properties} still
     * has: they are fields of the scenario file now, and an operator who set one should not be ignored in silence.
     */
    void warnRetired(Map<String, ?> properties) {
        for (String key : RETIRED_KEYS) {
            if (properties.containsKey(key)) {
                log.warn("the demo's setting '{}' is no longer read: the population, its seed, bidders per job and "
                        + "verification rate are those of the scenario (setting 'scenario', a file in the "
                        + "simulator's format under ${karaf.data})", key);
            }
        }
    }

    /** The population shipped in the bundle. */
    static Scenario bundled() {
        try (InputStream in = DemoScenarios.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its " + DEFAULT_RESOURCE);
            }
            return ScenarioParser.parse(in);
        } catch (IOException | ScenarioException e) {
            throw new IllegalStateException("the bundle's " + DEFAULT_RESOURCE + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The scenario {@code setting} names: the shipped one when it is empty. One that cannot be used is logged at
     * ERROR, saying why, and {@code current} (the population in force) is returned instead.
     */
    Scenario choose(String setting, Scenario current) {
        if (setting == null || setting.isBlank()) {
            return bundled();
        }
        try {
            return read(setting);
        } catch (ScenarioException e) {
            log.error("scenario '{}' refused, the demo keeps its population ({}, {} workers): {}", setting,
                    current.name(), current.workerCount(), e.getMessage());
            return current;
        }
    }

    /**
     * Reads the scenario file {@code setting} names.
     *
     * @throws ScenarioException naming the problem: no {@code karaf.data}, a path outside it, no such file, not a
     *                           regular file, too big, unreadable, or not a valid scenario (with the field)
     */
    Scenario read(String setting) {
        Path file = resolve(setting);
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ScenarioException("no file " + file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        Path realData = realDataDirectory();
        if (!real.startsWith(realData)) {
            throw new ScenarioException(file + " leads to " + real + ", outside ${karaf.data} (" + realData + ")");
        }
        if (!Files.isRegularFile(real)) {
            throw new ScenarioException(file + " is not a regular file");
        }
        long size;
        try {
            size = Files.size(real);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (size > MAX_BYTES) {
            throw new ScenarioException(file + " is " + size + " bytes, more than the " + MAX_BYTES
                    + " a scenario may have");
        }
        try (InputStream in = new Bounded(Files.newInputStream(real))) {
            return ScenarioParser.parse(in);
        } catch (AccessDeniedException e) {
            throw new ScenarioException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        } catch (ScenarioException e) {
            // the parser's message names the field (groups[1].count ...); this names the file
            throw new ScenarioException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file the setting names: relative to {@code ${karaf.data}}, or absolute inside it; nothing else. */
    private Path resolve(String setting) {
        if (dataDirectory == null) {
            throw new ScenarioException("karaf.data is not set: a scenario file must be under ${karaf.data}");
        }
        Path file;
        try {
            file = dataDirectory.resolve(setting).normalize();
        } catch (InvalidPathException e) {
            throw new ScenarioException("'" + setting + "' is not a path: " + e.getMessage(), e);
        }
        if (!file.startsWith(dataDirectory) || file.equals(dataDirectory)) {
            throw new ScenarioException("'" + setting + "' is not a file under ${karaf.data} (" + dataDirectory + ")");
        }
        return file;
    }

    private Path realDataDirectory() {
        try {
            return dataDirectory.toRealPath();
        } catch (IOException e) {
            throw new ScenarioException("${karaf.data} (" + dataDirectory + ") cannot be read: " + e.getMessage(), e);
        }
    }

    /** Refuses to read past {@link #MAX_BYTES}: the file may grow after its size was checked. */
    private static final class Bounded extends FilterInputStream {
        private long read;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > MAX_BYTES) {
                throw new IOException("the file grew past " + MAX_BYTES + " bytes while it was read");
            }
        }
    }
}
