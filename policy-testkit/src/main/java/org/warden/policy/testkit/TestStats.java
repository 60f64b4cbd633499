package org.warden.policy.testkit;

import java.math.BigInteger;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;

/**
 * Immutable {@link WorkerStatistics} for a policy's tests, built field by field from a newcomer's: what the engine
 * would hand a policy, without the engine. Decayed counts equal the lifetime ones unless set, for every horizon with
 * {@link Builder#decayed} or for the last day with {@link Builder#day}. Shared by every policy bundle's tests (and
 * an outside author's) instead of a copy each.
 */
public final class TestStats implements WorkerStatistics {
    private final Builder b;

    private TestStats(Builder b) {
        this.b = b.copy();
    }

    /** A worker first seen at {@code firstSeen} that has done nothing yet. */
    public static Builder newcomer(Instant firstSeen) {
        return new Builder(firstSeen);
    }

    public static final class Builder {
        private final Instant firstSeen;
        private Instant lastJobAt;
        private long completed;
        private long failed;
        private int consecutiveSuccesses;
        private int consecutiveFailures;
        private Moments executionTimeMs = Moments.EMPTY;
        private Moments timeToEstimateRatio = Moments.EMPTY;
        private Moments resultQuality = Moments.EMPTY;
        private final Map<PenaltyType, Integer> penaltyCounts = new EnumMap<>(PenaltyType.class);
        private final Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        private int maliciousReports;
        private Ban currentBan;
        private Double decayedSuccesses;
        private Double decayedFailures;
        private final Map<Horizon, double[]> atHorizon = new EnumMap<>(Horizon.class);
        private int banCount;

        private Builder(Instant firstSeen) {
            this.firstSeen = firstSeen;
        }

        private Builder copy() {
            Builder c = new Builder(firstSeen);
            c.lastJobAt = lastJobAt;
            c.completed = completed;
            c.failed = failed;
            c.consecutiveSuccesses = consecutiveSuccesses;
            c.consecutiveFailures = consecutiveFailures;
            c.executionTimeMs = executionTimeMs;
            c.timeToEstimateRatio = timeToEstimateRatio;
            c.resultQuality = resultQuality;
            c.penaltyCounts.putAll(penaltyCounts);
            c.severities.putAll(severities);
            c.maliciousReports = maliciousReports;
            c.currentBan = currentBan;
            c.decayedSuccesses = decayedSuccesses;
            c.decayedFailures = decayedFailures;
            atHorizon.forEach((h, counts) -> c.atHorizon.put(h, counts.clone()));
            c.banCount = banCount;
            return c;
        }

        public Builder jobs(long completed, long failed, Instant lastJobAt) {
            this.completed = completed;
            this.failed = failed;
            this.lastJobAt = lastJobAt;
            return this;
        }

        public Builder consecutiveSuccesses(int n) {
            this.consecutiveSuccesses = n;
            return this;
        }

        public Builder consecutiveFailures(int n) {
            this.consecutiveFailures = n;
            return this;
        }

        public Builder executionTimeMs(Moments m) {
            this.executionTimeMs = m;
            return this;
        }

        public Builder timeToEstimateRatio(Moments m) {
            this.timeToEstimateRatio = m;
            return this;
        }

        public Builder resultQuality(Moments m) {
            this.resultQuality = m;
            return this;
        }

        public Builder penaltyCount(PenaltyType type, int count) {
            penaltyCounts.put(type, count);
            return this;
        }

        public Builder decayedSeverity(PenaltyType type, double severity) {
            severities.put(type, severity);
            return this;
        }

        public Builder maliciousReports(int n) {
            this.maliciousReports = n;
            return this;
        }

        public Builder currentBan(Ban ban) {
            this.currentBan = ban;
            return this;
        }

        /** Decayed counts (every horizon) differing from the lifetime ones, which they equal by default. */
        public Builder decayed(double successes, double failures) {
            this.decayedSuccesses = successes;
            this.decayedFailures = failures;
            return this;
        }

        /** Decayed counts at {@link Horizon#DAY}: {@code at(Horizon.DAY, successes, failures)}. */
        public Builder day(double successes, double failures) {
            return at(Horizon.DAY, successes, failures);
        }

        /** Decayed counts at {@code horizon} (else those of {@link #decayed}, else the lifetime counts). */
        public Builder at(Horizon horizon, double successes, double failures) {
            atHorizon.put(horizon, new double[] {successes, failures});
            return this;
        }

        /** Bans imposed, lifetime (else 1 with a current ban, 0 without). */
        public Builder banCount(int n) {
            this.banCount = n;
            return this;
        }

        public TestStats build() {
            return new TestStats(this);
        }
    }

    @Override
    public String workerId() {
        return "worker-1";
    }

    @Override
    public Instant firstSeen() {
        return b.firstSeen;
    }

    @Override
    public Instant lastSeen() {
        return b.lastJobAt != null ? b.lastJobAt : b.firstSeen;
    }

    @Override
    public Instant lastJobAt() {
        return b.lastJobAt;
    }

    @Override
    public long jobsCompleted() {
        return b.completed;
    }

    @Override
    public long jobsFailed() {
        return b.failed;
    }

    @Override
    public double decayedSuccesses(Horizon horizon) {
        double[] counts = b.atHorizon.get(horizon);
        if (counts != null) {
            return counts[0];
        }
        return b.decayedSuccesses != null ? b.decayedSuccesses : b.completed;
    }

    @Override
    public double decayedFailures(Horizon horizon) {
        double[] counts = b.atHorizon.get(horizon);
        if (counts != null) {
            return counts[1];
        }
        return b.decayedFailures != null ? b.decayedFailures : b.failed;
    }

    @Override
    public int consecutiveSuccesses() {
        return b.consecutiveSuccesses;
    }

    @Override
    public int consecutiveFailures() {
        return b.consecutiveFailures;
    }

    @Override
    public Moments executionTimeMs() {
        return b.executionTimeMs;
    }

    @Override
    public Moments timeToEstimateRatio() {
        return b.timeToEstimateRatio;
    }

    @Override
    public Moments resultQuality() {
        return b.resultQuality;
    }

    @Override
    public BigInteger earnings() {
        return BigInteger.ZERO;
    }

    @Override
    public HealthMetrics lastHealth() {
        return null;
    }

    @Override
    public Instant lastHealthAt() {
        return null;
    }

    @Override
    public int penaltyCount(PenaltyType type) {
        return b.penaltyCounts.getOrDefault(type, 0);
    }

    @Override
    public double decayedPenaltySeverity(PenaltyType type) {
        return b.severities.getOrDefault(type, 0.0);
    }

    @Override
    public int maliciousReports() {
        return b.maliciousReports;
    }

    @Override
    public int banCount() {
        return Math.max(b.banCount, b.currentBan != null ? 1 : 0);
    }

    @Override
    public Ban currentBan() {
        return b.currentBan;
    }
}
