/**
 * The policy SPI: what a policy bundle implements to decide how workers are judged. A policy is a pure
 * function of the {@link org.warden.api.policy.WorkerStatistics statistics} the engine keeps; it holds no
 * worker state, so the engine can swap policies at runtime and re-score every worker at once.
 */
@Export
@Version("1.2.0")
package org.warden.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
