package org.warden.engine.shell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.ConfigurationStatus;
import org.warden.api.policy.support.ConfigValues;
import org.warden.api.policy.support.LastAcceptedConfigurations;
import org.warden.api.policy.support.SettingsHolder;
import org.warden.api.snapshot.Snapshot;

/**
 * The snapshot files of {@code warden:export --file} and {@code warden:import} (PID {@code org.warden.snapshot}):
 * written and read only in {@code ${karaf.data}/warden/exports} ({@link ExportDirectory}), streamed both ways, and an
 * import never reads more than {@code maxImportMegabytes}. A component so that the limit is a typed setting an
 * operator can change with {@code config:property-set}; the shell actions get it as a service.
 */
// Immediate: a delayed component would be active only while a shell command uses it, and a refused limit would be
// shown by the health check only then.
@Component(name = SnapshotFiles.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = SnapshotFiles.class,
        immediate = true)
@Designate(ocd = SnapshotFiles.Config.class)
public final class SnapshotFiles {

    public static final String PID = "org.warden.snapshot";
    static final int MAX_IMPORT_MEGABYTES = 4096;
    private static final int DEFAULT_MEGABYTES = 64;
    private static final long MEGABYTE = 1024L * 1024L;
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFiles.class);

    @ObjectClassDefinition(name = "Warden snapshot files", description = "Where warden:export --file writes and "
            + "warden:import reads (always ${karaf.data}/warden/exports, file names only), and how much an import may "
            + "read.")
    public @interface Config {
        @AttributeDefinition(name = "Largest import (MiB)", min = "1", max = "" + MAX_IMPORT_MEGABYTES,
                description = "warden:import refuses a file larger than this, checked before and while reading, so "
                        + "a huge file never fills Karaf's memory. An export takes roughly 2 KiB per worker: the "
                        + "default of 64 MiB holds some 30,000 workers.")
        int maxImportMegabytes() default 64;
    }

    private final Supplier<ExportDirectory> directory;
    /** The import limit in bytes, from the setting in MiB; a refused setting leaves the limit in force. */
    private final SettingsHolder<Long, Long> limit;
    /** Where the limit last accepted is kept for the next boot: {@code ${karaf.data}/warden} in Karaf. */
    private final LastAcceptedConfigurations kept;
    /** The limit's refusal status, registered while the component is active. */
    private ServiceRegistration<ConfigurationStatus> status;

    /**
     * Reads the raw configuration with Warden's conversion ({@link ConfigValues}), so that a value of the wrong type
     * is refused naming its key, as an out-of-range one is; registers whether it is refused, for the health check.
     */
    @Activate
    public SnapshotFiles(BundleContext context, Map<String, Object> properties) {
        // Karaf's data folder is read on each use, not at activation: the component then also starts where it is unset
        this(ExportDirectory::ofKaraf, DEFAULT_MEGABYTES * MEGABYTE, LOG, Clock.systemUTC(),
                LastAcceptedConfigurations.ofKarafData(context.getProperty("karaf.data")));
        limit.apply(properties, SnapshotFiles::bytesOf, "The default limit is used instead", kept);
        status = context.registerService(ConfigurationStatus.class, limit.status(), null);
    }

    /** Files in {@code directory}, imports of at most {@code maxImportBytes} (the tests' way in). */
    public SnapshotFiles(ExportDirectory directory, long maxImportBytes) {
        this(() -> directory, maxImportBytes, LOG, Clock.systemUTC(), LastAcceptedConfigurations.none());
    }

    /** Files in Karaf's directory, the limit from {@code properties} and its refusals logged to {@code logger}. */
    SnapshotFiles(Map<String, Object> properties, Logger logger, Clock clock) {
        this(properties, logger, clock, LastAcceptedConfigurations.none());
    }

    /** As {@link #SnapshotFiles(Map, Logger, Clock)}, the limit last accepted kept in {@code kept}. */
    SnapshotFiles(Map<String, Object> properties, Logger logger, Clock clock, LastAcceptedConfigurations kept) {
        this(ExportDirectory::ofKaraf, DEFAULT_MEGABYTES * MEGABYTE, logger, clock, kept);
        limit.apply(properties, SnapshotFiles::bytesOf, "The default limit is used instead", kept);
    }

    private SnapshotFiles(Supplier<ExportDirectory> directory, long maxImportBytes, Logger logger, Clock clock,
            LastAcceptedConfigurations kept) {
        this.directory = directory;
        this.kept = kept;
        this.limit = new SettingsHolder<>(PID, "Snapshot import limit (bytes)", maxImportBytes, bytes -> bytes,
                logger, clock);
    }

    /** A new configuration; an invalid one is refused with an ERROR in the log and the previous limit stays. */
    @Modified
    void modified(Map<String, Object> properties) {
        limit.apply(properties, SnapshotFiles::bytesOf, "The limit in force stays", kept);
    }

    @Deactivate
    void deactivate() {
        status.unregister();
    }

    private static long bytesOf(Map<String, ?> properties) {
        int megabytes = ConfigValues.typed(Config.class, properties).maxImportMegabytes();
        if (megabytes < 1 || megabytes > MAX_IMPORT_MEGABYTES) {
            throw new IllegalArgumentException("maxImportMegabytes must be in [1, " + MAX_IMPORT_MEGABYTES + "], was "
                    + megabytes);
        }
        return megabytes * MEGABYTE;
    }

    /** Whether the configuration on file is refused, for the health check. */
    ConfigurationStatus status() {
        return limit.status();
    }

    /** The directory of the snapshot files. */
    public ExportDirectory directory() {
        return directory.get();
    }

    /** The most bytes an import reads. */
    public long maxImportBytes() {
        return limit.current();
    }

    /**
     * Writes {@code snapshot} to the file {@code name} of the directory, worker by worker.
     *
     * @return the file written
     * @throws IllegalArgumentException see {@link ExportDirectory#write}
     */
    public Path export(Snapshot snapshot, String name, boolean force) {
        return directory().write(name, force, out -> SnapshotWriter.write(snapshot, out));
    }

    /**
     * The snapshot in the file {@code name} of the directory, read as a stream of at most {@link #maxImportBytes()}.
     *
     * @throws IllegalArgumentException naming the file or the field, for any file that is not a valid snapshot
     */
    public Snapshot read(String name) {
        long limit = maxImportBytes();
        ExportDirectory.Opened opened = directory().open(name);
        try (InputStream in = opened.in()) {
            if (opened.size() > limit) {
                throw new IllegalArgumentException(name + ": " + opened.size() + " bytes, larger than the import "
                        + "limit of " + limit + " bytes (maxImportMegabytes in " + PID + "); nothing imported");
            }
            return new SnapshotReader(name, limit).read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot close: " + e.getMessage(), e);
        }
    }
}
