package org.warden.engine.state;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * The conversion between a {@link WorkerRecord} and the {@link WorkerSnapshot} that exports, imports and checkpoints
 * carry: apart from the record, so that the snapshot's form can change without touching the statistics, and the
 * statistics without touching the form. Exact both ways: {@code toRecord(s)} then {@code toSnapshot} gives {@code s}
 * again.
 */
final class RecordSnapshots {

    private static final Horizon[] HORIZONS = Horizon.values();
    private static final PenaltyType[] TYPES = PenaltyType.values();

    private RecordSnapshots() {
    }

    /** See {@link WorkerRecord#toSnapshot()}. */
    static WorkerSnapshot toSnapshot(WorkerRecord r) {
        Map<Horizon, Double> successMap = new EnumMap<>(Horizon.class);
        Map<Horizon, Double> failureMap = new EnumMap<>(Horizon.class);
        for (Horizon h : HORIZONS) {
            successMap.put(h, r.decayedSuccesses(h));
            failureMap.put(h, r.decayedFailures(h));
        }
        Map<PenaltyType, Integer> counts = new EnumMap<>(PenaltyType.class);
        Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        for (PenaltyType t : TYPES) {
            counts.put(t, r.penaltyCount(t));
            severities.put(t, r.decayedPenaltySeverity(t));
        }
        return new WorkerSnapshot(r.workerId(), r.firstSeen(), r.lastSeen(), r.lastJobAt(), r.decayedAt(),
                r.jobsCompleted(), r.jobsFailed(), successMap, failureMap, r.consecutiveSuccesses(),
                r.consecutiveFailures(), r.executionTimeMs(), r.timeToEstimateRatio(), r.resultQuality(), r.earnings(),
                r.lastHealth(), r.lastHealthAt(), counts, severities, r.maliciousReports(), r.banCount(), r.currentBan(),
                r.recentPenalties(), r.pastBans());
    }

    /** See {@link WorkerRecord#fromSnapshot(WorkerSnapshot)}. */
    static WorkerRecord toRecord(WorkerSnapshot s) {
        WorkerRecord r = new WorkerRecord(s.workerId(), nanos("firstSeen", s.firstSeen()));
        r.lastSeen = nanos("lastSeen", s.lastSeen());
        r.lastJobAt = s.lastJobAt() == null ? EpochNanos.NONE : nanos("lastJobAt", s.lastJobAt());
        r.decayedAt = nanos("decayedAt", s.decayedAt());
        r.lastHealthAt = s.lastHealthAt() == null ? EpochNanos.NONE : nanos("lastHealthAt", s.lastHealthAt());
        r.counts = new DecayedCounts();
        for (Horizon h : HORIZONS) {
            r.counts.set(h, s.decayedSuccesses().get(h), s.decayedFailures().get(h));
        }
        r.outcomes = OutcomeStats.of(s.jobsCompleted(), s.jobsFailed(), s.consecutiveSuccesses(),
                s.consecutiveFailures(), Ewma.of(s.executionTimeMs()), Ewma.of(s.timeToEstimateRatio()),
                Ewma.of(s.resultQuality()), s.earnings());
        r.lastHealth = s.lastHealth();
        Penalties p = new Penalties();
        for (PenaltyType t : TYPES) {
            p.set(t, s.penaltyCounts().get(t), s.decayedPenaltySeverity().get(t));
        }
        p.setRecent(s.recentPenalties());
        r.penalties = p.isEmpty() ? null : p;
        if (s.maliciousReports() != 0 || s.banCount() != 0 || s.currentBan() != null || !s.pastBans().isEmpty()) {
            BanLedger b = r.bansToChange();
            b.maliciousReports = s.maliciousReports();
            b.banCount = s.banCount();
            b.currentBan = s.currentBan();
            b.pastBans = s.pastBans();
        }
        return r;
    }

    private static long nanos(String field, Instant value) {
        return EpochNanos.of(field, value);
    }
}
