/**
 * Everything the engine keeps of its workers, as plain values: what an operator exports to back up, move or
 * inspect Warden's state, and imports back. The JSON form of a {@link org.warden.api.snapshot.Snapshot} is a
 * documented, versioned format (see {@link org.warden.api.snapshot.Snapshot#FORMAT}).
 */
@Export
@Version("1.0.0")
package org.warden.api.snapshot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
