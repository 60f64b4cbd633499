package org.warden.engine.store;

import java.time.Duration;
import java.util.Locale;

/**
 * The store's configuration checked and converted into the journal's settings, apart from {@link StoreComponent}
 * (which wires drivers, data directory and journal): a new setting or a new check changes this class only. Every
 * refusal names its key and the PID, so an operator fixes the {@code .cfg} file in one go.
 */
final class StoreSettings {
    /** H2 must write on commit, or a kill -9 loses transactions it acknowledged. */
    static final String H2_OPTIONS = ";WRITE_DELAY=0";

    static final String H2_DRIVER = "org.h2.Driver";
    static final String PG_DRIVER = "org.postgresql.Driver";

    static String driverOf(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return H2_DRIVER;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return PG_DRIVER;
        }
        throw new IllegalArgumentException(StoreComponent.REFUSED + "url must be a "
                + "jdbc:h2: or jdbc:postgresql: URL, was '" + Redactor.of(url, null).redact(url) + "'");
    }

    /** An operator's H2 URL gets write-on-commit unless it says otherwise. */
    static String h2WritesOnCommit(String url) {
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")) {
            return url + H2_OPTIONS;
        }
        return url;
    }

    static JdbcJournal.Settings settingsOf(StoreComponent.Config c, java.util.function.Supplier<String> generatedNodeId) {
        String node = c.nodeId().isBlank() ? generatedNodeId.get() : c.nodeId().trim();
        try {
            return new JdbcJournal.Settings(node, sync("outcomeDurability", c.outcomeDurability()),
                    sync("healthDurability", c.healthDurability()),
                    Duration.ofMillis(range("asyncWindowMs", c.asyncWindowMs(), 1, 60_000)),
                    Duration.ofMillis(range("followIntervalMs", c.followIntervalMs(), 10, 600_000)),
                    Duration.ofSeconds(range("retryIntervalSeconds", c.retryIntervalSeconds(), 1, 3600)),
                    Duration.ofMillis(range("syncTimeoutMs", c.syncTimeoutMs(), 1, 600_000)),
                    (int) range("maxBacklog", c.maxBacklog(), 1000, 100_000_000), 10_000,
                    Duration.ofMinutes(range("checkpointIntervalMinutes", c.checkpointIntervalMinutes(), 1, 10_080)),
                    range("checkpointMinChanges", c.checkpointMinChanges(), 0, 1_000_000_000), timeouts(c),
                    Duration.ofHours(range("historyRetentionHours", c.historyRetentionHours(), 0,
                            JdbcJournal.Settings.MAX_HISTORY_RETENTION.toHours())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(StoreComponent.REFUSED + e.getMessage(), e);
        }
    }

    private static Timeouts timeouts(StoreComponent.Config c) {
        long query = range("queryTimeoutSeconds", c.queryTimeoutSeconds(), 1, 3600);
        long socket = range("socketTimeoutSeconds", c.socketTimeoutSeconds(), 1, 3600);
        if (socket < query) {
            // a slow statement must be cancelled by the server (a clean rollback), not cut off mid-answer
            throw new IllegalArgumentException("socketTimeoutSeconds (" + socket + ") must be at least "
                    + "queryTimeoutSeconds (" + query + ")");
        }
        return new Timeouts(Duration.ofSeconds(range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 600)),
                Duration.ofSeconds(query), Duration.ofSeconds(socket));
    }

    private static boolean sync(String name, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "sync":
                return true;
            case "async":
                return false;
            default:
                throw new IllegalArgumentException(name + " must be async or sync, was '" + value + "'");
        }
    }

    private static long range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    private StoreSettings() {
    }
}
