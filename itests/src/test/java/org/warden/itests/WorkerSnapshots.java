package org.warden.itests;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/** Workers in {@code warden:export}'s format (1), for {@code warden:import} in the tests of a real Karaf process. */
final class WorkerSnapshots {

    private WorkerSnapshots() {
    }

    /** A snapshot of these workers (each from {@link #worker}), exported in the past. */
    static String snapshot(String... workers) {
        return """
                {"format": 1, "exportedAt": "2025-06-01T12:00:00Z", "workers": [%s]}
                """.formatted(Arrays.stream(workers).collect(Collectors.joining(", ")));
    }

    /**
     * A worker dated in the past with {@code completed} and {@code failed} jobs, a health report, no penalty and no
     * ban.
     */
    static String worker(String id, int completed, int failed) {
        String zeroPenalties = """
                {"JOB_TIMEOUT": %1$s, "JOB_FAILURE": %1$s, "MALICIOUS_BEHAVIOR": %1$s, "POOR_PERFORMANCE": %1$s,
                 "NETWORK_ISSUES": %1$s, "RESOURCE_ABUSE": %1$s, "INVALID_RESULT": %1$s, "SPAM": %1$s, "BAN": %1$s}""";
        return """
                {"workerId": "%1$s",
                 "firstSeen": "2025-06-01T10:00:00Z", "lastSeen": "2025-06-01T11:00:00Z",
                 "lastJobAt": "2025-06-01T11:00:00Z", "decayedAt": "2025-06-01T11:00:00Z",
                 "jobsCompleted": %2$d, "jobsFailed": %3$d,
                 "decayedSuccesses": {"HOUR": %2$d.0, "DAY": %2$d.0, "WEEK": %2$d.0, "MONTH": %2$d.0},
                 "decayedFailures": {"HOUR": %3$d.0, "DAY": %3$d.0, "WEEK": %3$d.0, "MONTH": %3$d.0},
                 "consecutiveSuccesses": %4$d, "consecutiveFailures": %5$d,
                 "executionTimeMs": {"count": %6$d, "mean": 1200.0, "variance": 100.0},
                 "timeToEstimateRatio": {"count": %6$d, "mean": 0.9, "variance": 0.01},
                 "resultQuality": {"count": %2$d, "mean": 0.8, "variance": 0.0},
                 "earnings": %7$d,
                 "lastHealth": {"responseTimeMs": 120, "cpuUsagePercent": 40.0, "memoryUsagePercent": 50.0,
                   "diskUsagePercent": 30.0, "networkLatencyMs": 15, "bandwidthMbps": 500.0,
                   "gpuUtilizationPercent": null, "temperatureCelsius": 55.0, "errorCount": 0},
                 "lastHealthAt": "2025-06-01T11:00:00Z",
                 "penaltyCounts": %8$s,
                 "decayedPenaltySeverity": %9$s,
                 "maliciousReports": 0, "banCount": 0, "currentBan": null, "recentPenalties": [], "pastBans": []}"""
                .formatted(id, completed, failed, failed == 0 ? completed : 0, failed == 0 ? 0 : 1, completed + failed,
                        completed * 10L, zeroPenalties.formatted("0"), zeroPenalties.formatted("0.0"));
    }

    /** The workers of a {@code warden:export} by id (the export's own {@code exportedAt} left out). */
    static Map<String, JsonNode> workersById(JsonNode export) {
        assertEquals(1, export.get("format").intValue());
        Map<String, JsonNode> workers = new TreeMap<>();
        for (JsonNode w : export.get("workers")) {
            workers.put(w.get("workerId").textValue(), w);
        }
        return workers;
    }
}
