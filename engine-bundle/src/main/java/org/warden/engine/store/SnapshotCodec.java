package org.warden.engine.store;

import static org.warden.engine.store.CodecFields.amount;
import static org.warden.engine.store.CodecFields.ban;
import static org.warden.engine.store.CodecFields.count;
import static org.warden.engine.store.CodecFields.health;
import static org.warden.engine.store.CodecFields.instant;
import static org.warden.engine.store.CodecFields.moments;
import static org.warden.engine.store.CodecFields.optionalInstant;
import static org.warden.engine.store.CodecFields.string;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * A worker's whole record in bytes, as a checkpoint keeps it and as a journal row's {@code Put} (an import)
 * carries it: apart from the row's changes because it changes with the record's content (a new statistic), not
 * with the journal's.
 */
final class SnapshotCodec {

    /** The most penalties or bans a record holds: a count beyond is a corrupt one, not history. */
    private static final int MAX_HISTORY = 1 << 20;

    private SnapshotCodec() {
    }

    static void write(DataOutputStream out, WorkerSnapshot s) throws IOException {
        string(out, s.workerId());
        instant(out, s.firstSeen());
        instant(out, s.lastSeen());
        optionalInstant(out, s.lastJobAt());
        instant(out, s.decayedAt());
        out.writeLong(s.jobsCompleted());
        out.writeLong(s.jobsFailed());
        for (Horizon h : Horizon.values()) {
            out.writeDouble(s.decayedSuccesses().get(h));
            out.writeDouble(s.decayedFailures().get(h));
        }
        out.writeInt(s.consecutiveSuccesses());
        out.writeInt(s.consecutiveFailures());
        moments(out, s.executionTimeMs());
        moments(out, s.timeToEstimateRatio());
        moments(out, s.resultQuality());
        amount(out, s.earnings());
        out.writeBoolean(s.lastHealth() != null);
        if (s.lastHealth() != null) {
            health(out, s.lastHealth());
            instant(out, s.lastHealthAt());
        }
        out.writeByte(PenaltyType.values().length);
        for (PenaltyType t : PenaltyType.values()) {
            string(out, t.name());
            out.writeInt(s.penaltyCounts().get(t));
            out.writeDouble(s.decayedPenaltySeverity().get(t));
        }
        out.writeInt(s.maliciousReports());
        out.writeInt(s.banCount());
        out.writeBoolean(s.currentBan() != null);
        if (s.currentBan() != null) {
            ban(out, s.currentBan());
        }
        out.writeInt(s.recentPenalties().size());
        for (Penalty p : s.recentPenalties()) {
            instant(out, p.at());
            string(out, p.type().name());
            out.writeDouble(p.severity());
            string(out, p.reason());
            string(out, p.jobId());
        }
        out.writeInt(s.pastBans().size());
        for (Ban b : s.pastBans()) {
            ban(out, b);
        }
    }

    static WorkerSnapshot read(DataInputStream in) throws IOException {
        String workerId = string(in);
        Instant firstSeen = instant(in);
        Instant lastSeen = instant(in);
        Instant lastJobAt = optionalInstant(in);
        Instant decayedAt = instant(in);
        long completed = in.readLong();
        long failed = in.readLong();
        Map<Horizon, Double> successes = new EnumMap<>(Horizon.class);
        Map<Horizon, Double> failures = new EnumMap<>(Horizon.class);
        for (Horizon h : Horizon.values()) {
            successes.put(h, in.readDouble());
            failures.put(h, in.readDouble());
        }
        int consecutiveSuccesses = in.readInt();
        int consecutiveFailures = in.readInt();
        Moments exec = moments(in);
        Moments ratio = moments(in);
        Moments quality = moments(in);
        BigInteger earnings = amount(in);
        HealthMetrics lastHealth = null;
        Instant lastHealthAt = null;
        if (in.readBoolean()) {
            lastHealth = health(in);
            lastHealthAt = instant(in);
        }
        Map<PenaltyType, Integer> counts = new EnumMap<>(PenaltyType.class);
        Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        for (PenaltyType t : PenaltyType.values()) {
            counts.put(t, 0);
            severities.put(t, 0.0);
        }
        int types = in.readUnsignedByte();
        for (int i = 0; i < types; i++) {
            PenaltyType t = PenaltyType.valueOf(string(in));
            counts.put(t, in.readInt());
            severities.put(t, in.readDouble());
        }
        int malicious = in.readInt();
        int banCount = in.readInt();
        Ban currentBan = in.readBoolean() ? ban(in, workerId) : null;
        // a penalty takes at least 32 bytes, a ban 23
        int n = count(in, in.readInt(), MAX_HISTORY, 32, "recent penalties");
        List<Penalty> penalties = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant at = instant(in);
            PenaltyType type = PenaltyType.valueOf(string(in));
            double severity = in.readDouble();
            String reason = string(in);
            penalties.add(new Penalty(workerId, type, severity, reason, string(in), at));
        }
        n = count(in, in.readInt(), MAX_HISTORY, 23, "past bans");
        List<Ban> bans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bans.add(ban(in, workerId));
        }
        return new WorkerSnapshot(workerId, firstSeen, lastSeen, lastJobAt, decayedAt, completed, failed, successes,
                failures, consecutiveSuccesses, consecutiveFailures, exec, ratio, quality, earnings, lastHealth,
                lastHealthAt, counts, severities, malicious, banCount, currentBan, penalties, bans);
    }
}
