package org.warden.engine.state;

import java.math.BigInteger;
import java.time.Instant;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * One change to one worker's record, as a value: what the engine applies to its in-memory record and what the
 * durable store journals and replays. Applying the same changes in the same order to the same record gives the
 * same record, so a record rebuilt from the journal equals the one the engine kept. Every change carries the
 * instant the engine applied it at: replay never reads a clock.
 */
public sealed interface Change {

    String workerId();

    Instant at();

    /**
     * The private copy an update starting with this change works on: a new record for a worker not known yet
     * (the engine refuses, before applying, the changes that need a known worker; a replay starts one).
     */
    default WorkerRecord begin(WorkerRecord current) {
        return current == null ? WorkerRecord.newWorker(workerId(), at()) : current.copyDecayedTo(at());
    }

    /** Applies this change to a private copy, in place. */
    void applyTo(WorkerRecord next, Limits limits);

    /** Whether this change must be committed before it is acknowledged, whatever the configuration. */
    default boolean critical() {
        return true;
    }

    /** How much history a record keeps: the engine's settings at the time of the update or replay. */
    record Limits(int penaltyHistorySize, int banHistorySize) {
    }

    /** A health report. */
    record Health(String workerId, HealthMetrics metrics, Instant at) implements Change {
        @Override
        public WorkerRecord begin(WorkerRecord current) {
            return current == null ? WorkerRecord.newWorker(workerId, at) : current.copy();
        }

        @Override
        public void applyTo(WorkerRecord next, Limits limits) {
            next.recordHealth(metrics, at);
        }

        @Override
        public boolean critical() {
            return false;
        }
    }

    /** A job outcome; a failure also ends a ban whose time ran out (as the auto-ban rule that follows it does). */
    record Outcome(String workerId, boolean success, long executionTimeMs, BigInteger earnings, Double resultQuality,
            Long estimatedTimeMs, Instant at) implements Change {
        @Override
        public WorkerRecord begin(WorkerRecord current) {
            return current == null ? WorkerRecord.newWorker(workerId, at) : current.copy();
        }

        @Override
        public void applyTo(WorkerRecord next, Limits limits) {
            next.recordOutcome(success, executionTimeMs, earnings, resultQuality, estimatedTimeMs, at);
            if (!success) {
                next.endExpiredBan(at, limits.banHistorySize());
            }
        }

        @Override
        public boolean critical() {
            return false;
        }
    }

    /** A penalty, and for a malicious report the report itself. */
    record PenaltyChange(Penalty penalty, boolean malicious) implements Change {
        @Override
        public String workerId() {
            return penalty.workerId();
        }

        @Override
        public Instant at() {
            return penalty.at();
        }

        @Override
        public void applyTo(WorkerRecord next, Limits limits) {
            next.endExpiredBan(penalty.at(), limits.banHistorySize());
            next.recordPenalty(penalty, limits.penaltyHistorySize());
            if (malicious) {
                next.recordMalicious();
            }
        }
    }

    /** A ban, by an operator or by the policy: starts it and records its BAN penalty. */
    record BanChange(Ban ban) implements Change {
        @Override
        public String workerId() {
            return ban.workerId();
        }

        @Override
        public Instant at() {
            return ban.bannedAt();
        }

        @Override
        public void applyTo(WorkerRecord next, Limits limits) {
            next.startBan(ban, limits.banHistorySize());
            next.recordPenalty(banPenalty(ban), limits.penaltyHistorySize());
        }

        /** The penalty a ban is recorded as. */
        public static Penalty banPenalty(Ban ban) {
            return new Penalty(ban.workerId(), PenaltyType.BAN, 1.0, ban.reason(), null, ban.bannedAt());
        }
    }

    /** An operator lifting the ban in force, if one is. */
    record Unban(String workerId, String reason, Instant at) implements Change {
        @Override
        public WorkerRecord begin(WorkerRecord current) {
            return current == null ? WorkerRecord.newWorker(workerId, at) : current.copy();
        }

        @Override
        public void applyTo(WorkerRecord next, Limits limits) {
            next.endExpiredBan(at, limits.banHistorySize());
            if (next.banInForce(at) != null) {
                next.liftBan(at, reason, limits.banHistorySize());
            }
        }
    }

    /** A worker's whole record replaced by an imported one. */
    record Put(WorkerSnapshot snapshot, Instant at) implements Change {
        @Override
        public String workerId() {
            return snapshot.workerId();
        }

        @Override
        public WorkerRecord begin(WorkerRecord current) {
            return WorkerRecord.fromSnapshot(snapshot);
        }

        @Override
        public void applyTo(WorkerRecord next, Limits limits) {
            // the record is the snapshot: begin did it all
        }
    }
}
