package org.warden.api.snapshot;

import org.osgi.annotation.versioning.ProviderType;

/** What an import does with the workers already known. */
@ProviderType
public enum ImportMode {
    /** Forget every worker, then take the snapshot's: the state becomes exactly the snapshot. */
    REPLACE,
    /** Take the snapshot's workers, replacing those with the same id; keep the others. */
    MERGE
}
