package org.warden.engine.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.warden.api.StoreHealth;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.GuardedPolicy;
import org.warden.engine.policy.PolicyTracker;
import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.WorkerStore;

/**
 * The engine's core, plain Java (no OSGi): every worker's statistics in the {@link WorkerStore}, and the rooms that
 * work on them, wired once here. The OSGi component and the service facades delegate here; a simulator can use it
 * directly. Each room has one reason to change:
 * <ul>
 * <li>{@link WorkerWrites}: what each write does (through {@link WorkerUpdates}, the one journaled update path);</li>
 * <li>{@link Judge}: how a record is judged and why a worker is not eligible;</li>
 * <li>{@link NetworkView}: network health, the network statistics and the job totals;</li>
 * <li>{@link PendingBans} and {@link BanBudget}: automatic bans held back, and the budget that holds them;</li>
 * <li>{@link BookEvents}: the events posted;</li>
 * <li>{@link JournalReplay}: what the durable store restores and replays into.</li>
 * </ul>
 * This class holds what they share (settings, journal, store state, shadow) and answers reads.
 */
public final class WorkerBook {

    private final Clock clock;
    private final WorkerStore store;
    private final PolicyTracker policies;
    private final GuardedPolicy guard;
    private volatile EngineSettings settings;
    /** The history sizes of {@link #settings}, made once per change of settings rather than once per call. */
    private volatile Change.Limits limits;
    /** Where every change goes to be made durable; {@link Journal#NONE} for memory only. */
    private volatile Journal journal = Journal.NONE;
    /** The durable store's state, for network health. */
    private volatile Supplier<StoreHealth> storeHealth = () -> StoreHealth.MEMORY;
    /** Whether the store has restored the record: until then no worker is eligible (unless configured otherwise). */
    private final RestoreState restore = new RestoreState();
    private volatile ShadowHook shadow = ShadowHook.NONE;
    /** Automatic bans within the budget window; see {@link BanBudget}. */
    private final BanBudget banBudget = new BanBudget();
    private final PendingBans pending = new PendingBans();
    private final NetworkView network;
    private final Judge judge;
    private final WorkerUpdates updates;
    private final WorkerWrites writes;
    private final JournalReplay replay;

    public WorkerBook(Clock clock, WorkerStore store, PolicyTracker policies, EventSink events, EngineSettings settings) {
        this.clock = clock;
        this.store = store;
        this.policies = policies;
        this.settings = settings;
        this.limits = limitsOf(settings);
        this.guard = new GuardedPolicy(clock, settings.faultLogInterval());
        this.network = new NetworkView(clock, policies, this::settings, new NetworkHealthScan(this));
        this.judge = new Judge(guard, this::settings, restore, () -> storeHealth.get(), network::lastStatistics);
        this.updates = new WorkerUpdates(clock, store, this::journal, this::limits);
        this.writes = new WorkerWrites(clock, updates, policies, guard, judge, network, pending, banBudget,
                new BookEvents(events), this::settings, this::limits, this::shadow, this::require);
        this.replay = new JournalReplay(store, this::limits, network, restore);
    }

    public void setSettings(EngineSettings settings) {
        this.settings = settings;
        this.limits = limitsOf(settings);
        guard.setLogInterval(settings.faultLogInterval());
        network.stuckAfter(settings);
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

    /** What the durable store restores the record and replays the journal into. */
    public Journal.Target replay() {
        return replay;
    }

    /**
     * The store is about to restore the record into this book (before the engine serves anything): until
     * {@link JournalReplay#restored()} no worker is eligible, unless the settings say to serve from memory.
     */
    public void expectRestore() {
        restore.expect();
    }

    /** Memory only: there is no record to restore. */
    public void restored() {
        replay.restored();
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
        network.invalidate();
    }

    // ---------------------------------------------------------------- writes (see WorkerWrites)

    public WorkerHealth reportHealth(String workerId, HealthMetrics metrics) {
        return writes.reportHealth(workerId, metrics);
    }

    public WorkerReputation recordOutcome(JobOutcome o) {
        return writes.recordOutcome(o);
    }

    public Penalty applyPenalty(String workerId, PenaltyType type, double severity, String reason, String jobId) {
        return writes.applyPenalty(workerId, type, severity, reason, jobId);
    }

    public WorkerReputation reportMalicious(String workerId, String reason) {
        return writes.reportMalicious(workerId, reason);
    }

    public Ban ban(String workerId, String reason, Duration duration) {
        return writes.ban(workerId, reason, duration);
    }

    public Optional<Ban> unban(String workerId, String reason) {
        return writes.unban(workerId, reason);
    }

    public Optional<Ban> confirmPendingBan(String workerId, String reason) {
        return writes.confirmPendingBan(workerId, reason);
    }

    public boolean dismissPendingBan(String workerId, String reason) {
        return writes.dismissPendingBan(workerId, reason);
    }

    /** Automatic-ban decisions applied without the policy's decision because the record kept changing. */
    public long autoBanDecisionsDropped() {
        return updates.decisionsDropped();
    }

    // ---------------------------------------------------------------- bans held back

    /** Automatic bans held back by the ban budget, waiting for an operator. */
    public long pendingBanCount() {
        return pending.count();
    }

    /** Automatic bans held back by the ban budget, oldest first. */
    public List<PendingBan> pendingBans() {
        return pending.list();
    }

    /** The ban budget's bookkeeping, for tests and the shell. */
    public BanBudget banBudget() {
        return banBudget;
    }

    /** Active workers in the network figures the latest automatic-ban decision (and its budget) was taken against. */
    public long banBudgetActiveWorkers() {
        return network.budgetActiveWorkers();
    }

    // ---------------------------------------------------------------- shadow

    /** The shadow policy's observer; {@link ShadowHook#NONE} when no shadow runs. */
    public ShadowHook shadow() {
        return shadow;
    }

    public void setShadow(ShadowHook hook) {
        this.shadow = hook == null ? ShadowHook.NONE : hook;
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

    public Judge judge() {
        return judge;
    }

    public WorkerReputation reputation(WorkerRecord stored, BoundPolicy p, Instant now) {
        return judge.reputation(stored, p, now);
    }

    public WorkerHealth health(WorkerRecord r, BoundPolicy p, Instant now) {
        return judge.health(r, p, now);
    }

    public boolean isActive(WorkerRecord r, Instant now) {
        return judge.isActive(r, now);
    }

    public Judge.Judgement judge(WorkerRecord r, BoundPolicy p, Instant now) {
        return judge.judge(r, p, now);
    }

    public Eligibility eligibility(String workerId) {
        WorkerRecord r = find(workerId);
        BoundPolicy p = policies.current();
        if (r == null) {
            return judge.unknown(workerId, p);
        }
        return judge.judge(r, p, clock.instant()).eligibility();
    }

    // ---------------------------------------------------------------- the network (see NetworkView)

    public NetworkView networkView() {
        return network;
    }

    /**
     * The network figures policies compare a worker with: those of the latest network health scan, refreshed as
     * network health is (reading them may start a refresh).
     */
    public NetworkStatistics network() {
        return network.statistics();
    }

    /** Network health with bounded staleness, and the store's state read live. */
    public NetworkHealth networkHealth() {
        return network.health(storeHealth());
    }

    /**
     * Sets the network-wide job totals to the sums over every stored worker, and forgets the cached network health:
     * after the store was changed wholesale (an import).
     */
    public void recountJobTotals() {
        replay.recountJobTotals();
    }

    public long jobsCompleted() {
        return network.jobsCompleted();
    }

    public long jobsFailed() {
        return network.jobsFailed();
    }
}
