package org.warden.engine.core;

import org.warden.api.StoreHealth;

/**
 * Whether the durable store has restored the record into memory yet. Until it has (the database was unavailable at
 * start, and the store restores once it can), memory holds only what was recorded since the start: a worker banned
 * in the record looks unbanned after its first health report. So, unless the settings say to serve from memory
 * ({@link EngineSettings#eligibleBeforeRestore()}), no worker is eligible until then: bans fail closed. Outcomes and
 * health reports are still accepted (the store merges them with the record when it restores).
 */
final class RestoreState {

    /** Memory only, or restored: nothing is waited for. */
    private volatile boolean restored = true;

    /** The store is about to restore the record (before the engine serves anything). */
    void expect() {
        restored = false;
    }

    /** The record is in memory (or there is none to restore). */
    void done() {
        restored = true;
    }

    boolean restored() {
        return restored;
    }

    /** Why no worker is eligible now, whoever it is; {@code null} if workers are judged as usual. */
    String whyNoneEligible(StoreHealth store, EngineSettings settings) {
        if (restored || settings.eligibleBeforeRestore()) {
            return null;
        }
        return "the durable store (" + store.backend() + ") has not restored the record yet"
                + (store.problem() == null ? "" : " (" + store.problem() + ")")
                + ": no worker is eligible until it has, so that a ban it holds is not ignored";
    }

    /**
     * The store's health as network health and the health check show it: not available while the record is not
     * restored (even if the database has just come back and the restore is running), saying what that means.
     */
    StoreHealth health(StoreHealth store, EngineSettings settings) {
        if (restored) {
            return store;
        }
        String why = store.problem() == null ? "restoring the record" : store.problem();
        String meaning = settings.eligibleBeforeRestore()
                ? "; workers are judged from memory until the record is restored (eligibleBeforeRestore=true): a "
                        + "worker banned in the record is not banned here meanwhile"
                : "; no worker is eligible until the record is restored";
        return new StoreHealth(store.backend(), store.nodeId(), false, store.backlog(), store.lastCommitAt(),
                why + meaning);
    }
}
