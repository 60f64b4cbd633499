package org.warden.engine.store;

import org.warden.api.StoreHealth;
import org.warden.engine.state.Journal;

/**
 * The engine's durable store, as a service of this bundle only (its type is not exported): the engine starts it,
 * which restores the journal into the engine, and journals every change through what it returns.
 */
public interface WardenStore {

    /**
     * Restores the journal into {@code target} (before returning, if the database is available now; else in the
     * background once it is), then follows other nodes' changes into it.
     *
     * @return where the engine journals its changes
     */
    Journal start(Journal.Target target);

    /** The store's state, for network health. */
    StoreHealth health();
}
