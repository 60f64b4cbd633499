package org.warden.healthcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The limits the network health check judges by, validated. Scores and shares are fractions in [0, 1]; the
 * store's backlog is a number of records.
 *
 * @param criticalScore        CRITICAL when the network health score is below this (with active workers)
 * @param warnScore            WARN when the network health score is below this (with active workers); at least
 *                             {@code criticalScore}
 * @param criticalHealthyShare CRITICAL when healthy / active workers is below this (with active workers)
 * @param warnBannedShare      WARN when banned / known workers is above this; at most {@code criticalBannedShare}
 * @param criticalBannedShare  CRITICAL when banned / known workers is above this
 * @param storeBacklogWarn     WARN when more records than this wait to be committed to the durable store (while it
 *                             is available; an unavailable store is CRITICAL whatever its backlog); at least 0
 */
public record Thresholds(
        double criticalScore,
        double warnScore,
        double criticalHealthyShare,
        double warnBannedShare,
        double criticalBannedShare,
        long storeBacklogWarn) {

    /** The defaults, as in the configuration's annotation and the shipped {@code etc/*.cfg}. */
    public static final Thresholds DEFAULTS = new Thresholds(0.3, 0.6, 0.25, 0.2, 0.5, 100_000);

    /**
     * @throws Invalid naming every bad key and why: a score or share that is NaN or outside [0, 1],
     *                 {@code warnScore < criticalScore}, {@code warnBannedShare > criticalBannedShare}, a negative
     *                 {@code storeBacklogWarn}
     */
    public Thresholds {
        List<String> problems = new ArrayList<>();
        fraction(problems, "criticalScore", criticalScore);
        fraction(problems, "warnScore", warnScore);
        fraction(problems, "criticalHealthyShare", criticalHealthyShare);
        fraction(problems, "warnBannedShare", warnBannedShare);
        fraction(problems, "criticalBannedShare", criticalBannedShare);
        if (problems.isEmpty()) {
            // Only comparable once both are valid fractions.
            if (warnScore < criticalScore) {
                problems.add("warnScore " + warnScore + " must be at least criticalScore " + criticalScore
                        + " (a score below the warning threshold warns before it is critical)");
            }
            if (warnBannedShare > criticalBannedShare) {
                problems.add("warnBannedShare " + warnBannedShare + " must be at most criticalBannedShare "
                        + criticalBannedShare + " (a banned share above the warning threshold warns before it is critical)");
            }
        }
        // A count of records: any value from 0 (warn at the first record waiting) up.
        if (storeBacklogWarn < 0) {
            problems.add("storeBacklogWarn must be at least 0, was " + storeBacklogWarn);
        }
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("; ", problems));
        }
    }

    /**
     * Thresholds that break the rules above. A type of its own, so that it is told apart from a
     * {@link NumberFormatException} (also an {@link IllegalArgumentException}) thrown while reading a configuration.
     */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** The thresholds of a configuration. */
    static Thresholds from(NetworkHealthCheck.Config config) {
        return new Thresholds(config.criticalScore(), config.warnScore(), config.criticalHealthyShare(),
                config.warnBannedShare(), config.criticalBannedShare(), config.storeBacklogWarn());
    }

    private static void fraction(List<String> problems, String key, double value) {
        if (Double.isNaN(value) || value < 0 || value > 1) {
            problems.add(key + " must be in [0, 1], was " + value);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "criticalScore=%s, warnScore=%s, criticalHealthyShare=%s, warnBannedShare=%s, criticalBannedShare=%s, "
                        + "storeBacklogWarn=%s",
                criticalScore, warnScore, criticalHealthyShare, warnBannedShare, criticalBannedShare, storeBacklogWarn);
    }
}
