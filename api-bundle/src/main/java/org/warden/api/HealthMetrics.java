package org.warden.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One health report from a worker, as the worker (or a probe of the distributor) measured it.
 * The constructor refuses NaN, infinities, negative values and percentages outside [0, 100]
 * with an {@link IllegalArgumentException} naming the field.
 *
 * @param responseTimeMs        time the worker took to answer the health probe, milliseconds, &ge; 0
 * @param cpuUsagePercent       CPU in use, percent in [0, 100]
 * @param memoryUsagePercent    memory in use, percent in [0, 100]
 * @param diskUsagePercent      disk in use, percent in [0, 100]
 * @param networkLatencyMs      network round trip to the distributor, milliseconds, &ge; 0
 * @param bandwidthMbps         measured bandwidth, megabits per second, &ge; 0; {@code null} when not reported
 * @param gpuUtilizationPercent GPU in use, percent in [0, 100]; {@code null} when the worker has no GPU
 * @param temperatureCelsius    hottest sensor, degrees Celsius in [-50, 150]; {@code null} when not reported
 * @param errorCount            errors the worker saw since its previous report, &ge; 0
 */
@ProviderType
public record HealthMetrics(
        long responseTimeMs,
        double cpuUsagePercent,
        double memoryUsagePercent,
        double diskUsagePercent,
        long networkLatencyMs,
        Double bandwidthMbps,
        Double gpuUtilizationPercent,
        Double temperatureCelsius,
        long errorCount) {

    public HealthMetrics {
        Check.nonNegative("responseTimeMs", responseTimeMs);
        Check.percent("cpuUsagePercent", cpuUsagePercent);
        Check.percent("memoryUsagePercent", memoryUsagePercent);
        Check.percent("diskUsagePercent", diskUsagePercent);
        Check.nonNegative("networkLatencyMs", networkLatencyMs);
        if (bandwidthMbps != null) {
            Check.nonNegative("bandwidthMbps", bandwidthMbps);
        }
        if (gpuUtilizationPercent != null) {
            Check.percent("gpuUtilizationPercent", gpuUtilizationPercent);
        }
        if (temperatureCelsius != null) {
            Check.finite("temperatureCelsius", temperatureCelsius);
            if (temperatureCelsius < -50 || temperatureCelsius > 150) {
                throw new IllegalArgumentException("temperatureCelsius must be in [-50, 150], was " + temperatureCelsius);
            }
        }
        Check.nonNegative("errorCount", errorCount);
    }

    /** The seed's mandatory metrics only; optional ones absent and no errors. */
    public static HealthMetrics of(long responseTimeMs, double cpuUsagePercent, double memoryUsagePercent,
            double diskUsagePercent, long networkLatencyMs) {
        return new HealthMetrics(responseTimeMs, cpuUsagePercent, memoryUsagePercent, diskUsagePercent,
                networkLatencyMs, null, null, null, 0);
    }
}
