package org.warden.api.snapshot;

import java.math.BigInteger;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.warden.api.Ban;
import org.warden.api.Check;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;

/**
 * One worker's statistics exactly as the engine keeps them (see
 * {@link org.warden.api.policy.WorkerStatistics} for what each means). Decayed values are as of
 * {@link #decayedAt()}. The constructor refuses impossible values with an {@link IllegalArgumentException}
 * naming the field.
 *
 * @param decayedSuccesses       per horizon, every horizon present
 * @param decayedFailures        per horizon, every horizon present
 * @param penaltyCounts          per penalty type, every type present
 * @param decayedPenaltySeverity per penalty type, every type present
 * @param recentPenalties        newest first
 * @param pastBans               newest first, bans no longer in force
 */
@ProviderType
public record WorkerSnapshot(
        String workerId,
        Instant firstSeen,
        Instant lastSeen,
        Instant lastJobAt,
        Instant decayedAt,
        long jobsCompleted,
        long jobsFailed,
        Map<Horizon, Double> decayedSuccesses,
        Map<Horizon, Double> decayedFailures,
        int consecutiveSuccesses,
        int consecutiveFailures,
        Moments executionTimeMs,
        Moments timeToEstimateRatio,
        Moments resultQuality,
        BigInteger earnings,
        HealthMetrics lastHealth,
        Instant lastHealthAt,
        Map<PenaltyType, Integer> penaltyCounts,
        Map<PenaltyType, Double> decayedPenaltySeverity,
        int maliciousReports,
        int banCount,
        Ban currentBan,
        List<Penalty> recentPenalties,
        List<Ban> pastBans) {

    public WorkerSnapshot {
        Check.id("workerId", workerId);
        Check.notNull("firstSeen", firstSeen);
        Check.notNull("lastSeen", lastSeen);
        Check.notNull("decayedAt", decayedAt);
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen must not be before firstSeen");
        }
        Check.nonNegative("jobsCompleted", jobsCompleted);
        Check.nonNegative("jobsFailed", jobsFailed);
        decayedSuccesses = complete("decayedSuccesses", decayedSuccesses, Horizon.class);
        decayedFailures = complete("decayedFailures", decayedFailures, Horizon.class);
        Check.nonNegative("consecutiveSuccesses", consecutiveSuccesses);
        Check.nonNegative("consecutiveFailures", consecutiveFailures);
        moments("executionTimeMs", executionTimeMs);
        moments("timeToEstimateRatio", timeToEstimateRatio);
        moments("resultQuality", resultQuality);
        Check.amount("earnings", earnings);
        if ((lastHealth == null) != (lastHealthAt == null)) {
            throw new IllegalArgumentException("lastHealth and lastHealthAt must be both present or both absent");
        }
        penaltyCounts = complete("penaltyCounts", penaltyCounts, PenaltyType.class);
        decayedPenaltySeverity = complete("decayedPenaltySeverity", decayedPenaltySeverity, PenaltyType.class);
        Check.nonNegative("maliciousReports", maliciousReports);
        Check.nonNegative("banCount", banCount);
        if (currentBan != null && !currentBan.workerId().equals(workerId)) {
            throw new IllegalArgumentException("currentBan is of worker '" + currentBan.workerId() + "'");
        }
        recentPenalties = ofWorker("recentPenalties", recentPenalties, workerId);
        pastBans = ofWorker("pastBans", pastBans, workerId);
    }

    private static void moments(String name, Moments m) {
        Check.notNull(name, m);
        Check.nonNegative(name + ".count", m.count());
        Check.finite(name + ".mean", m.mean());
        Check.nonNegative(name + ".variance", m.variance());
    }

    /** A copy with one entry per constant of {@code type}, each a finite non-negative number. */
    private static <K extends Enum<K>, V extends Number> Map<K, V> complete(String name, Map<K, V> map, Class<K> type) {
        Check.notNull(name, map);
        EnumMap<K, V> copy = new EnumMap<>(type);
        for (K key : type.getEnumConstants()) {
            V value = map.get(key);
            if (value == null) {
                throw new IllegalArgumentException(name + "." + key + " is missing");
            }
            Check.nonNegative(name + "." + key, value.doubleValue());
            copy.put(key, value);
        }
        if (map.size() != copy.size()) {
            throw new IllegalArgumentException(name + " has unknown keys");
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static <T> List<T> ofWorker(String name, List<T> items, String workerId) {
        Check.notNull(name, items);
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            if (item == null) {
                throw new IllegalArgumentException(name + "[" + i + "] must not be null");
            }
            String owner = item instanceof Penalty p ? p.workerId() : ((Ban) item).workerId();
            if (!owner.equals(workerId)) {
                throw new IllegalArgumentException(name + "[" + i + "] is of worker '" + owner + "'");
            }
        }
        return List.copyOf(items);
    }
}
