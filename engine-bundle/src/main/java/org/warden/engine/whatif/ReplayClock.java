package org.warden.engine.whatif;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a replay engine: set to each recorded change's time before it is replayed, so the engine judges,
 * decays and bans at the instants the live engine did. Volatile: a network scan the replay engine refreshes in the
 * background (a slow one, on a large network) reads it on another thread.
 */
final class ReplayClock extends Clock {

    private volatile Instant now;

    ReplayClock(Instant start) {
        this.now = start;
    }

    void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a replay clock is in UTC");
    }
}
