package org.warden.engine.state;

import org.warden.api.policy.Horizon;

/**
 * A worker's decayed success and failure counters, one of each per {@link Horizon}, and the decay model that ages
 * them (its formula and time constants): apart from {@link WorkerRecord} so that the model changes here alone, for
 * the counters and for the factor that scans and penalty severities use. Each record has its own (copied with it).
 */
final class DecayedCounts {

    private static final Horizon[] HORIZONS = Horizon.values();
    private static final int N = HORIZONS.length;
    /** Each horizon's length in milliseconds, indexed by ordinal: the decay formula's time constants. */
    private static final double[] HORIZON_MS = new double[N];

    static {
        for (Horizon h : HORIZONS) {
            HORIZON_MS[h.ordinal()] = h.duration().toMillis();
        }
    }

    /**
     * The successes then the failures, each indexed by {@link Horizon#ordinal()}: one array for both, so that a record
     * holds no more objects (nor bytes) than when it held two arrays of its own.
     */
    private final double[] counts;

    DecayedCounts() {
        this(new double[2 * N]);
    }

    private DecayedCounts(double[] counts) {
        this.counts = counts;
    }

    DecayedCounts copy() {
        return new DecayedCounts(counts.clone());
    }

    double successes(Horizon horizon) {
        return counts[horizon.ordinal()];
    }

    double failures(Horizon horizon) {
        return counts[N + horizon.ordinal()];
    }

    void set(Horizon horizon, double successes, double failures) {
        counts[horizon.ordinal()] = successes;
        counts[N + horizon.ordinal()] = failures;
    }

    /** One more success in every horizon's counter. */
    void addSuccess() {
        for (int i = 0; i < N; i++) {
            counts[i] += 1;
        }
    }

    /** One more failure in every horizon's counter. */
    void addFailure() {
        for (int i = N; i < 2 * N; i++) {
            counts[i] += 1;
        }
    }

    /** Every counter aged by {@code elapsedMs}. */
    void decay(double elapsedMs) {
        for (Horizon h : HORIZONS) {
            double f = factor(h, elapsedMs);
            counts[h.ordinal()] *= f;
            counts[N + h.ordinal()] *= f;
        }
    }

    /** The decay of a counter of {@code horizon} over {@code elapsedMs}: the one formula for copies and scans. */
    static double factor(Horizon horizon, double elapsedMs) {
        return Math.exp(-elapsedMs / HORIZON_MS[horizon.ordinal()]);
    }
}
