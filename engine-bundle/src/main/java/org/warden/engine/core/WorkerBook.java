package org.warden.engine.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import org.warden.api.Ban;
import org.warden.api.Check;
import org.warden.api.Eligibility;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.NetworkHealth;
import org.warden.api.Penalty;
import org.warden.api.PendingBan;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.StoreHealth;
import org.warden.api.WardenEvents;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.policy.BanDurations;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.GuardedPolicy;
import org.warden.engine.policy.PolicyTracker;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.WorkerStore;

/**
 * The engine's core, plain Java (no OSGi): keeps every worker's statistics in the {@link WorkerStore}, updates
 * them atomically per worker, and has the policy in force judge them on every read. The OSGi component and the
 * service facades delegate here; a simulator can use it directly.
 */
public final class WorkerBook implements Journal.Target {

    private final Clock clock;
    private final WorkerStore store;
    private final PolicyTracker policies;
    private final GuardedPolicy guard;
    private final EventSink events;
    private volatile EngineSettings settings;
    /** The history sizes of {@link #settings}, made once per change of settings rather than once per call. */
    private volatile Change.Limits limits;
    /** Where every change goes to be made durable; {@link Journal#NONE} for memory only. */
    private volatile Journal journal = Journal.NONE;
    /** The durable store's state, for network health. */
    private volatile Supplier<StoreHealth> storeHealth = () -> StoreHealth.MEMORY;
    /** Whether the store has restored the record: until then no worker is eligible (unless configured otherwise). */
    private final RestoreState restore = new RestoreState();
    /** Network-wide job totals, kept as running sums so network health needs no scan for them. */
    private final LongAdder jobsCompleted = new LongAdder();
    private final LongAdder jobsFailed = new LongAdder();
    private final NetworkHealthCache networkHealth = new NetworkHealthCache();
    private volatile Function<Instant, NetworkHealth> networkScan;
    private volatile NetworkStatistics networkStatistics = NetworkStatistics.EMPTY;
    private volatile ShadowHook shadow = ShadowHook.NONE;
    /** Automatic bans within the budget window; see {@link BanBudget}. */
    private final BanBudget banBudget = new BanBudget();
    /** Automatic bans held back by the budget, at most one per worker (the newest). */
    private final ConcurrentHashMap<String, PendingBan> pending = new ConcurrentHashMap<>();
    /** Active workers in the latest network health figures: what the ban budget is a share of. */
    private volatile long activeWorkers;
    /** The one path every change of a worker's record takes. */
    private final WorkerUpdates updates;

    public WorkerBook(Clock clock, WorkerStore store, PolicyTracker policies, EventSink events, EngineSettings settings) {
        this.clock = clock;
        this.store = store;
        this.policies = policies;
        this.events = events;
        this.settings = settings;
        this.limits = limitsOf(settings);
        this.guard = new GuardedPolicy(clock, settings.faultLogInterval());
        this.updates = new WorkerUpdates(clock, store, this::journal, this::limits);
        networkHealth.stuckAfter(settings.policyCallBudget().multipliedBy(2));
    }

    public void setSettings(EngineSettings settings) {
        this.settings = settings;
        this.limits = limitsOf(settings);
        guard.setLogInterval(settings.faultLogInterval());
        networkHealth.stuckAfter(settings.policyCallBudget().multipliedBy(2));
        invalidateNetworkHealth();
    }

    public EngineSettings settings() {
        return settings;
    }

    /** Sets where changes are journaled (before the engine serves calls). */
    public void setJournal(Journal journal) {
        this.journal = journal == null ? Journal.NONE : journal;
    }

    public Journal journal() {
        return journal;
    }

    /**
     * The store is about to restore the record into this book (before the engine serves anything): until
     * {@link #restored()} no worker is eligible, unless the settings say to serve from memory.
     */
    public void expectRestore() {
        restore.expect();
    }

    /** Whether the record has been restored (or there was none to restore). */
    public boolean isRestored() {
        return restore.restored();
    }

    /** Where network health reads the durable store's state from. */
    public void setStoreHealth(Supplier<StoreHealth> storeHealth) {
        this.storeHealth = storeHealth;
    }

    /** The durable store's state, as unavailable while it has not restored the record (see {@link RestoreState}). */
    public StoreHealth storeHealth() {
        return restore.health(storeHealth.get(), settings);
    }

    private static Change.Limits limitsOf(EngineSettings s) {
        return new Change.Limits(s.penaltyHistorySize(), s.banHistorySize());
    }

    /** The history sizes changes are applied with, from the settings in force. */
    @Override
    public Change.Limits limits() {
        return limits;
    }

    public Clock clock() {
        return clock;
    }

    public WorkerStore store() {
        return store;
    }

    public GuardedPolicy guard() {
        return guard;
    }

    public BoundPolicy policy() {
        return policies.current();
    }

    /** Forgets the cached network health, e.g. because the policy changed. */
    public void invalidateNetworkHealth() {
        networkHealth.invalidate();
    }

    // ---------------------------------------------------------------- updates

    public WorkerHealth reportHealth(String workerId, HealthMetrics metrics) {
        Check.id("workerId", workerId);
        Check.notNull("metrics", metrics);
        Instant now = clock.instant();
        WorkerUpdates.Applied a = updates.apply(new Change.Health(workerId, metrics, now), false, null, null);
        a.receipt().await();
        return health(a.after(), policies.current(), now);
    }

    public WorkerReputation recordOutcome(JobOutcome o) {
        Check.notNull("outcome", o);
        Instant now = clock.instant();
        BoundPolicy p = policies.current();
        Change.Outcome change = new Change.Outcome(o.workerId(), o.success(), o.executionTimeMs(), o.earnings(),
                o.resultQuality(), o.estimatedTimeMs(), now);
        WorkerUpdates.Applied a;
        if (o.success()) {
            a = updates.apply(change, false, null, null);
        } else {
            // a failure may trip a policy's rule (e.g. consecutive failures): it is asked, outside the update
            NetworkStatistics network = network();
            a = updates.apply(change, false, autoBanRule(p, network, now), banGate(now));
            shadowSaw(a, network, now);
        }
        (o.success() ? jobsCompleted : jobsFailed).increment();
        afterAutoBan(a);
        a.receipt().await();
        return reputation(a.after(), p, now);
    }

    public Penalty applyPenalty(String workerId, PenaltyType type, double severity, String reason, String jobId) {
        Instant now = clock.instant();
        Penalty penalty = new Penalty(workerId, type, severity, reason, jobId, now);
        penalize(penalty, false);
        return penalty;
    }

    public WorkerReputation reportMalicious(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Instant now = clock.instant();
        BoundPolicy p = policies.current();
        double severity = guard.defaultSeverity(p, PenaltyType.MALICIOUS_BEHAVIOR);
        WorkerRecord r = penalize(new Penalty(workerId, PenaltyType.MALICIOUS_BEHAVIOR, severity, reason, null, now), true);
        return reputation(r, p, now);
    }

    /** Records the penalty and applies the policy's auto-ban rule to the record it makes. */
    private WorkerRecord penalize(Penalty penalty, boolean malicious) {
        Instant now = penalty.at();
        BoundPolicy p = policies.current();
        NetworkStatistics network = network();
        WorkerUpdates.Applied a = updates.apply(new Change.PenaltyChange(penalty, malicious), true,
                autoBanRule(p, network, now), banGate(now));
        shadowSaw(a, network, now);
        try {
            a.receipt().await();
        } catch (RuntimeException e) {
            // not committed in time, but applied and queued: the ban it caused is in force, a held one must wait
            afterAutoBan(a);
            throw e;
        }
        postPenalized(penalty);
        afterAutoBan(a);
        return a.after();
    }

    /** After an update that applied the auto-ban rule: records and announces the ban imposed or held back. */
    private void afterAutoBan(WorkerUpdates.Applied a) {
        Ban imposed = a.imposed();
        if (imposed != null) {
            pending.remove(imposed.workerId());
            postBanned(imposed);
        }
        PendingBan held = a.held();
        if (held != null) {
            // one pending ban per worker, the newest; announced once, not on each further failure of the same worker
            PendingBan previous = pending.put(held.workerId(), held);
            if (previous == null) {
                postBanPending(held);
            }
            invalidateNetworkHealth();
        }
    }

    /**
     * The policy's auto-ban rule, asked about a private copy of the worker's record with the change applied, with no
     * lock held (see {@link WorkerUpdates}). The decision comes validated from the guard; the ban and the pending
     * ban it would make are built here, before the update takes a budget unit for one of them, so nothing can fail
     * after the unit is taken.
     */
    private WorkerUpdates.Decider autoBanRule(BoundPolicy p, NetworkStatistics network, Instant now) {
        int banHistorySize = limits.banHistorySize();
        return next -> {
            next.endExpiredBan(now, banHistorySize);
            if (next.banInForce(now) != null) {
                return WorkerUpdates.Decision.NOT_ASKED;
            }
            WorkerRecord view = next.decayedTo(now);
            Optional<BanDecision> decision = guard.autoBan(p, view, network, now);
            if (decision.isEmpty()) {
                return WorkerUpdates.Decision.noBan(view);
            }
            BanDecision d = decision.get();
            Ban ban = new Ban(next.workerId(), d.reason(), true, now, BanDurations.until(now, d.duration()), null, null);
            return new WorkerUpdates.Decision(true, view, ban,
                    new PendingBan(next.workerId(), d.reason(), d.duration(), now, p.name()));
        };
    }

    /** The ban budget for an automatic ban decided at {@code now}; atomic across workers (see {@link BanBudget}). */
    private WorkerUpdates.BanGate banGate(Instant now) {
        EngineSettings s = settings;
        return new WorkerUpdates.BanGate() {
            @Override
            public boolean tryTake() {
                return banBudget.tryTake(now, activeWorkers, s.banBudgetShare(), s.banBudgetWindow());
            }

            @Override
            public void giveBack() {
                banBudget.giveBack(now);
            }
        };
    }

    /** Tells the shadow policy what the policy in force decided, once the decision was applied (no lock held). */
    private void shadowSaw(WorkerUpdates.Applied a, NetworkStatistics network, Instant now) {
        WorkerUpdates.Decision d = a.decision();
        if (d != null && d.asked()) {
            shadow.autoBanDecided(d.view(), network, now, d.ban() != null);
        }
    }

    /** Automatic-ban decisions applied without the policy's decision because the record kept changing. */
    public long autoBanDecisionsDropped() {
        return updates.decisionsDropped();
    }

    /**
     * The network figures policies compare a worker with: those of the latest network health scan, refreshed as
     * network health is (reading them may start a refresh).
     */
    public NetworkStatistics network() {
        Function<Instant, NetworkHealth> scan = networkScan;
        if (scan != null) {
            activeWorkers = cachedNetworkHealth(scan).activeWorkers();
        }
        return networkStatistics;
    }

    /** The shadow policy's observer; {@link ShadowHook#NONE} when no shadow runs. */
    public ShadowHook shadow() {
        return shadow;
    }

    public void setShadow(ShadowHook hook) {
        this.shadow = hook == null ? ShadowHook.NONE : hook;
    }

    /** Automatic bans held back by the ban budget, waiting for an operator. */
    public long pendingBanCount() {
        return pending.size();
    }

    /** Automatic bans held back by the ban budget, oldest first. */
    public List<PendingBan> pendingBans() {
        List<PendingBan> list = new ArrayList<>(pending.values());
        list.sort(Comparator.comparing(PendingBan::proposedAt).thenComparing(PendingBan::workerId));
        return list;
    }

    /** The ban budget's bookkeeping, for tests and the shell. */
    public BanBudget banBudget() {
        return banBudget;
    }

    /** Active workers in the latest network health figures the ban budget was computed from. */
    public long banBudgetActiveWorkers() {
        return activeWorkers;
    }

    /**
     * Imposes the worker's pending ban, now, for the duration the policy asked; an operator's decision, so it is not
     * automatic and does not use the budget. Empty if the worker has none pending.
     */
    public Optional<Ban> confirmPendingBan(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        require(workerId);
        PendingBan pb = pending.remove(workerId);
        if (pb == null) {
            return Optional.empty();
        }
        Ban ban;
        try {
            Instant now = clock.instant();
            String text = pb.reason() + " (confirmed: " + reason + ")";
            if (text.length() > Check.MAX_REASON_LENGTH) {
                text = text.substring(0, Check.MAX_REASON_LENGTH);
            }
            ban = new Ban(workerId, text, false, now, BanDurations.until(now, pb.duration()), null, null);
            applyCritical(new Change.BanChange(ban));
        } catch (RuntimeException e) {
            // not imposed (the store refused it, or the ban could not be made): it still waits for an operator
            pending.putIfAbsent(workerId, pb);
            throw e;
        }
        postBanned(ban);
        return Optional.of(ban);
    }

    /** Drops the worker's pending ban; {@code false} if it has none pending. */
    public boolean dismissPendingBan(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        require(workerId);
        if (pending.remove(workerId) == null) {
            return false;
        }
        invalidateNetworkHealth();
        return true;
    }

    /** Where network health and statistics come from (set once by the engine). */
    public void attachNetworkScan(Function<Instant, NetworkHealth> scan) {
        this.networkScan = scan;
    }

    /** Called by the network scan with the figures it computed. */
    public void networkStatistics(NetworkStatistics statistics) {
        this.networkStatistics = statistics;
    }

    public Ban ban(String workerId, String reason, Duration duration) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Instant now = clock.instant();
        Ban ban = new Ban(workerId, reason, false, now, BanDurations.until(now, duration), null, null);
        applyCritical(new Change.BanChange(ban));
        // an operator's ban settles any automatic ban the budget held back for this worker
        pending.remove(workerId);
        postBanned(ban);
        return ban;
    }

    public Optional<Ban> unban(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Instant now = clock.instant();
        WorkerUpdates.Applied a = updates.apply(new Change.Unban(workerId, reason, now), true, null, null);
        // journaled even when no ban was in force: it may have moved an expired ban to the history
        a.receipt().await();
        Ban lifted = a.before().banInForce(now) != null ? a.after().bans().get(0) : null;
        if (lifted != null) {
            events.post(WardenEvents.TOPIC_UNBANNED, Map.of(WardenEvents.WORKER_ID, workerId, WardenEvents.REASON, reason));
            invalidateNetworkHealth();
        }
        return Optional.ofNullable(lifted);
    }

    /** Applies a change that needs a known worker and must be committed before it is acknowledged. */
    private WorkerRecord applyCritical(Change change) {
        WorkerUpdates.Applied a = updates.apply(change, true, null, null);
        a.receipt().await();
        return a.after();
    }

    /**
     * Applies an entry journaled elsewhere (another node sharing the database, or this node before a restart), as
     * it was applied there: no policy is asked, nothing is journaled again. Keeps the network totals in step.
     */
    @Override
    public void applyJournaled(JournalEntry entry, boolean own, long ticket, long position) {
        if (entry.isClear()) {
            store.clear();
            recountJobTotals();
            return;
        }
        Change.Limits limits = limits();
        long[] delta = new long[2];
        store.update(entry.workerId(), current -> {
            delta[0] = 0;
            delta[1] = 0;
            if (current != null && (own ? ticket <= current.journalTicket() : position <= current.journalFollowed())) {
                return current; // already in this record (it came from a checkpoint that holds it)
            }
            WorkerRecord next = entry.applyTo(current, limits);
            next.stampJournal(current, own ? ticket : 0, own ? 0 : position);
            delta[0] = next.jobsCompleted() - (current == null ? 0 : current.jobsCompleted());
            delta[1] = next.jobsFailed() - (current == null ? 0 : current.jobsFailed());
            return next;
        });
        jobsCompleted.add(delta[0]);
        jobsFailed.add(delta[1]);
        for (Change c : entry.changes()) {
            if (!(c instanceof Change.Outcome) && !(c instanceof Change.Health)) {
                invalidateNetworkHealth();
                break;
            }
        }
    }

    @Override
    public void loadRecord(WorkerRecord record) {
        store.update(record.workerId(), current -> record);
    }

    @Override
    public void restored() {
        restore.done();
        recountJobTotals();
    }

    @Override
    public void forEachRecord(java.util.function.Consumer<WorkerRecord> action) {
        store.forEach(action);
    }

    @Override
    public void replace(String workerId, java.util.function.UnaryOperator<WorkerRecord> change) {
        store.update(workerId, change);
    }

    @Override
    public Journal.Target scratch() {
        return new WorkerBook(clock, new org.warden.engine.state.InMemoryWorkerStore(), policies, EventSink.NONE,
                settings);
    }

    /** Journals an entry from inside the worker's update and stamps the new record with its ticket. */
    static Journal.Receipt journal(Journal j, JournalEntry entry, WorkerRecord current, WorkerRecord next) {
        Journal.Receipt receipt = j.append(entry);
        next.stampJournal(current, receipt.ticket(), 0);
        return receipt;
    }

    private void postPenalized(Penalty p) {
        Map<String, Object> props = new HashMap<>();
        props.put(WardenEvents.WORKER_ID, p.workerId());
        props.put(WardenEvents.PENALTY_TYPE, p.type().name());
        props.put(WardenEvents.SEVERITY, p.severity());
        props.put(WardenEvents.REASON, p.reason());
        if (p.jobId() != null) {
            props.put(WardenEvents.JOB_ID, p.jobId());
        }
        events.post(WardenEvents.TOPIC_PENALIZED, props);
    }

    private void postBanPending(PendingBan pb) {
        Map<String, Object> props = new HashMap<>();
        props.put(WardenEvents.WORKER_ID, pb.workerId());
        props.put(WardenEvents.REASON, pb.reason());
        props.put(WardenEvents.POLICY_NAME, pb.policyName());
        events.post(WardenEvents.TOPIC_BAN_PENDING, props);
    }

    private void postBanned(Ban ban) {
        Map<String, Object> props = new HashMap<>();
        props.put(WardenEvents.WORKER_ID, ban.workerId());
        props.put(WardenEvents.REASON, ban.reason());
        props.put(WardenEvents.AUTOMATIC, ban.automatic());
        if (ban.until() != null) {
            props.put(WardenEvents.UNTIL, ban.until().toString());
        }
        events.post(WardenEvents.TOPIC_BANNED, props);
        invalidateNetworkHealth();
    }

    // ---------------------------------------------------------------- reads

    /** The worker's record, or an {@link IllegalArgumentException} for an unknown or invalid id. */
    public WorkerRecord require(String workerId) {
        Check.id("workerId", workerId);
        WorkerRecord r = store.get(workerId);
        if (r == null) {
            throw WorkerUpdates.unknown(workerId);
        }
        return r;
    }

    /** The worker's record, or {@code null} if unknown; the id is validated. */
    public WorkerRecord find(String workerId) {
        Check.id("workerId", workerId);
        return store.get(workerId);
    }

    public List<String> workerIds() {
        List<String> ids = new ArrayList<>(store.size());
        store.forEach(r -> ids.add(r.workerId()));
        return ids;
    }

    public WorkerReputation reputation(WorkerRecord stored, BoundPolicy p, Instant now) {
        WorkerRecord r = stored.decayedTo(now);
        ScoreBreakdown b = guard.reputation(p, r, networkStatistics, now);
        return new WorkerReputation(r.workerId(), b.score(), b, r.jobsCompleted(), r.jobsFailed(), r.penaltyTotal(),
                r.maliciousReports(), r.banInForce(now), r.firstSeen(), r.lastSeen());
    }

    public WorkerHealth health(WorkerRecord r, BoundPolicy p, Instant now) {
        boolean active = isActive(r, now);
        if (r.lastHealth() == null) {
            return new WorkerHealth(r.workerId(), null, 0, new ScoreBreakdown(0, List.of()), null, active, false);
        }
        ScoreBreakdown b = guard.healthScore(p, r.lastHealth());
        boolean healthy = reportedRecently(r, now) && b.score() >= guard.healthyThreshold(p);
        return new WorkerHealth(r.workerId(), r.lastHealth(), b.score(), b, r.lastHealthAt(), active, healthy);
    }

    public boolean isActive(WorkerRecord r, Instant now) {
        return !r.lastSeen().isBefore(now.minus(settings.activityWindow()));
    }

    private boolean reportedRecently(WorkerRecord r, Instant now) {
        return r.lastHealthAt() != null && !r.lastHealthAt().isBefore(now.minus(settings.activityWindow()));
    }

    /** A worker judged by the policy at {@code now}: reputation, health and eligibility computed once. */
    public record Judgement(WorkerReputation reputation, WorkerHealth health, Eligibility eligibility) {
    }

    public Judgement judge(WorkerRecord r, BoundPolicy p, Instant now) {
        double threshold = guard.eligibilityThreshold(p);
        WorkerReputation rep = reputation(r, p, now);
        WorkerHealth h = health(r, p, now);
        String why = whyNot(rep, h, threshold, p, now);
        return new Judgement(rep, h, new Eligibility(r.workerId(), why == null, rep.score(), threshold,
                why == null ? "eligible" : why));
    }

    /** Why the worker is not eligible, or {@code null} if it is. */
    private String whyNot(WorkerReputation rep, WorkerHealth h, double threshold, BoundPolicy p, Instant now) {
        String none = restore.whyNoneEligible(storeHealth.get(), settings);
        if (none != null) {
            return none;
        }
        Ban ban = rep.ban();
        if (ban != null) {
            return "banned: " + ban.reason() + (ban.until() == null ? "" : " (until " + ban.until() + ")");
        }
        if (rep.score() < threshold) {
            return String.format(Locale.ROOT, "reputation %.4f is below the threshold %.4f", rep.score(), threshold);
        }
        if (h.metrics() == null) {
            return "no health report yet";
        }
        if (h.lastReport().isBefore(now.minus(settings.activityWindow()))) {
            return "no health report within the last " + settings.activityWindow().toSeconds() + " s";
        }
        if (!h.healthy()) {
            return String.format(Locale.ROOT, "unhealthy: health %.4f is below %.4f", h.score(), guard.healthyThreshold(p));
        }
        return null;
    }

    public Eligibility eligibility(String workerId) {
        WorkerRecord r = find(workerId);
        BoundPolicy p = policies.current();
        if (r == null) {
            return new Eligibility(workerId, false, 0, guard.eligibilityThreshold(p), "unknown worker");
        }
        return judge(r, p, clock.instant()).eligibility();
    }

    /**
     * Sets the network-wide job totals to the sums over every stored worker, and forgets the cached network health:
     * after the store was changed wholesale (an import). Outcomes recorded while this runs may be counted twice or
     * not at all; an import is an operator's action, not the hot path.
     */
    public void recountJobTotals() {
        long[] sums = new long[2];
        store.forEach(r -> {
            sums[0] += r.jobsCompleted();
            sums[1] += r.jobsFailed();
        });
        jobsCompleted.reset();
        jobsCompleted.add(sums[0]);
        jobsFailed.reset();
        jobsFailed.add(sums[1]);
        invalidateNetworkHealth();
    }

    public long jobsCompleted() {
        return jobsCompleted.sum();
    }

    public long jobsFailed() {
        return jobsFailed.sum();
    }

    /**
     * Network health with bounded staleness (see {@link NetworkHealthCache}): at most the configured maximum age
     * old, or ten scan durations on a network so large that a scan takes longer than a tenth of that.
     */
    public NetworkHealth networkHealth(Function<Instant, NetworkHealth> scan) {
        NetworkHealth h = cachedNetworkHealth(scan);
        // the store's state is read live, not cached with the scan: an operator must see an outage at once
        StoreHealth store = storeHealth();
        if (store.equals(h.store())) {
            return h;
        }
        return new NetworkHealth(h.totalWorkers(), h.activeWorkers(), h.healthyWorkers(), h.bannedWorkers(),
                h.averageReputation(), h.successRate(), h.averageResponseTimeMs(), h.healthScore(), h.policyName(),
                h.fallbackActive(), h.policyFaults(), h.computedAt(), h.pendingBans(), h.shadowPolicyName(), store);
    }

    /** The figures of the last scan, without the store's live state: what the hot path reads. */
    private NetworkHealth cachedNetworkHealth(Function<Instant, NetworkHealth> scan) {
        return networkHealth.get(clock.instant(), policies.current(), settings.networkHealthMaxAge(), scan);
    }
}
