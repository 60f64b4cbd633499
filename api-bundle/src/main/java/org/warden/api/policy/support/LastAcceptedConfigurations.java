package org.warden.api.policy.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.Writer;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ProviderType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration each Warden PID last accepted, one properties file per PID ({@code <pid>.properties}) in one
 * directory: {@code ${karaf.data}/warden} in Karaf. A value refused at boot (one left in the PID's {@code .cfg} file,
 * where Config Admin keeps it) would otherwise put the built-in defaults in force; with the file, the settings
 * accepted before the restart stay in force instead. {@link SettingsHolder} saves and reads it back; a component
 * without a holder (the store, the engine) uses it directly.
 *
 * <p>Only the component's own keys are kept: the framework's properties ({@code service.pid},
 * {@code service.factoryPid}, {@code service.bundleLocation}, {@code component.*}, {@code felix.*}) are left out, as
 * the configuration they describe is the one on file, not the saved one. A file is written whole or not at all (a
 * temporary file moved into place), with owner-only permissions where the file system has them (a store's
 * {@code .password} is kept as {@code etc/} keeps it); one larger than {@value #MAX_BYTES} bytes, unreadable or not
 * a properties file is ignored with an ERROR, and the settings it would have given are not used.
 *
 * <p>Without a directory (plain Java, the simulator, unit tests that give none) nothing is kept and nothing read.
 * Writing happens only when a component accepts a configuration, an operator's action, never when one is read.
 * No lock: two saves of one PID race only when Config Admin delivers two of its changes at once, which it does not,
 * and the move keeps the file whole either way. Thread-safe.
 */
@ProviderType
public final class LastAcceptedConfigurations {

    /** The largest file read back; a larger one is not a configuration Warden wrote. */
    public static final int MAX_BYTES = 64 * 1024;
    /** The characters of a PID, so that a PID names a file in the directory and nothing else. */
    private static final Pattern PID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final String SUFFIX = ".properties";
    private static final Logger LOG = LoggerFactory.getLogger(LastAcceptedConfigurations.class);

    /**
     * A saved configuration.
     *
     * @param properties the keys and values, as text (as {@code config:property-set} writes them)
     * @param savedAt    when the file was written
     * @param file       where it is kept
     */
    public record Saved(Map<String, String> properties, Instant savedAt, Path file) {
        public Saved {
            properties = Collections.unmodifiableMap(new TreeMap<>(properties));
            Objects.requireNonNull(savedAt, "savedAt");
            Objects.requireNonNull(file, "file");
        }
    }

    /** Where the files are kept, or null when nowhere. */
    private final Path directory;
    private final Logger logger;

    private LastAcceptedConfigurations(Path directory, Logger logger) {
        this.directory = directory;
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /** Kept in {@code directory}, created on the first save. */
    public static LastAcceptedConfigurations in(Path directory) {
        return in(directory, LOG);
    }

    /** As {@link #in(Path)}, logging to {@code logger} (the component's, or a test's). */
    public static LastAcceptedConfigurations in(Path directory, Logger logger) {
        return new LastAcceptedConfigurations(Objects.requireNonNull(directory, "directory"), logger);
    }

    /** Nothing kept, nothing read: outside Karaf. */
    public static LastAcceptedConfigurations none() {
        return new LastAcceptedConfigurations(null, LOG);
    }

    /**
     * In {@code <karafData>/warden}; nowhere when {@code karafData} is null or blank (not in Karaf). A component
     * passes {@code context.getProperty("karaf.data")}.
     */
    public static LastAcceptedConfigurations ofKarafData(String karafData) {
        return karafData == null || karafData.isBlank() ? none() : in(Path.of(karafData, "warden"));
    }

    /** Whether anything is kept: false outside Karaf. */
    public boolean keeps() {
        return directory != null;
    }

    /**
     * The file {@code pid}'s configuration is kept in, or empty when nothing is kept.
     *
     * @throws IllegalArgumentException if {@code pid} is not 1 to 200 of {@code [A-Za-z0-9._-]}, or is {@code .}
     *         or {@code ..}
     */
    public Optional<Path> fileOf(String pid) {
        Objects.requireNonNull(pid, "pid");
        if (!PID.matcher(pid).matches() || pid.equals(".") || pid.equals("..")) {
            throw new IllegalArgumentException("not a configuration PID: '" + pid
                    + "' (letters, digits, '.', '_', '-')");
        }
        return directory == null ? Optional.empty() : Optional.of(directory.resolve(pid + SUFFIX));
    }

    /**
     * Keeps the component's keys of an accepted configuration as {@code pid}'s last accepted one, written whole or
     * not at all. A failure to write is logged at ERROR, not thrown: the configuration is in force either way.
     *
     * @return whether it was written (false also when nothing is kept)
     * @throws IllegalArgumentException if {@code pid} is not a PID
     */
    public boolean save(String pid, Map<String, ?> properties) {
        Optional<Path> target = fileOf(pid);
        Objects.requireNonNull(properties, "properties");
        if (target.isEmpty()) {
            return false;
        }
        Path file = target.get();
        Properties values = new Properties();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (FrameworkKeys.isFrameworkKey(e.getKey()) || e.getValue() == null) {
                continue;
            }
            Object value = single(e.getValue());
            if (value == null) {
                logger.error("Could not keep the configuration {} last accepted in {}: {} holds several values",
                        pid, file, e.getKey());
                return false;
            }
            values.setProperty(e.getKey(), String.valueOf(value));
        }
        if (holds(file, values)) {
            // every activation on an unchanged configuration: nothing to write (a boot does not rewrite the files)
            return true;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(tmp);
            ownerOnly(Files.createFile(tmp));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                values.store(w, "The configuration " + pid + " last accepted (written by Warden; used at boot when "
                        + "its .cfg file holds a refused value)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException e) {
            logger.error("Could not keep the configuration {} last accepted in {}: {}", pid, file, e.toString());
            return false;
        }
    }

    /**
     * {@code pid}'s last accepted configuration; empty when none is kept, or when the file cannot be used (larger
     * than {@value #MAX_BYTES} bytes, unreadable, not a properties file), which is logged at ERROR.
     *
     * @throws IllegalArgumentException if {@code pid} is not a PID
     */
    public Optional<Saved> read(String pid) {
        Optional<Path> source = fileOf(pid);
        if (source.isEmpty() || !Files.exists(source.get())) {
            return Optional.empty();
        }
        Path file = source.get();
        try {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // bounded while reading, not by the size the file had a moment before
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                logger.error("Ignored the configuration {} last accepted in {}: larger than {} bytes, not a file "
                        + "Warden wrote", pid, file, MAX_BYTES);
                return Optional.empty();
            }
            Properties values = new Properties();
            values.load(new StringReader(StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString()));
            Map<String, String> properties = new TreeMap<>();
            values.stringPropertyNames().forEach(k -> properties.put(k, values.getProperty(k)));
            return Optional.of(new Saved(properties, Files.getLastModifiedTime(file).toInstant(), file));
        } catch (IOException | IllegalArgumentException e) {
            // CharacterCodingException is an IOException; a malformed \\u escape an IllegalArgumentException
            logger.error("Ignored the configuration {} last accepted in {}: it cannot be read ({})", pid, file,
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * Whether {@code file} holds {@code values} already. A file that cannot be read is not holding them: it is then
     * written over, which is what a save is for, so the failure is not an error here ({@link #read} reports it).
     */
    private static boolean holds(Path file, Properties values) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return false;
            }
            Properties existing = new Properties();
            try (java.io.Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                existing.load(r);
            }
            return existing.equals(values);
        } catch (IOException | IllegalArgumentException notReadable) {
            return false;
        }
    }

    /** The one value of {@code value} (an array or collection of one), or null if it holds several or none. */
    private static Object single(Object value) {
        if (value instanceof Collection<?> c) {
            return c.size() == 1 ? c.iterator().next() : null;
        }
        if (value.getClass().isArray()) {
            return Array.getLength(value) == 1 ? Array.get(value, 0) : null;
        }
        return value;
    }

    /** Readable by the owner only where the file system says who may: a store's password may be in the file. */
    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Override
    public String toString() {
        return directory == null ? "nowhere" : directory.toString();
    }
}
