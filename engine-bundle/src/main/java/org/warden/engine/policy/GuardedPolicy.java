package org.warden.engine.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;

/**
 * Calls the policy in force so that a faulty one cannot hurt the distributor: a call that throws (including a
 * {@link LinkageError} from a bundle being uninstalled mid-call) or returns {@code null}, NaN or a value outside
 * [0, 1] is answered by the {@link FallbackPolicy} instead. Faults are counted, and logged at most once per
 * interval so a broken policy cannot flood the log.
 */
public final class GuardedPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedPolicy.class);

    private final FallbackPolicy fallback = new FallbackPolicy();
    private final Clock clock;
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong nextLogAtMs = new AtomicLong(Long.MIN_VALUE);
    private volatile long logIntervalMs;

    public GuardedPolicy(Clock clock, Duration logInterval) {
        this.clock = clock;
        this.logIntervalMs = logInterval.toMillis();
    }

    public void setLogInterval(Duration interval) {
        this.logIntervalMs = interval.toMillis();
    }

    /** Calls answered by the fallback because the policy in force faulted, since start. */
    public long faults() {
        return faults.get();
    }

    public ScoreBreakdown healthScore(BoundPolicy p, HealthMetrics m) {
        return call(p, "healthScore", () -> p.policy().healthScore(m), () -> fallback.healthScore(m));
    }

    public double healthyThreshold(BoundPolicy p) {
        return unit(p, "healthyThreshold", () -> p.policy().healthyThreshold(), fallback::healthyThreshold);
    }

    public ScoreBreakdown reputation(BoundPolicy p, WorkerStatistics s, NetworkStatistics network, Instant now) {
        return call(p, "reputation", () -> p.policy().reputation(s, network, now), () -> fallback.reputation(s, now));
    }

    public double eligibilityThreshold(BoundPolicy p) {
        return unit(p, "eligibilityThreshold", () -> p.policy().eligibilityThreshold(), fallback::eligibilityThreshold);
    }

    public double defaultSeverity(BoundPolicy p, PenaltyType type) {
        return unit(p, "defaultSeverity", () -> p.policy().defaultSeverity(type), () -> fallback.defaultSeverity(type));
    }

    public Optional<BanDecision> autoBan(BoundPolicy p, WorkerStatistics s, NetworkStatistics network, Instant now) {
        return call(p, "autoBan", () -> p.policy().autoBan(s, network, now), () -> fallback.autoBan(s, now));
    }

    public ScoreBreakdown selectionScore(BoundPolicy p, Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        return call(p, "selectionScore", () -> p.policy().selectionScore(bid, stats, reputation, health, auction),
                () -> fallback.selectionScore(bid, reputation, health, auction));
    }

    private double unit(BoundPolicy p, String method, Supplier<Double> call, Supplier<Double> safe) {
        Double value = call(p, method, () -> {
            Double v = call.get();
            if (v != null && !(v >= 0 && v <= 1)) {
                throw new IllegalStateException(method + " returned " + v + ", outside [0, 1]");
            }
            return v;
        }, safe);
        return value;
    }

    private <T> T call(BoundPolicy p, String method, Supplier<T> call, Supplier<T> safe) {
        WardenPolicy policy = p.policy();
        if (policy == null) {
            return safe.get();
        }
        try {
            T value = call.get();
            if (value == null) {
                throw new IllegalStateException(method + " returned null");
            }
            return value;
        } catch (RuntimeException | LinkageError e) {
            fault(p, method, e);
            return safe.get();
        }
    }

    private void fault(BoundPolicy p, String method, Throwable e) {
        long count = faults.incrementAndGet();
        long now = clock.millis();
        long next = nextLogAtMs.get();
        if (now >= next && nextLogAtMs.compareAndSet(next, now + logIntervalMs)) {
            LOG.warn("Policy '{}' faulted in {} ({} faults so far); the fallback policy answered. Further faults are "
                    + "counted and logged at most every {} ms.", p.name(), method, count, logIntervalMs, e);
        }
    }
}
