package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of the durable store holding Warden's record (worker statistics, penalties, bans), part of
 * {@link NetworkHealth}.
 *
 * @param backend      {@code "h2"}, {@code "postgresql"}, or {@code "memory"} when no durable store is used
 * @param nodeId       this node's name in a database shared by several nodes; {@code null} for memory only
 * @param available    whether the database is in use now; when not, Warden serves from memory, queues what it
 *                     records, refuses bans and penalties, and retries
 * @param backlog      records applied in memory and waiting to be committed
 * @param lastCommitAt when the writer last committed; {@code null} before the first commit
 * @param problem      why the database is not available; {@code null} when it is
 * @param historyDroppedAuctions auctions not kept for the history a what-if replays, since the store started,
 *                     because the database was unavailable or the backlog full (rankings went on); 0 when no
 *                     history is kept
 */
@ProviderType
public record StoreHealth(String backend, String nodeId, boolean available, long backlog, Instant lastCommitAt,
        String problem, long historyDroppedAuctions) {

    /** No durable store: everything is in memory and lost on restart. */
    public static final StoreHealth MEMORY = new StoreHealth("memory", null, true, 0, null, null);

    public StoreHealth {
        Check.notNull("backend", backend);
        Check.nonNegative("backlog", backlog);
        Check.nonNegative("historyDroppedAuctions", historyDroppedAuctions);
    }

    /** Without auctions dropped (as before 1.5.0). */
    public StoreHealth(String backend, String nodeId, boolean available, long backlog, Instant lastCommitAt,
            String problem) {
        this(backend, nodeId, available, backlog, lastCommitAt, problem, 0);
    }
}
