package org.warden.engine.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.warden.api.Ban;
import org.warden.api.Check;
import org.warden.api.Penalty;
import org.warden.api.policy.Moments;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.state.WorkerRecord;

/**
 * What an imported worker must satisfy beyond what {@link WorkerSnapshot} checks on construction (which is only
 * "not negative", "present", "of this worker"): counts small enough that the engine's next {@code +1} cannot wrap,
 * nothing dated after the engine's clock (a ban dated in the future would not be in force until then), bans that are
 * consistent (lifted after they began, a lift with its reason, no lifted ban still in force), and lift reasons that
 * pass {@link Check#reason} like every other reason (an escape sequence in a reason reaches an operator's terminal).
 *
 * <p>Each refusal is an {@link IllegalArgumentException} naming the worker, its place in the snapshot and the field:
 * {@code worker 'w-1' (workers[3]): maliciousReports must be at most 1000000000, was 2147483647}.
 */
public final class SnapshotRules {

    /**
     * Most jobs (and samples, and decayed counts) a worker may bring: a million jobs a second for thirty years, and
     * far enough below {@link Long#MAX_VALUE} that counting on cannot wrap.
     */
    public static final long MAX_JOBS = 1_000_000_000_000_000L;
    /** Most of any {@code int} count (streaks, penalties of a type, bans): half of {@link Integer#MAX_VALUE}. */
    public static final int MAX_COUNT = 1_000_000_000;
    /** The first instant ISO-8601 cannot write with four digits: a ban ending later is nonsense. */
    static final Instant MAX_UNTIL = Instant.parse("+10000-01-01T00:00:00Z");

    private SnapshotRules() {
    }

    /**
     * The record of {@code w}, the {@code index}-th worker of a snapshot, once checked against these rules and the
     * engine's clock {@code now} (and against what a record can hold: {@link WorkerRecord#fromSnapshot}).
     */
    public static WorkerRecord toRecord(int index, WorkerSnapshot w, Instant now) {
        try {
            counts(w);
            times(w, now);
            bans(w, now);
            return WorkerRecord.fromSnapshot(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("worker '" + w.workerId() + "' (workers[" + index + "]): "
                    + e.getMessage(), e);
        }
    }

    private static void counts(WorkerSnapshot w) {
        atMost("jobsCompleted", w.jobsCompleted(), MAX_JOBS);
        atMost("jobsFailed", w.jobsFailed(), MAX_JOBS);
        decayed("decayedSuccesses", w.decayedSuccesses(), MAX_JOBS);
        decayed("decayedFailures", w.decayedFailures(), MAX_JOBS);
        atMost("consecutiveSuccesses", w.consecutiveSuccesses(), MAX_COUNT);
        atMost("consecutiveFailures", w.consecutiveFailures(), MAX_COUNT);
        moments("executionTimeMs", w.executionTimeMs());
        moments("timeToEstimateRatio", w.timeToEstimateRatio());
        moments("resultQuality", w.resultQuality());
        w.penaltyCounts().forEach((type, count) -> atMost("penaltyCounts." + type, count, MAX_COUNT));
        decayed("decayedPenaltySeverity", w.decayedPenaltySeverity(), MAX_COUNT);
        atMost("maliciousReports", w.maliciousReports(), WorkerRecord.MAX_MALICIOUS_REPORTS);
        atMost("banCount", w.banCount(), MAX_COUNT);
    }

    private static void times(WorkerSnapshot w, Instant now) {
        notAfter("firstSeen", w.firstSeen(), now);
        notAfter("lastSeen", w.lastSeen(), now);
        notAfter("decayedAt", w.decayedAt(), now);
        notAfter("lastJobAt", w.lastJobAt(), now);
        notAfter("lastHealthAt", w.lastHealthAt(), now);
        List<Penalty> penalties = w.recentPenalties();
        for (int i = 0; i < penalties.size(); i++) {
            notAfter("recentPenalties[" + i + "].at", penalties.get(i).at(), now);
        }
    }

    private static void bans(WorkerSnapshot w, Instant now) {
        Ban current = w.currentBan();
        if (current != null) {
            ban("currentBan", current, now);
            if (current.liftedAt() != null) {
                throw new IllegalArgumentException("currentBan.liftedAt must be null: a lifted ban is one of pastBans");
            }
        }
        List<Ban> past = w.pastBans();
        for (int i = 0; i < past.size(); i++) {
            ban("pastBans[" + i + "]", past.get(i), now);
        }
    }

    private static void ban(String name, Ban ban, Instant now) {
        notAfter(name + ".bannedAt", ban.bannedAt(), now);
        if (ban.until() != null && !ban.until().isBefore(MAX_UNTIL)) {
            throw new IllegalArgumentException(name + ".until must be before " + MAX_UNTIL + ", was " + ban.until());
        }
        if ((ban.liftedAt() == null) != (ban.liftReason() == null)) {
            throw new IllegalArgumentException(name + ".liftedAt and " + name
                    + ".liftReason must be both present or both absent");
        }
        if (ban.liftedAt() != null) {
            if (ban.liftedAt().isBefore(ban.bannedAt())) {
                throw new IllegalArgumentException(name + ".liftedAt " + ban.liftedAt() + " must not be before "
                        + name + ".bannedAt " + ban.bannedAt());
            }
            notAfter(name + ".liftedAt", ban.liftedAt(), now);
            Check.reason(name + ".liftReason", ban.liftReason());
        }
    }

    private static void moments(String name, Moments m) {
        atMost(name + ".count", m.count(), MAX_JOBS);
    }

    private static void decayed(String name, Map<?, ? extends Number> values, double max) {
        values.forEach((key, value) -> {
            if (value.doubleValue() > max) {
                throw new IllegalArgumentException(name + "." + key + " must be at most " + (long) max + ", was "
                        + value);
            }
        });
    }

    private static void atMost(String name, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + ", was " + value);
        }
    }

    private static void notAfter(String field, Instant value, Instant now) {
        if (value != null && value.isAfter(now)) {
            throw new IllegalArgumentException(field + " " + value + " is after the engine's clock, " + now);
        }
    }
}
