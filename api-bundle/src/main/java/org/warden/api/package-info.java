/**
 * Warden's services for a job distributor: {@link org.warden.api.HealthService health},
 * {@link org.warden.api.ReputationService reputation}, {@link org.warden.api.PenaltyService penalties}
 * and {@link org.warden.api.SelectionService bid selection}, with the immutable value types they
 * exchange. Every call validates its arguments and refuses bad input with an
 * {@link java.lang.IllegalArgumentException} naming the argument; nothing is recorded then.
 */
@Export
@Version("1.2.0")
package org.warden.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
