package org.warden.engine.state;

import java.math.BigInteger;
import java.time.Duration;
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
 */
public final class WorkerRecord implements WorkerStatistics {

    /** Smoothing factor of the moving averages: the last ~20 samples dominate. */
    static final double ALPHA = 0.05;
    private static final Horizon[] HORIZONS = Horizon.values();
    private static final PenaltyType[] TYPES = PenaltyType.values();
    private static final BigInteger MAX_AMOUNT = Check.TWO_POW_128.subtract(BigInteger.ONE);

    private final String workerId;
    private final Instant firstSeen;
    private Instant lastSeen;
    private Instant lastJobAt;
    private Instant decayedAt;
    private long jobsCompleted;
    private long jobsFailed;
    private double[] decayedSuccesses;
    private double[] decayedFailures;
    private int consecutiveSuccesses;
    private int consecutiveFailures;
    private Moments executionTime = Moments.EMPTY;
    private Moments timeRatio = Moments.EMPTY;
    private Moments quality = Moments.EMPTY;
    private BigInteger earnings = BigInteger.ZERO;
    private HealthMetrics lastHealth;
    private Instant lastHealthAt;
    private int[] penaltyCounts;
    private double[] penaltySeverity;
    private int maliciousReports;
    private int banCount;
    private Ban currentBan;
    /** Newest first, bounded: the full history belongs to a durable store. */
    private List<Penalty> recentPenalties;
    /** Past bans, newest first, bounded. */
    private List<Ban> pastBans;

    private WorkerRecord(String workerId, Instant firstSeen) {
        this.workerId = workerId;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
        this.decayedAt = firstSeen;
        this.decayedSuccesses = new double[HORIZONS.length];
        this.decayedFailures = new double[HORIZONS.length];
        this.penaltyCounts = new int[TYPES.length];
        this.penaltySeverity = new double[TYPES.length];
        this.recentPenalties = List.of();
        this.pastBans = List.of();
    }

    /** A worker seen for the first time at {@code now}. */
    public static WorkerRecord newWorker(String workerId, Instant now) {
        return new WorkerRecord(workerId, now);
    }

    /** A private copy to update; the original stays as it was. */
    public WorkerRecord copy() {
        WorkerRecord c = new WorkerRecord(workerId, firstSeen);
        c.lastSeen = lastSeen;
        c.lastJobAt = lastJobAt;
        c.decayedAt = decayedAt;
        c.jobsCompleted = jobsCompleted;
        c.jobsFailed = jobsFailed;
        c.decayedSuccesses = decayedSuccesses.clone();
        c.decayedFailures = decayedFailures.clone();
        c.consecutiveSuccesses = consecutiveSuccesses;
        c.consecutiveFailures = consecutiveFailures;
        c.executionTime = executionTime;
        c.timeRatio = timeRatio;
        c.quality = quality;
        c.earnings = earnings;
        c.lastHealth = lastHealth;
        c.lastHealthAt = lastHealthAt;
        c.penaltyCounts = penaltyCounts.clone();
        c.penaltySeverity = penaltySeverity.clone();
        c.maliciousReports = maliciousReports;
        c.banCount = banCount;
        c.currentBan = currentBan;
        c.recentPenalties = recentPenalties;
        c.pastBans = pastBans;
        return c;
    }

    /** This record exactly as kept (decayed counters as of {@link #decayedAt()}, not brought to now). */
    public WorkerSnapshot toSnapshot() {
        Map<Horizon, Double> successes = new EnumMap<>(Horizon.class);
        Map<Horizon, Double> failures = new EnumMap<>(Horizon.class);
        for (Horizon h : HORIZONS) {
            successes.put(h, decayedSuccesses[h.ordinal()]);
            failures.put(h, decayedFailures[h.ordinal()]);
        }
        Map<PenaltyType, Integer> counts = new EnumMap<>(PenaltyType.class);
        Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        for (PenaltyType t : TYPES) {
            counts.put(t, penaltyCounts[t.ordinal()]);
            severities.put(t, penaltySeverity[t.ordinal()]);
        }
        return new WorkerSnapshot(workerId, firstSeen, lastSeen, lastJobAt, decayedAt, jobsCompleted, jobsFailed,
                successes, failures, consecutiveSuccesses, consecutiveFailures, executionTime, timeRatio, quality,
                earnings, lastHealth, lastHealthAt, counts, severities, maliciousReports, banCount, currentBan,
                recentPenalties, pastBans);
    }

    /**
     * The record a snapshot describes, exactly: {@code fromSnapshot(s).toSnapshot().equals(s)}. The snapshot
     * validated itself on construction; whether its instants suit this engine's clock is the importer's check.
     */
    public static WorkerRecord fromSnapshot(WorkerSnapshot s) {
        WorkerRecord r = new WorkerRecord(s.workerId(), s.firstSeen());
        r.lastSeen = s.lastSeen();
        r.lastJobAt = s.lastJobAt();
        r.decayedAt = s.decayedAt();
        r.jobsCompleted = s.jobsCompleted();
        r.jobsFailed = s.jobsFailed();
        for (Horizon h : HORIZONS) {
            r.decayedSuccesses[h.ordinal()] = s.decayedSuccesses().get(h);
            r.decayedFailures[h.ordinal()] = s.decayedFailures().get(h);
        }
        r.consecutiveSuccesses = s.consecutiveSuccesses();
        r.consecutiveFailures = s.consecutiveFailures();
        r.executionTime = s.executionTimeMs();
        r.timeRatio = s.timeToEstimateRatio();
        r.quality = s.resultQuality();
        r.earnings = s.earnings();
        r.lastHealth = s.lastHealth();
        r.lastHealthAt = s.lastHealthAt();
        for (PenaltyType t : TYPES) {
            r.penaltyCounts[t.ordinal()] = s.penaltyCounts().get(t);
            r.penaltySeverity[t.ordinal()] = s.decayedPenaltySeverity().get(t);
        }
        r.maliciousReports = s.maliciousReports();
        r.banCount = s.banCount();
        r.currentBan = s.currentBan();
        r.recentPenalties = s.recentPenalties();
        r.pastBans = s.pastBans();
        return r;
    }

    /** A copy with every decayed counter brought to {@code now} (earlier instants leave it unchanged). */
    public WorkerRecord decayedTo(Instant now) {
        WorkerRecord c = copy();
        c.decay(now);
        return c;
    }

    private void decay(Instant now) {
        if (!now.isAfter(decayedAt)) {
            return;
        }
        double elapsedMs = Duration.between(decayedAt, now).toMillis();
        for (int i = 0; i < HORIZONS.length; i++) {
            double f = Math.exp(-elapsedMs / HORIZONS[i].duration().toMillis());
            decayedSuccesses[i] *= f;
            decayedFailures[i] *= f;
        }
        double month = Math.exp(-elapsedMs / Horizon.MONTH.duration().toMillis());
        for (int i = 0; i < penaltySeverity.length; i++) {
            penaltySeverity[i] *= month;
        }
        decayedAt = now;
    }

    // ---- updates: callers must only ever change a private copy inside WorkerStore.update ----

    public void recordHealth(HealthMetrics metrics, Instant now) {
        decay(now);
        lastHealth = metrics;
        lastHealthAt = now;
        seen(now);
    }

    public void recordOutcome(boolean success, long executionTimeMs, BigInteger earned, Double resultQuality,
            Long estimatedTimeMs, Instant now) {
        decay(now);
        if (success) {
            jobsCompleted++;
            consecutiveSuccesses++;
            consecutiveFailures = 0;
            add(decayedSuccesses);
        } else {
            jobsFailed++;
            consecutiveFailures++;
            consecutiveSuccesses = 0;
            add(decayedFailures);
        }
        executionTime = update(executionTime, executionTimeMs);
        if (estimatedTimeMs != null) {
            timeRatio = update(timeRatio, (double) executionTimeMs / estimatedTimeMs);
        }
        if (resultQuality != null) {
            quality = update(quality, resultQuality);
        }
        BigInteger sum = earnings.add(earned);
        earnings = sum.compareTo(MAX_AMOUNT) > 0 ? MAX_AMOUNT : sum;
        lastJobAt = now;
        seen(now);
    }

    public void recordPenalty(Penalty penalty, int historySize) {
        decay(penalty.at());
        int t = penalty.type().ordinal();
        penaltyCounts[t]++;
        penaltySeverity[t] += penalty.severity();
        recentPenalties = prepend(recentPenalties, penalty, historySize);
    }

    public void recordMalicious() {
        maliciousReports++;
    }

    public void startBan(Ban ban, int historySize) {
        endExpiredBan(ban.bannedAt(), historySize);
        if (currentBan != null) {
            // a new ban replaces the one in force, which goes to the history as lifted
            pastBans = prepend(pastBans, currentBan.lift(ban.bannedAt(), "replaced by a new ban"), historySize);
        }
        currentBan = ban;
        banCount++;
    }

    public void liftBan(Instant now, String reason, int historySize) {
        pastBans = prepend(pastBans, currentBan.lift(now, reason), historySize);
        currentBan = null;
    }

    /** Moves a ban whose time ran out to the history. */
    public void endExpiredBan(Instant now, int historySize) {
        if (currentBan != null && !currentBan.isInForceAt(now)) {
            pastBans = prepend(pastBans, currentBan, historySize);
            currentBan = null;
        }
    }

    private void seen(Instant now) {
        if (now.isAfter(lastSeen)) {
            lastSeen = now;
        }
    }

    private static void add(double[] counters) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += 1;
        }
    }

    /** Exponentially weighted mean and variance (West's incremental form); the first sample sets the mean. */
    static Moments update(Moments m, double x) {
        if (m.count() == 0) {
            return new Moments(1, x, 0);
        }
        double diff = x - m.mean();
        double incr = ALPHA * diff;
        double mean = m.mean() + incr;
        double variance = (1 - ALPHA) * (m.variance() + diff * incr);
        return new Moments(m.count() + 1, mean, variance);
    }

    private static <T> List<T> prepend(List<T> list, T item, int max) {
        List<T> out = new ArrayList<>(Math.min(list.size() + 1, max));
        out.add(item);
        for (int i = 0; i < list.size() && out.size() < max; i++) {
            out.add(list.get(i));
        }
        return List.copyOf(out);
    }

    // ---- reads ----

    /** The instant the decayed counters refer to. */
    public Instant decayedAt() {
        return decayedAt;
    }

    /** The ban in force at {@code now}, or {@code null}: a timed ban that ran out no longer counts. */
    public Ban banInForce(Instant now) {
        return currentBan != null && currentBan.isInForceAt(now) ? currentBan : null;
    }

    public List<Penalty> recentPenalties() {
        return recentPenalties;
    }

    /** Every ban, newest first: the one in force (or ended by time) first, then the past ones. */
    public List<Ban> bans() {
        if (currentBan == null) {
            return pastBans;
        }
        List<Ban> all = new ArrayList<>(pastBans.size() + 1);
        all.add(currentBan);
        all.addAll(pastBans);
        return List.copyOf(all);
    }

    public long penaltyTotal() {
        long n = 0;
        for (int c : penaltyCounts) {
            n += c;
        }
        return n;
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public Instant firstSeen() {
        return firstSeen;
    }

    @Override
    public Instant lastSeen() {
        return lastSeen;
    }

    @Override
    public Instant lastJobAt() {
        return lastJobAt;
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
        return decayedSuccesses[horizon.ordinal()];
    }

    @Override
    public double decayedFailures(Horizon horizon) {
        return decayedFailures[horizon.ordinal()];
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
        return executionTime;
    }

    @Override
    public Moments timeToEstimateRatio() {
        return timeRatio;
    }

    @Override
    public Moments resultQuality() {
        return quality;
    }

    @Override
    public BigInteger earnings() {
        return earnings;
    }

    @Override
    public HealthMetrics lastHealth() {
        return lastHealth;
    }

    @Override
    public Instant lastHealthAt() {
        return lastHealthAt;
    }

    @Override
    public int penaltyCount(PenaltyType type) {
        return penaltyCounts[type.ordinal()];
    }

    @Override
    public double decayedPenaltySeverity(PenaltyType type) {
        return penaltySeverity[type.ordinal()];
    }

    @Override
    public int maliciousReports() {
        return maliciousReports;
    }

    @Override
    public int banCount() {
        return banCount;
    }

    @Override
    public Ban currentBan() {
        return currentBan;
    }
}
