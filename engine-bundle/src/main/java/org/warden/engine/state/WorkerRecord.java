package org.warden.engine.state;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
 * <p>Representation (kept compact: one instance per tracked worker): moments, decayed counters and instants
 * are primitive fields (instants as epoch nanoseconds, so only instants from 1677 to 2262 are representable);
 * earnings are a {@code long} until they no longer fit; penalty statistics and the recent penalties are
 * packed arrays, allocated on the first penalty. The accessors build the API values on demand.
 */
public final class WorkerRecord implements WorkerStatistics {

    /**
     * The most malicious reports a record counts: far beyond any policy's ban rule, and far enough below
     * {@link Integer#MAX_VALUE} that neither a report nor an imported count can make it wrap.
     */
    public static final int MAX_MALICIOUS_REPORTS = 1_000_000_000;
    private static final PenaltyType[] TYPES = PenaltyType.values();
    private static final long NONE = EpochNanos.NONE;
    private static final BigInteger MAX_AMOUNT = Check.TWO_POW_128.subtract(BigInteger.ONE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Horizon[] HORIZONS = Horizon.values();
    /** Each horizon's length in milliseconds, indexed by ordinal: the decay formula's time constants. */
    private static final double[] HORIZON_MS = new double[HORIZONS.length];

    static {
        for (Horizon h : HORIZONS) {
            HORIZON_MS[h.ordinal()] = h.duration().toMillis();
        }
    }

    private final String workerId;
    // instants, epoch nanoseconds; NONE for null
    private final long firstSeen;
    private long lastSeen;
    private long lastJobAt = NONE;
    private long decayedAt;
    private long lastHealthAt = NONE;
    private long jobsCompleted;
    private long jobsFailed;
    /** Decayed success and failure counters, indexed by {@link Horizon#ordinal()}; each record has its own. */
    private double[] successes;
    private double[] failures;
    private int consecutiveSuccesses;
    private int consecutiveFailures;
    // moving statistics: values, shared by copies (an update replaces them)
    private Ewma executionTime = Ewma.EMPTY;
    private Ewma timeRatio = Ewma.EMPTY;
    private Ewma quality = Ewma.EMPTY;
    /** Earnings while they fit in a long (else {@link Extras#bigEarnings} holds them). */
    private long earnings;
    private HealthMetrics lastHealth;
    /** Penalty counts, severities and the recent penalties; null until the first penalty. */
    private Penalties penalties;
    /** What most workers never need (bans, malicious reports, huge earnings); null while all are defaults. */
    private Extras extras;
    /**
     * The durable store's watermarks, not part of the statistics: the ticket of the last change this node journaled
     * for this worker, and the journal row of the last change another node journaled that was applied here. A
     * checkpoint of this record holds exactly the changes up to them.
     */
    private long journalTicket;
    private long journalFollowed;
    private WorkerRecord(String workerId, long firstSeen) {
        this.workerId = workerId;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
        this.decayedAt = firstSeen;
    }

    /** A worker seen for the first time at {@code now}. */
    public static WorkerRecord newWorker(String workerId, Instant now) {
        WorkerRecord r = new WorkerRecord(workerId, nanos("now", now));
        r.successes = new double[HORIZONS.length];
        r.failures = new double[HORIZONS.length];
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
        c.successes = successes.clone();
        c.failures = failures.clone();
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
        Map<Horizon, Double> successMap = new EnumMap<>(Horizon.class);
        Map<Horizon, Double> failureMap = new EnumMap<>(Horizon.class);
        for (Horizon h : HORIZONS) {
            successMap.put(h, decayedSuccesses(h));
            failureMap.put(h, decayedFailures(h));
        }
        Map<PenaltyType, Integer> counts = new EnumMap<>(PenaltyType.class);
        Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        for (PenaltyType t : TYPES) {
            counts.put(t, penaltyCount(t));
            severities.put(t, decayedPenaltySeverity(t));
        }
        return new WorkerSnapshot(workerId, firstSeen(), lastSeen(), lastJobAt(), decayedAt(), jobsCompleted,
                jobsFailed, successMap, failureMap, consecutiveSuccesses, consecutiveFailures, executionTimeMs(),
                timeToEstimateRatio(), resultQuality(), earnings(), lastHealth, lastHealthAt(), counts, severities,
                maliciousReports(), banCount(), currentBan(), recentPenalties(), pastBans());
    }

    /**
     * The record a snapshot describes, exactly: {@code fromSnapshot(s).toSnapshot().equals(s)}. The snapshot
     * validated itself on construction; whether its instants suit this engine's clock is the importer's check.
     * Instants this record cannot hold (before 1677-09-21 or after 2262-04-11) are refused with an
     * {@link IllegalArgumentException} naming the field.
     */
    public static WorkerRecord fromSnapshot(WorkerSnapshot s) {
        WorkerRecord r = new WorkerRecord(s.workerId(), nanos("firstSeen", s.firstSeen()));
        r.lastSeen = nanos("lastSeen", s.lastSeen());
        r.lastJobAt = s.lastJobAt() == null ? NONE : nanos("lastJobAt", s.lastJobAt());
        r.decayedAt = nanos("decayedAt", s.decayedAt());
        r.lastHealthAt = s.lastHealthAt() == null ? NONE : nanos("lastHealthAt", s.lastHealthAt());
        r.jobsCompleted = s.jobsCompleted();
        r.jobsFailed = s.jobsFailed();
        r.successes = new double[HORIZONS.length];
        r.failures = new double[HORIZONS.length];
        for (Horizon h : HORIZONS) {
            r.successes[h.ordinal()] = s.decayedSuccesses().get(h);
            r.failures[h.ordinal()] = s.decayedFailures().get(h);
        }
        r.consecutiveSuccesses = s.consecutiveSuccesses();
        r.consecutiveFailures = s.consecutiveFailures();
        r.executionTime = Ewma.of(s.executionTimeMs());
        r.timeRatio = Ewma.of(s.timeToEstimateRatio());
        r.quality = Ewma.of(s.resultQuality());
        r.setEarnings(s.earnings());
        r.lastHealth = s.lastHealth();
        Penalties p = new Penalties();
        for (PenaltyType t : TYPES) {
            p.set(t, s.penaltyCounts().get(t), s.decayedPenaltySeverity().get(t));
        }
        p.setRecent(s.recentPenalties());
        r.penalties = p.isEmpty() ? null : p;
        if (s.maliciousReports() != 0 || s.banCount() != 0 || s.currentBan() != null || !s.pastBans().isEmpty()) {
            Extras x = r.extras();
            x.maliciousReports = s.maliciousReports();
            x.banCount = s.banCount();
            x.currentBan = s.currentBan();
            x.pastBans = s.pastBans();
        }
        return r;
    }

    /**
     * This record with every decayed counter brought to {@code now}, for reading only: {@code this} when
     * {@code now} is not after {@link #decayedAt()} (a published record never changes), else a decayed copy.
     * To change the result, use {@link #copyDecayedTo(Instant)}.
     */
    public WorkerRecord decayedTo(Instant now) {
        long n = nanos("now", now);
        if (n <= decayedAt) {
            return this;
        }
        WorkerRecord c = copy();
        c.decay(n);
        return c;
    }

    /** A private copy to update, with every decayed counter brought to {@code now} (earlier instants leave them). */
    public WorkerRecord copyDecayedTo(Instant now) {
        long n = nanos("now", now);
        WorkerRecord c = copy();
        c.decay(n);
        return c;
    }

    private void decay(long now) {
        if (now <= decayedAt) {
            return;
        }
        double elapsedMs = elapsedMillis(decayedAt, now);
        for (Horizon h : HORIZONS) {
            double f = factor(h, elapsedMs);
            successes[h.ordinal()] *= f;
            failures[h.ordinal()] *= f;
        }
        if (penalties != null) {
            // penalty severities decay at the longest horizon
            penalties.decay(factor(Horizon.MONTH, elapsedMs));
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
        long n = nanos("now", now);
        if (n <= decayedAt) {
            return 1;
        }
        return factor(horizon, elapsedMillis(decayedAt, n));
    }

    /** The decay of a counter of {@code horizon} over {@code elapsedMs}: the one formula for copies and scans. */
    private static double factor(Horizon horizon, double elapsedMs) {
        return Math.exp(-elapsedMs / HORIZON_MS[horizon.ordinal()]);
    }

    // ---- updates: callers must only ever change a private copy inside WorkerStore.update ----

    public void recordHealth(HealthMetrics metrics, Instant now) {
        long n = nanos("now", now);
        decay(n);
        lastHealth = metrics;
        lastHealthAt = n;
        seen(n);
    }

    public void recordOutcome(boolean success, long executionTimeMs, BigInteger earned, Double resultQuality,
            Long estimatedTimeMs, Instant now) {
        long n = nanos("now", now);
        decay(n);
        if (success) {
            jobsCompleted++;
            consecutiveSuccesses++;
            consecutiveFailures = 0;
            addOne(successes);
        } else {
            jobsFailed++;
            consecutiveFailures++;
            consecutiveSuccesses = 0;
            addOne(failures);
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

    private void setEarnings(BigInteger value) {
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

    /** One more event in every horizon's counter. */
    private static void addOne(double[] counters) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += 1;
        }
    }

    public void recordPenalty(Penalty penalty, int historySize) {
        long at = nanos("penalty.at", penalty.at());
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
        Extras x = extras();
        if (x.maliciousReports >= MAX_MALICIOUS_REPORTS) {
            throw new IllegalStateException("worker '" + workerId + "' already has " + x.maliciousReports
                    + " malicious reports, the most Warden counts (" + MAX_MALICIOUS_REPORTS + "); report refused");
        }
        x.maliciousReports++;
    }

    public void startBan(Ban ban, int historySize) {
        endExpiredBan(ban.bannedAt(), historySize);
        Extras x = extras();
        if (x.currentBan != null) {
            // a new ban replaces the one in force, which goes to the history as lifted
            x.pastBans = prepend(x.pastBans, x.currentBan.lift(ban.bannedAt(), "replaced by a new ban"), historySize);
        }
        x.currentBan = ban;
        x.banCount++;
    }

    public void liftBan(Instant now, String reason, int historySize) {
        Extras x = extras();
        x.pastBans = prepend(x.pastBans, x.currentBan.lift(now, reason), historySize);
        x.currentBan = null;
    }

    /**
     * Moves a ban whose time ran out to the history. Only one that ran out: a change made before the ban (another
     * node's, applied later) leaves it in force.
     */
    public void endExpiredBan(Instant now, int historySize) {
        Ban current = currentBan();
        if (current != null && current.until() != null && !now.isBefore(current.until())) {
            extras.pastBans = prepend(extras.pastBans, current, historySize);
            extras.currentBan = null;
        }
    }

    private void seen(long now) {
        if (now > lastSeen) {
            lastSeen = now;
        }
    }

    private static <T> List<T> prepend(List<T> list, T item, int max) {
        List<T> out = new ArrayList<>(Math.min(list.size() + 1, max));
        out.add(item);
        for (int i = 0; i < list.size() && out.size() < max; i++) {
            out.add(list.get(i));
        }
        return List.copyOf(out);
    }

    private static long nanos(String field, Instant value) {
        return EpochNanos.of(field, value);
    }

    private static Instant instant(long nanos) {
        return EpochNanos.instant(nanos);
    }

    private static Instant instantOrNull(long nanos) {
        return EpochNanos.instantOrNull(nanos);
    }

    private static long elapsedMillis(long from, long to) {
        return EpochNanos.elapsedMillis(from, to);
    }

    // ---- reads ----

    /** The instant the decayed counters refer to. */
    public Instant decayedAt() {
        return instant(decayedAt);
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
        Ban current = currentBan();
        if (current == null) {
            return pastBans();
        }
        List<Ban> all = new ArrayList<>(extras.pastBans.size() + 1);
        all.add(current);
        all.addAll(extras.pastBans);
        return List.copyOf(all);
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
        return instant(firstSeen);
    }

    @Override
    public Instant lastSeen() {
        return instant(lastSeen);
    }

    @Override
    public Instant lastJobAt() {
        return instantOrNull(lastJobAt);
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
        return successes[horizon.ordinal()];
    }

    @Override
    public double decayedFailures(Horizon horizon) {
        return failures[horizon.ordinal()];
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
        return instantOrNull(lastHealthAt);
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
        return extras == null ? 0 : extras.maliciousReports;
    }

    @Override
    public int banCount() {
        return extras == null ? 0 : extras.banCount;
    }

    @Override
    public Ban currentBan() {
        return extras == null ? null : extras.currentBan;
    }

    private List<Ban> pastBans() {
        return extras == null ? List.of() : extras.pastBans;
    }

    /** The extras to change (only ever on a private copy), created on first need. */
    private Extras extras() {
        if (extras == null) {
            extras = new Extras();
        }
        return extras;
    }

    /** The rarely needed part of a record; each record has its own (copied with it). */
    private static final class Extras {
        /** Earnings once they exceed {@link Long#MAX_VALUE}, else null. */
        BigInteger bigEarnings;
        int maliciousReports;
        int banCount;
        Ban currentBan;
        /** Past bans, newest first, bounded. */
        List<Ban> pastBans = List.of();

        Extras copy() {
            Extras c = new Extras();
            c.bigEarnings = bigEarnings;
            c.maliciousReports = maliciousReports;
            c.banCount = banCount;
            c.currentBan = currentBan;
            c.pastBans = pastBans;
            return c;
        }
    }
}
