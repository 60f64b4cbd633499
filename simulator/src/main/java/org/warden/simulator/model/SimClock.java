package org.warden.simulator.model;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Simulated time: a clock that only moves when the simulation moves it. Starts at 2025-01-01T00:00:00Z. */
public final class SimClock extends Clock {
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    private volatile long millis;

    public SimClock() {
        this(0);
    }

    public SimClock(long startMillis) {
        this.millis = startMillis;
    }

    /** Milliseconds since {@link #EPOCH}. */
    public long elapsedMillis() {
        return millis;
    }

    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time does not go back: " + ms);
        }
        millis += ms;
    }

    public void set(long elapsedMs) {
        if (elapsedMs < millis) {
            throw new IllegalArgumentException("time does not go back: " + elapsedMs + " < " + millis);
        }
        millis = elapsedMs;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // simulated time is UTC only
    }

    @Override
    public Instant instant() {
        return EPOCH.plusMillis(millis);
    }

    @Override
    public long millis() {
        return EPOCH.toEpochMilli() + millis;
    }
}
