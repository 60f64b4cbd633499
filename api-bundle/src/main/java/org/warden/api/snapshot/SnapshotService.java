package org.warden.api.snapshot;

import org.osgi.annotation.versioning.ProviderType;

/** Export and import of all worker state. Implemented by the Warden engine; thread-safe. */
@ProviderType
public interface SnapshotService {

    /** Every worker's state, each one consistent (workers updated during the export may be before or after). */
    Snapshot export();

    /**
     * Takes the snapshot's workers. The snapshot is valid by construction; the import checks what only the engine
     * can (e.g. that its decayed counters are not dated in the future) before changing anything, so a refused
     * import changes nothing.
     *
     * @return the number of workers imported
     * @throws IllegalArgumentException naming the first bad worker and why
     */
    int importSnapshot(Snapshot snapshot, ImportMode mode);
}
