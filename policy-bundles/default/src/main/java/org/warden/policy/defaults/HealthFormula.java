package org.warden.policy.defaults;

import java.util.ArrayList;
import java.util.List;

import org.warden.api.HealthMetrics;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;

/**
 * Health score of one report: a weighted mean of one term per metric, each in [0, 1] (1 is best).
 * The seed lists the metrics but not the formula; these weights are fixed, not settings, because the
 * seed's configuration has none. Optional metrics count only when reported: the weights are renormalised
 * over the terms present, so a worker without a GPU is not judged on one.
 */
final class HealthFormula {
    static final double RESPONSE_TIME_WEIGHT = 0.20;
    static final double CPU_WEIGHT = 0.15;
    static final double MEMORY_WEIGHT = 0.15;
    static final double DISK_WEIGHT = 0.10;
    static final double NETWORK_LATENCY_WEIGHT = 0.15;
    static final double ERRORS_WEIGHT = 0.15;
    static final double GPU_WEIGHT = 0.05;
    static final double TEMPERATURE_WEIGHT = 0.05;
    static final double BANDWIDTH_WEIGHT = 0.05;

    /** Response time at which the term is 1/2: a one-second answer to a health probe is slow. */
    static final double RESPONSE_TIME_SCALE_MS = 1000;
    /** Round trip at which the term is 1/2. */
    static final double NETWORK_LATENCY_SCALE_MS = 200;
    /** At or below: cool (term 1). */
    static final double COOL_CELSIUS = 70;
    /** At or above: hot enough to throttle or fail (term 0). */
    static final double HOT_CELSIUS = 95;
    /** Bandwidth at and above which the term is 1. */
    static final double FULL_BANDWIDTH_MBPS = 100;

    private HealthFormula() {
    }

    static ScoreBreakdown score(HealthMetrics m) {
        List<ScoreComponent> terms = new ArrayList<>(9);
        terms.add(new ScoreComponent("responseTime",
                Scores.inverse(m.responseTimeMs() / RESPONSE_TIME_SCALE_MS), RESPONSE_TIME_WEIGHT));
        terms.add(new ScoreComponent("cpu", free(m.cpuUsagePercent()), CPU_WEIGHT));
        terms.add(new ScoreComponent("memory", free(m.memoryUsagePercent()), MEMORY_WEIGHT));
        terms.add(new ScoreComponent("disk", free(m.diskUsagePercent()), DISK_WEIGHT));
        terms.add(new ScoreComponent("networkLatency",
                Scores.inverse(m.networkLatencyMs() / NETWORK_LATENCY_SCALE_MS), NETWORK_LATENCY_WEIGHT));
        terms.add(new ScoreComponent("errors", Scores.inverse(m.errorCount()), ERRORS_WEIGHT));
        if (m.gpuUtilizationPercent() != null) {
            terms.add(new ScoreComponent("gpu", free(m.gpuUtilizationPercent()), GPU_WEIGHT));
        }
        if (m.temperatureCelsius() != null) {
            terms.add(new ScoreComponent("temperature", temperature(m.temperatureCelsius()), TEMPERATURE_WEIGHT));
        }
        if (m.bandwidthMbps() != null) {
            terms.add(new ScoreComponent("bandwidth",
                    Math.min(1, m.bandwidthMbps() / FULL_BANDWIDTH_MBPS), BANDWIDTH_WEIGHT));
        }
        return new ScoreBreakdown(Scores.unit(Scores.weightedMean(terms)), terms);
    }

    /** Share of a resource still free: 1 − percent/100. */
    private static double free(double usagePercent) {
        return 1 - usagePercent / 100;
    }

    /** 1 when cool, falling linearly to 0 when hot. */
    static double temperature(double celsius) {
        if (celsius <= COOL_CELSIUS) {
            return 1;
        }
        if (celsius >= HOT_CELSIUS) {
            return 0;
        }
        return (HOT_CELSIUS - celsius) / (HOT_CELSIUS - COOL_CELSIUS);
    }
}
