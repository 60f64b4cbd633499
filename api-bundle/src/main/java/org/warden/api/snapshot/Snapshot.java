package org.warden.api.snapshot;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * All of Warden's worker state at one instant.
 *
 * @param format     the format version, {@value #FORMAT} for this one; an importer refuses any other
 * @param exportedAt when the snapshot was taken
 * @param workers    one entry per worker, ids unique
 */
@ProviderType
public record Snapshot(int format, Instant exportedAt, List<WorkerSnapshot> workers) {

    /** The format this API version writes and reads. Raised on every incompatible change of {@link WorkerSnapshot}. */
    public static final int FORMAT = 1;

    public Snapshot {
        if (format != FORMAT) {
            throw new IllegalArgumentException("format must be " + FORMAT + ", was " + format);
        }
        if (exportedAt == null) {
            throw new IllegalArgumentException("exportedAt must not be null");
        }
        if (workers == null) {
            throw new IllegalArgumentException("workers must not be null");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < workers.size(); i++) {
            WorkerSnapshot w = workers.get(i);
            if (w == null) {
                throw new IllegalArgumentException("workers[" + i + "] must not be null");
            }
            if (!ids.add(w.workerId())) {
                throw new IllegalArgumentException("workers[" + i + "]: worker '" + w.workerId() + "' appears twice");
            }
        }
        workers = List.copyOf(workers);
    }
}
