package org.warden.engine.state;

import java.math.BigInteger;
import java.time.Instant;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.policy.Horizon;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * The statistics the engine keeps of one worker, and how they change: the state from which the active policy
 * computes every score. Copy-on-write: an instance handed to the store or to a reader is never changed again; every
 * update works on a {@link #copy()} inside the store's per-worker atomic update, so concurrent readers always see a
 * consistent snapshot and no global lock is needed.
 *
 * <p>Decayed counters hold their value as of {@link #decayedAt()}; {@link #decayedTo(Instant)} brings them to a later
 * instant (lazy decay: nothing is swept on a timer).
 *
 * <p>What is kept and how it reads as {@link org.warden.api.policy.WorkerStatistics} is {@link RecordView}'s (with
 * the compact representation); what a job outcome adds up to is {@link OutcomeStats}'; the conversion to and from
 * snapshots is {@link RecordSnapshots}'. Left here: the copy, the decay, each kind of update, and the durable store's
 * two watermarks.
 */
public final class WorkerRecord extends RecordView {

    /**
     * The most malicious reports a record counts: far beyond any policy's ban rule, and far enough below
     * {@link Integer#MAX_VALUE} that neither a report nor an imported count can make it wrap.
     */
    public static final int MAX_MALICIOUS_REPORTS = 1_000_000_000;
    /**
     * The durable store's watermarks, not part of the statistics: the ticket of the last change this node journaled
     * for this worker, and the journal row of the last change another node journaled that was applied here. A
     * checkpoint of this record holds exactly the changes up to them.
     */
    private long journalTicket;
    private long journalFollowed;

    WorkerRecord(String workerId, long firstSeen) {
        super(workerId, firstSeen);
    }

    /** A worker seen for the first time at {@code now}. */
    public static WorkerRecord newWorker(String workerId, Instant now) {
        WorkerRecord r = new WorkerRecord(workerId, EpochNanos.of("now", now));
        r.counts = new DecayedCounts();
        return r;
    }

    /** A private copy to update; the original stays as it was. */
    public WorkerRecord copy() {
        WorkerRecord c = new WorkerRecord(workerId, firstSeen);
        c.lastSeen = lastSeen;
        c.lastJobAt = lastJobAt;
        c.decayedAt = decayedAt;
        c.lastHealthAt = lastHealthAt;
        c.counts = counts.copy();
        c.outcomes = outcomes;
        c.lastHealth = lastHealth;
        c.penalties = penalties == null ? null : penalties.copy();
        c.bans = bans == null ? null : bans.copy();
        c.journalTicket = journalTicket;
        c.journalFollowed = journalFollowed;
        return c;
    }

    /** This record exactly as kept (decayed counters as of {@link #decayedAt()}, not brought to now). */
    public WorkerSnapshot toSnapshot() {
        return RecordSnapshots.toSnapshot(this);
    }

    /**
     * The record a snapshot describes, exactly: {@code fromSnapshot(s).toSnapshot().equals(s)}. The snapshot
     * validated itself on construction; whether its instants suit this engine's clock is the importer's check.
     * Instants this record cannot hold (before 1677-09-21 or after 2262-04-11) are refused with an
     * {@link IllegalArgumentException} naming the field.
     */
    public static WorkerRecord fromSnapshot(WorkerSnapshot s) {
        return RecordSnapshots.toRecord(s);
    }

    /**
     * This record with every decayed counter brought to {@code now}, for reading only: {@code this} when
     * {@code now} is not after {@link #decayedAt()} (a published record never changes), else a decayed copy.
     * To change the result, use {@link #copyDecayedTo(Instant)}.
     */
    public WorkerRecord decayedTo(Instant now) {
        long n = EpochNanos.of("now", now);
        if (n <= decayedAt) {
            return this;
        }
        WorkerRecord c = copy();
        c.decay(n);
        return c;
    }

    /** A private copy to update, with every decayed counter brought to {@code now} (earlier instants leave them). */
    public WorkerRecord copyDecayedTo(Instant now) {
        long n = EpochNanos.of("now", now);
        WorkerRecord c = copy();
        c.decay(n);
        return c;
    }

    private void decay(long now) {
        if (now <= decayedAt) {
            return;
        }
        double elapsedMs = EpochNanos.elapsedMillis(decayedAt, now);
        counts.decay(elapsedMs);
        if (penalties != null) {
            // penalty severities decay at the longest horizon
            penalties.decay(DecayedCounts.factor(Horizon.MONTH, elapsedMs));
        }
        decayedAt = now;
    }

    /**
     * The factor by which {@link #decayedTo(Instant)} would multiply this record's decayed counters of
     * {@code horizon} to bring them to {@code now} (1 when {@code now} is not after {@link #decayedAt()}): the same
     * arithmetic, so {@code decayedSuccesses(h) * decayFactor(h, now)} is exactly
     * {@code decayedTo(now).decayedSuccesses(h)}. O(1) and without a copy, for scans over every worker.
     */
    public double decayFactor(Horizon horizon, Instant now) {
        long n = EpochNanos.of("now", now);
        if (n <= decayedAt) {
            return 1;
        }
        return DecayedCounts.factor(horizon, EpochNanos.elapsedMillis(decayedAt, n));
    }

    // ---- updates: callers must only ever change a private copy inside WorkerStore.update ----

    public void recordHealth(HealthMetrics metrics, Instant now) {
        long n = EpochNanos.of("now", now);
        decay(n);
        lastHealth = metrics;
        lastHealthAt = n;
        seen(n);
    }

    public void recordOutcome(boolean success, long executionTimeMs, BigInteger earned, Double resultQuality,
            Long estimatedTimeMs, Instant now) {
        long n = EpochNanos.of("now", now);
        decay(n);
        if (success) {
            counts.addSuccess();
        } else {
            counts.addFailure();
        }
        outcomes = outcomes.withOutcome(success, executionTimeMs, earned, resultQuality, estimatedTimeMs);
        lastJobAt = n;
        seen(n);
    }

    public void recordPenalty(Penalty penalty, int historySize) {
        long at = EpochNanos.of("penalty.at", penalty.at());
        decay(at);
        if (penalties == null) {
            penalties = new Penalties();
        }
        penalties.record(penalty, historySize);
    }

    /**
     * Counts one more malicious report. At {@link #MAX_MALICIOUS_REPORTS} the report is refused rather than counted:
     * an {@code int} that wrapped to a negative count would turn off the auto-ban rule and make every later export
     * and checkpoint of this worker invalid.
     *
     * @throws IllegalStateException when the count is already at its maximum (the record is left as it was)
     */
    public void recordMalicious() {
        bansToChange().recordMalicious(workerId);
    }

    public void startBan(Ban ban, int historySize) {
        bansToChange().start(ban, historySize);
    }

    public void liftBan(Instant now, String reason, int historySize) {
        bansToChange().lift(now, reason, historySize);
    }

    /**
     * Moves a ban whose time ran out to the history. Only one that ran out: a change made before the ban (another
     * node's, applied later) leaves it in force.
     */
    public void endExpiredBan(Instant now, int historySize) {
        if (bans != null) {
            bans.endExpired(now, historySize);
        }
    }

    private void seen(long now) {
        if (now > lastSeen) {
            lastSeen = now;
        }
    }

    /** The ticket of the last change this node journaled for this worker (0: none). */
    public long journalTicket() {
        return journalTicket;
    }

    /** The journal position (row and index) of the last change from another node applied to this record (0: none). */
    public long journalFollowed() {
        return journalFollowed;
    }

    /**
     * Sets the watermarks of a private copy: a change of this node's ({@code ticket > 0}) or another node's
     * ({@code seq > 0}) applied after the record {@code before} (whose watermarks are kept otherwise; a record
     * rebuilt from an imported snapshot has none of its own).
     */
    public void stampJournal(WorkerRecord before, long ticket, long seq) {
        long t = before == null ? journalTicket : Math.max(journalTicket, before.journalTicket);
        long f = before == null ? journalFollowed : Math.max(journalFollowed, before.journalFollowed);
        journalTicket = Math.max(t, ticket);
        journalFollowed = Math.max(f, seq);
    }

    /** Sets the watermarks of a private copy (from a checkpoint, or in another node's terms after a restore). */
    public void resetJournal(long ticket, long followed) {
        journalTicket = ticket;
        journalFollowed = followed;
    }

    /** The ban ledger to change (only ever on a private copy), created on first need. */
    BanLedger bansToChange() {
        if (bans == null) {
            bans = new BanLedger();
        }
        return bans;
    }
}
