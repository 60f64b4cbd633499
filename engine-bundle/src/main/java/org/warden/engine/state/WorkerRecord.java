package org.warden.engine.state;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

import org.warden.api.Ban;
import org.warden.api.Check;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * The statistics the engine keeps of one worker: the state, from which the active policy computes every
 * score. Copy-on-write: an instance handed to the store or to a reader is never changed again; every
 * update works on a {@link #copy()} inside the store's per-worker atomic update, so concurrent readers
 * always see a consistent snapshot and no global lock is needed.
 *
 * <p>Decayed counters hold their value as of {@link #decayedAt()}; {@link #decayedTo(Instant)} brings them
 * to a later instant (lazy decay: nothing is swept on a timer).
 *
 * <p>Representation (kept compact: one instance per tracked worker): moments and instants are primitive fields
 * (instants as epoch nanoseconds, so only instants from 1677 to 2262 are representable), the decayed counters one
 * array ({@link DecayedCounts}); earnings are a {@code long} until they no longer fit; penalty statistics and the
 * recent penalties are packed arrays, allocated on the first penalty; bans and malicious reports
 * ({@link BanLedger}) on the first of them. The accessors build the API values on demand; {@link RecordSnapshots}
 * converts to and from snapshots.
 */
public final class WorkerRecord implements WorkerStatistics {

    /**
     * The most malicious reports a record counts: far beyond any policy's ban rule, and far enough below
     * {@link Integer#MAX_VALUE} that neither a report nor an imported count can make it wrap.
     */
    public static final int MAX_MALICIOUS_REPORTS = 1_000_000_000;
    private static final BigInteger MAX_AMOUNT = Check.TWO_POW_128.subtract(BigInteger.ONE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    // the statistics are package-private so that RecordSnapshots can rebuild a record field by field; nothing else
    // in the package writes them
    private final String workerId;
    // instants, epoch nanoseconds; NONE for null
    private final long firstSeen;
    long lastSeen;
    long lastJobAt = EpochNanos.NONE;
    long decayedAt;
    long lastHealthAt = EpochNanos.NONE;
    long jobsCompleted;
    long jobsFailed;
    /** Decayed success and failure counters; each record has its own. */
    DecayedCounts counts;
    int consecutiveSuccesses;
    int consecutiveFailures;
    // moving statistics: values, shared by copies (an update replaces them)
    Ewma executionTime = Ewma.EMPTY;
    Ewma timeRatio = Ewma.EMPTY;
    Ewma quality = Ewma.EMPTY;
    /** Earnings while they fit in a long (else {@link Extras#bigEarnings} holds them). */
    private long earnings;
    HealthMetrics lastHealth;
    /** Penalty counts, severities and the recent penalties; null until the first penalty. */
    Penalties penalties;
    /** What most workers never need (huge earnings, bans and malicious reports); null while all are defaults. */
    private Extras extras;
    /**
     * The durable store's watermarks, not part of the statistics: the ticket of the last change this node journaled
     * for this worker, and the journal row of the last change another node journaled that was applied here. A
     * checkpoint of this record holds exactly the changes up to them.
     */
    private long journalTicket;
    private long journalFollowed;

    WorkerRecord(String workerId, long firstSeen) {
        this.workerId = workerId;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
        this.decayedAt = firstSeen;
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
        c.jobsCompleted = jobsCompleted;
        c.jobsFailed = jobsFailed;
        c.counts = counts.copy();
        c.consecutiveSuccesses = consecutiveSuccesses;
        c.consecutiveFailures = consecutiveFailures;
        c.executionTime = executionTime;
        c.timeRatio = timeRatio;
        c.quality = quality;
        c.earnings = earnings;
        c.lastHealth = lastHealth;
        c.penalties = penalties == null ? null : penalties.copy();
        c.extras = extras == null ? null : extras.copy();
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
            jobsCompleted++;
            consecutiveSuccesses++;
            consecutiveFailures = 0;
            counts.addSuccess();
        } else {
            jobsFailed++;
            consecutiveFailures++;
            consecutiveSuccesses = 0;
            counts.addFailure();
        }
        executionTime = executionTime.add(executionTimeMs);
        if (estimatedTimeMs != null) {
            timeRatio = timeRatio.add((double) executionTimeMs / estimatedTimeMs);
        }
        if (resultQuality != null) {
            quality = quality.add(resultQuality);
        }
        addEarnings(earned);
        lastJobAt = n;
        seen(n);
    }

    private void addEarnings(BigInteger earned) {
        if ((extras == null || extras.bigEarnings == null) && earned.bitLength() < Long.SIZE) {
            long e = earned.longValue();
            long sum = earnings + e;
            if (sum >= 0) { // both non-negative: a negative sum is an overflow
                earnings = sum;
                return;
            }
        }
        BigInteger sum = earnings().add(earned);
        setEarnings(sum.compareTo(MAX_AMOUNT) > 0 ? MAX_AMOUNT : sum);
    }

    void setEarnings(BigInteger value) {
        if (value.signum() >= 0 && value.compareTo(LONG_MAX) <= 0) {
            earnings = value.longValue();
            if (extras != null) {
                extras.bigEarnings = null;
            }
        } else {
            earnings = 0;
            extras().bigEarnings = value;
        }
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
        BanLedger b = banLedger();
        if (b != null) {
            b.endExpired(now, historySize);
        }
    }

    private void seen(long now) {
        if (now > lastSeen) {
            lastSeen = now;
        }
    }

    // ---- reads ----

    /** The instant the decayed counters refer to. */
    public Instant decayedAt() {
        return EpochNanos.instant(decayedAt);
    }

    /** The ban in force at {@code now}, or {@code null}: a timed ban that ran out no longer counts. */
    public Ban banInForce(Instant now) {
        Ban current = currentBan();
        return current != null && current.isInForceAt(now) ? current : null;
    }

    /** Newest first, bounded: the full history belongs to a durable store. */
    public List<Penalty> recentPenalties() {
        return penalties == null ? List.of() : penalties.recent(workerId);
    }

    /** Every ban, newest first: the one in force (or ended by time) first, then the past ones. */
    public List<Ban> bans() {
        BanLedger b = banLedger();
        return b == null ? List.of() : b.all();
    }

    public long penaltyTotal() {
        return penalties == null ? 0 : penalties.total();
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

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public Instant firstSeen() {
        return EpochNanos.instant(firstSeen);
    }

    @Override
    public Instant lastSeen() {
        return EpochNanos.instant(lastSeen);
    }

    @Override
    public Instant lastJobAt() {
        return EpochNanos.instantOrNull(lastJobAt);
    }

    @Override
    public long jobsCompleted() {
        return jobsCompleted;
    }

    @Override
    public long jobsFailed() {
        return jobsFailed;
    }

    @Override
    public double decayedSuccesses(Horizon horizon) {
        return counts.successes(horizon);
    }

    @Override
    public double decayedFailures(Horizon horizon) {
        return counts.failures(horizon);
    }

    @Override
    public int consecutiveSuccesses() {
        return consecutiveSuccesses;
    }

    @Override
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    @Override
    public Moments executionTimeMs() {
        return executionTime.moments();
    }

    @Override
    public Moments timeToEstimateRatio() {
        return timeRatio.moments();
    }

    @Override
    public Moments resultQuality() {
        return quality.moments();
    }

    @Override
    public BigInteger earnings() {
        return extras != null && extras.bigEarnings != null ? extras.bigEarnings : BigInteger.valueOf(earnings);
    }

    @Override
    public HealthMetrics lastHealth() {
        return lastHealth;
    }

    @Override
    public Instant lastHealthAt() {
        return EpochNanos.instantOrNull(lastHealthAt);
    }

    @Override
    public int penaltyCount(PenaltyType type) {
        return penalties == null ? 0 : penalties.count(type);
    }

    @Override
    public double decayedPenaltySeverity(PenaltyType type) {
        return penalties == null ? 0 : penalties.severity(type);
    }

    @Override
    public int maliciousReports() {
        BanLedger b = banLedger();
        return b == null ? 0 : b.maliciousReports;
    }

    @Override
    public int banCount() {
        BanLedger b = banLedger();
        return b == null ? 0 : b.banCount;
    }

    @Override
    public Ban currentBan() {
        BanLedger b = banLedger();
        return b == null ? null : b.currentBan;
    }

    List<Ban> pastBans() {
        BanLedger b = banLedger();
        return b == null ? List.of() : b.pastBans;
    }

    private BanLedger banLedger() {
        return extras == null ? null : extras.bans;
    }

    /** The ban ledger to change (only ever on a private copy), created on first need. */
    BanLedger bansToChange() {
        Extras x = extras();
        if (x.bans == null) {
            x.bans = new BanLedger();
        }
        return x.bans;
    }

    /** The extras to change (only ever on a private copy), created on first need. */
    private Extras extras() {
        if (extras == null) {
            extras = new Extras();
        }
        return extras;
    }

    /**
     * The rarely needed part of a record; each record has its own (copied with it). One reference in the record for
     * all of it, so that the many workers with none of it pay for one field only.
     */
    private static final class Extras {
        /** Earnings once they exceed {@link Long#MAX_VALUE}, else null. */
        BigInteger bigEarnings;
        /** Bans and malicious reports, or null while there are none. */
        BanLedger bans;

        Extras copy() {
            Extras c = new Extras();
            c.bigEarnings = bigEarnings;
            c.bans = bans == null ? null : bans.copy();
            return c;
        }
    }
}
