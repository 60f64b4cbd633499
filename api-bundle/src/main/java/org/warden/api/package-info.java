/**
 * Warden's services for a job distributor: {@link org.warden.api.HealthService health},
 * {@link org.warden.api.ReputationService reputation}, {@link org.warden.api.PenaltyService penalties}
 * and {@link org.warden.api.SelectionService bid selection}, with the immutable value types they
 * exchange. Every call validates its arguments and refuses bad input with an
 * {@link java.lang.IllegalArgumentException} naming the argument; nothing is recorded then. What must be
 * durable before it is acknowledged (a ban, an unban, a penalty, a malicious report, an import) is refused with an
 * {@link java.lang.IllegalStateException} saying why while Warden's durable store is unavailable (see
 * {@link org.warden.api.NetworkHealth#store()}); nothing is recorded then either.
 *
 * <p>1.3.0: {@link org.warden.api.Check} refuses ids and reasons holding unpaired surrogates, bidi controls,
 * invisible format characters or line separators, and gains {@link org.warden.api.Check#banDuration} and
 * {@link org.warden.api.Check#MAX_BAN_DURATION} (a ban lasts at most 100 years). New public members make this
 * a minor change; the stricter rules keep every signature and only refuse values the package promised never
 * to mangle (every accepted value round-trips exactly), so consumers compiled against 1.2 keep working.
 *
 * <p>1.4.0: {@link org.warden.api.ConfigurationStatus} and {@link org.warden.api.ConfigurationRefusal}, so that
 * monitoring (the health check) can tell an operator which configuration Warden refuses while it is on file,
 * rather than the log alone. New types only, implemented by the provider: a minor change, and consumers compiled
 * against 1.3 keep working.
 *
 * <p>1.5.0: {@link org.warden.api.StoreHealth#historyDroppedAuctions()}, the auctions the store could not keep for
 * a what-if's history. A new member of a provider type, its former constructor kept: a minor change, and consumers
 * compiled against 1.4 keep working.
 */
@Export
@Version("1.5.0")
package org.warden.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
