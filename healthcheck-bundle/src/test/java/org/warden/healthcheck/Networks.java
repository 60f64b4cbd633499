package org.warden.healthcheck;

import java.time.Instant;

import org.warden.api.NetworkHealth;
import org.warden.api.StoreHealth;

/** {@link NetworkHealth} values for the tests, built field by field. */
final class Networks {
    static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");
    /** The store of a healthy network: H2, available, nothing waiting, last commit a second before {@link #AT}. */
    static final StoreHealth H2 = new StoreHealth("h2", "node-1", true, 0, AT.minusSeconds(1), null);

    private long total = 10;
    private long active = 10;
    private long healthy = 10;
    private long banned = 0;
    private double reputation = 0.8;
    private double successRate = 0.9;
    private double score = 0.91;
    private String policy = "default";
    private boolean fallback = false;
    private long faults = 0;
    private long pendingBans = 0;
    private StoreHealth store = H2;

    private Networks() {
    }

    /**
     * A healthy network: 10 workers, all active and healthy, none banned, score 0.91, the default policy, the store
     * {@link #H2}.
     */
    static Networks healthy() {
        return new Networks();
    }

    Networks workers(long total, long active, long healthy, long banned) {
        this.total = total;
        this.active = active;
        this.healthy = healthy;
        this.banned = banned;
        return this;
    }

    Networks score(double score) {
        this.score = score;
        return this;
    }

    Networks fallback() {
        this.policy = "fallback";
        this.fallback = true;
        return this;
    }

    Networks faults(long faults) {
        this.faults = faults;
        return this;
    }

    Networks pendingBans(long pendingBans) {
        this.pendingBans = pendingBans;
        return this;
    }

    Networks store(StoreHealth store) {
        this.store = store;
        return this;
    }

    NetworkHealth build() {
        return new NetworkHealth(total, active, healthy, banned, reputation, successRate, 120.0, score, policy,
                fallback, faults, AT, pendingBans, null, store);
    }
}
