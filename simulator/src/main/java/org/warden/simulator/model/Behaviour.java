package org.warden.simulator.model;

import java.util.Locale;

/** A worker's hidden true behaviour, as named in a scenario file ({@code "behaviour": "on-off"}). */
public enum Behaviour {
    /** Does its jobs with a true success probability and speed; tells the truth about its health and estimates. */
    HONEST(false, 0.95, 1000),
    /** Honest, but fails often (low success probability, errors in its health reports). */
    FLAKY(false, 0.70, 1000),
    /** Honest, but much slower than the others (and says so in its estimates and health). */
    SLOW(false, 0.90, 4000),
    /** Returns invalid results that look like successes; verification catches each with the scenario's rate. */
    MALICIOUS(true, 0.95, 800),
    /** Behaves for {@code goodJobs} jobs, then returns invalid results for {@code badJobs} jobs, and repeats. */
    ON_OFF(true, 0.95, 900),
    /** Malicious; after a ban it rejoins under a new id after {@code rejoinDelayJobs} jobs. */
    WHITEWASHER(true, 0.95, 800),
    /** Reports perfect health while actually slow and failing. */
    HEALTH_SPOOFER(true, 0.55, 3000),
    /** Bids far below the others and promises speed, then mostly fails. */
    CHEAP_BIDDER(true, 0.30, 1000);

    private final boolean adversarial;
    private final double defaultSuccess;
    private final long defaultSpeedMs;

    Behaviour(boolean adversarial, double defaultSuccess, long defaultSpeedMs) {
        this.adversarial = adversarial;
        this.defaultSuccess = defaultSuccess;
        this.defaultSpeedMs = defaultSpeedMs;
    }

    /** Whether the behaviour is one a reputation system must stop (everything except honest, flaky and slow). */
    public boolean adversarial() {
        return adversarial;
    }

    public double defaultSuccessProbability() {
        return defaultSuccess;
    }

    public long defaultSpeedMs() {
        return defaultSpeedMs;
    }

    /** The scenario file's spelling: lower case, dashes ({@code health-spoofer}). */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the scenario file's spelling (case and dash/underscore insensitive); null if unknown. */
    public static Behaviour parse(String text) {
        if (text == null) {
            return null;
        }
        String n = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Behaviour b : values()) {
            if (b.name().equals(n)) {
                return b;
            }
        }
        return null;
    }
}
