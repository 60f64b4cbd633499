package org.warden.engine.state;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;

/**
 * What is kept of one worker, and how it reads: the fields of a {@link WorkerRecord}, and the
 * {@link WorkerStatistics} a policy scores (and the engine's other reads) built on demand from their compact form.
 * Apart from {@link WorkerRecord}, which changes these fields (copy-on-write, lazy decay, each kind of update), so
 * that how the statistics read changes here and how they change there.
 *
 * <p>A superclass rather than a view object on purpose: a view made per read would allocate on every score, and one
 * kept per record would cost every worker an object and a reference; this costs neither.
 *
 * <p>Representation (kept compact: one instance per tracked worker): instants are primitive fields (epoch
 * nanoseconds, so only instants from 1677 to 2262 are representable, {@link EpochNanos#NONE} for none), the decayed
 * counters one array ({@link DecayedCounts}); totals, streaks, moving statistics and earnings one value
 * ({@link OutcomeStats}, a {@code long} of earnings until they no longer fit); penalty statistics and the recent
 * penalties packed arrays ({@link Penalties}), allocated on the first penalty; bans and malicious reports
 * ({@link BanLedger}) on the first of them.
 */
abstract sealed class RecordView implements WorkerStatistics permits WorkerRecord {

    // package-private: WorkerRecord changes them, RecordSnapshots rebuilds a record field by field; nothing else in
    // the package writes them
    final String workerId;
    // instants, epoch nanoseconds; NONE for null
    final long firstSeen;
    long lastSeen;
    long lastJobAt = EpochNanos.NONE;
    long decayedAt;
    long lastHealthAt = EpochNanos.NONE;
    /** Decayed success and failure counters; each record has its own. */
    DecayedCounts counts;
    /** Totals, streaks, moving statistics and earnings: a value, shared by copies (an outcome replaces it). */
    OutcomeStats outcomes = OutcomeStats.NONE;
    HealthMetrics lastHealth;
    /** Penalty counts, severities and the recent penalties; null until the first penalty. */
    Penalties penalties;
    /** Bans and malicious reports, which most workers never have: null until the first of them. */
    BanLedger bans;

    RecordView(String workerId, long firstSeen) {
        this.workerId = workerId;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
        this.decayedAt = firstSeen;
    }

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
        return bans == null ? List.of() : bans.all();
    }

    public long penaltyTotal() {
        return penalties == null ? 0 : penalties.total();
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
        return outcomes.completed();
    }

    @Override
    public long jobsFailed() {
        return outcomes.failed();
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
        return outcomes.successStreak();
    }

    @Override
    public int consecutiveFailures() {
        return outcomes.failureStreak();
    }

    @Override
    public Moments executionTimeMs() {
        return outcomes.executionTime().moments();
    }

    @Override
    public Moments timeToEstimateRatio() {
        return outcomes.timeRatio().moments();
    }

    @Override
    public Moments resultQuality() {
        return outcomes.quality().moments();
    }

    @Override
    public BigInteger earnings() {
        return outcomes.earnings();
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
        return bans == null ? 0 : bans.maliciousReports;
    }

    @Override
    public int banCount() {
        return bans == null ? 0 : bans.banCount;
    }

    @Override
    public Ban currentBan() {
        return bans == null ? null : bans.currentBan;
    }

    List<Ban> pastBans() {
        return bans == null ? List.of() : bans.pastBans;
    }
}
