package org.warden.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.Ban;
import org.warden.api.Bid;
import org.warden.api.Check;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.Eligibility;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.JobOutcome;
import org.warden.api.NetworkHealth;
import org.warden.api.Penalty;
import org.warden.api.PendingBan;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.SnapshotService;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.core.SelectionRanker;
import org.warden.engine.core.ShadowMonitor;
import org.warden.engine.core.SnapshotBook;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.PolicyTracker;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.Journal;
import org.warden.engine.state.WorkerRecord;
import org.warden.engine.state.WorkerStore;
import org.warden.engine.store.WardenStore;
import org.warden.engine.whatif.EngineWhatIf;

/**
 * The Warden engine: one component providing the health, reputation, penalty and selection services over one
 * set of worker statistics, judged by the policy service in force. It is also usable as a plain object (see the
 * public constructor), which is how unit tests and the simulator run it.
 */
// immediate: the engine holds the only copy of the statistics in memory; a delayed component would be
// disposed (and its state lost) whenever the last user released the services.
@Component(name = WardenEngine.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = { HealthService.class, ReputationService.class, PenaltyService.class, SelectionService.class,
                SnapshotService.class, ConfigurationStatus.class })
@Designate(ocd = EngineConfig.class)
public final class WardenEngine
        implements HealthService, ReputationService, PenaltyService, SelectionService, SnapshotService,
        ConfigurationStatus {

    public static final String PID = EngineInsight.PID;
    /**
     * The fixed target of both policy references: every named policy service. Which one judges, and which one runs in
     * shadow, is the engine's choice by its {@code policy} and {@code shadowPolicy} settings (see
     * {@link PolicyTracker}), not a filter handed to SCR: a bad name is refused by Warden like any other value.
     */
    public static final String NAMED_POLICIES = "(" + WardenPolicy.NAME_PROPERTY + "=*)";
    private static final Logger LOG = LoggerFactory.getLogger(WardenEngine.class);

    private final EventAdminSink events;
    private final PolicyTracker policies;
    private final WorkerBook book;
    private final SelectionRanker ranker;
    private final SnapshotBook snapshots;
    /** Which policies judge and run in shadow, by the engine's settings. */
    private final PolicyChoice choice;
    /** Whether the configuration on file is refused: the health check WARNs while it is. */
    private final EngineConfigurationStatus refusals;
    /** What the engine's own shell commands may ask beyond the API (registered as {@link EngineInsight}). */
    private final InsightService insight;
    /** The {@link EngineInsight} and what-if services' registrations, while the component is active. */
    private volatile OwnServices ownServices;

    /**
     * For OSGi: settings from Config Admin (an invalid configuration is refused, and the last accepted settings or
     * the defaults apply), and the durable store, which restores the record into memory before the engine serves
     * anything. The raw {@code properties} are only looked at for keys no longer read (see {@link PolicyNames}).
     */
    @Activate
    public WardenEngine(EngineConfig config, Map<String, Object> properties, @Reference(name = "store") WardenStore store,
            BundleContext context) {
        this(EngineConfigReader.read(config, properties));
        useStore(store);
        ownServices = OwnServices.register(context, insight, new EngineWhatIf(this, () -> policies.candidates().all()));
    }

    @Deactivate
    void deactivate() {
        OwnServices s = ownServices;
        ownServices = null;
        if (s != null) {
            s.unregister();
        }
    }

    /**
     * Makes the engine durable (plain Java use; before it serves anything): restores the store's record into memory
     * and journals every change from now on.
     */
    public void useStore(WardenStore store) {
        book.setStoreHealth(store::health);
        book.expectRestore();
        Journal journal = store.start(book.replay());
        if (journal == Journal.NONE) {
            book.restored(); // a store that journals nothing (memory only) has nothing to restore
        }
        book.setJournal(journal);
        book.invalidateNetworkHealth();
    }

    /** Plain Java, before serving: journals every change into {@code journal} (e.g. a MemoryHistory), no restore. */
    public void useJournal(Journal journal) {
        book.setJournal(journal);
    }

    /** Activation's settings, and its refusal kept for {@link #refusals()} (a constructor: this() must come first). */
    private WardenEngine(EngineConfigReader.Reading reading) {
        this(Clock.systemUTC(), new InMemoryWorkerStore(), reading.settings(), EventSink.NONE);
        if (reading.refusal() != null) {
            refusals.refused(reading.refusal(), reading.inForce());
        }
        choice.use(reading.accepted().names());
    }

    /** For plain Java use: bind a policy with {@link #bindPolicy(WardenPolicy, Map)}. */
    public WardenEngine(Clock clock, WorkerStore store, EngineSettings settings, EventSink events) {
        this.events = new EventAdminSink(events);
        this.policies = new PolicyTracker(this::policyChanged);
        this.book = new WorkerBook(clock, store, policies, this.events, settings);
        this.ranker = new SelectionRanker(book);
        this.snapshots = new SnapshotBook(book);
        this.refusals = new EngineConfigurationStatus(clock);
        this.choice = new PolicyChoice(policies, book, this.events, refusals);
        this.insight = new InsightService(choice, policies, ranker, book);
        book.guard().configure(settings);
    }

    /**
     * A new configuration: checked whole, then applied ({@code properties}, the raw ones, are only looked at for keys
     * no longer read); refused whole, naming the key, with the settings in force kept.
     */
    @Modified
    void modified(EngineConfig config, Map<String, Object> properties) {
        try {
            EngineConfigReader.Accepted accepted = EngineConfigReader.accept(config, properties);
            EngineSettings settings = accepted.settings();
            book.setSettings(settings);
            book.guard().configure(settings);
            choice.configure(settings);
            LastAcceptedSettings.inKarafData().save(config);
            refusals.accepted();
            choice.use(accepted.names());
            LOG.info("Warden engine configuration updated");
        } catch (IllegalArgumentException e) {
            // with no refusal in force, the settings in force came from the last accepted configuration
            refusals.refused(e.getMessage(), "the settings last accepted");
            LOG.error("Refused the Warden engine configuration ({}): {}; the previous configuration stays in force",
                    PID, e.getMessage());
        }
    }

    /** The engine's configuration refused while it is on file (see {@link EngineConfigurationStatus}). */
    @Override
    public List<ConfigurationRefusal> refusals() {
        return refusals.refusals();
    }

    /**
     * For plain Java use (the {@code policy} and {@code shadowPolicy} settings in OSGi): which installed policy
     * judges (empty: the highest-ranked) and which runs in shadow (empty: none). A bad name is refused with an
     * {@link IllegalArgumentException} naming the setting, and nothing changes.
     */
    public void configurePolicies(String policy, String shadowPolicy) {
        choice.use(new PolicyNames(policy, shadowPolicy));
    }

    // ---------------------------------------------------------------- references

    /**
     * Every named policy service (multiple, dynamic, greedy: one installed later is bound at once); the one in force
     * is chosen by {@link PolicyTracker}. Named {@code policies}, not {@code policy}: SCR would read a
     * {@code policy.target} left in a configuration as this reference's target, which is exactly what is retired.
     */
    @Reference(name = "policies", service = WardenPolicy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = NAMED_POLICIES,
            unbind = "unbindPolicy", updated = "updatedPolicy")
    public void bindPolicy(WardenPolicy policy, Map<String, Object> properties) {
        policies.bind(policy, properties);
    }

    public void unbindPolicy(WardenPolicy policy) {
        policies.unbind(policy);
    }

    public void updatedPolicy(WardenPolicy policy, Map<String, Object> properties) {
        policies.updated(policy, properties);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetEventAdmin")
    void setEventAdmin(EventAdmin admin) {
        events.set(admin);
    }

    void unsetEventAdmin(EventAdmin admin) {
        events.unset(admin);
    }

    /**
     * Every named policy service again, for the shadow (see {@link ShadowMonitor}): {@link ShadowBinding} runs the one
     * the {@code shadowPolicy} setting names, none by default. A reference of its own (named so that a
     * {@code shadow.target} left in a configuration is not read by SCR), so the shadow's life does not depend on
     * the enforced policy's.
     */
    @Reference(name = "shadowPolicies", service = WardenPolicy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = NAMED_POLICIES,
            unbind = "unbindShadow", updated = "updatedShadow")
    public void bindShadow(WardenPolicy policy, Map<String, Object> properties) {
        choice.bindShadow(policy, properties);
    }

    public void unbindShadow(WardenPolicy policy) {
        choice.unbindShadow(policy);
    }

    public void updatedShadow(WardenPolicy policy, Map<String, Object> properties) {
        choice.updatedShadow(policy, properties);
    }

    /** The shadow policy's monitor, or {@code null} when none runs (tests, simulator). */
    public ShadowMonitor shadowMonitor() {
        return choice.shadowMonitor();
    }

    /** A method, not a lambda: the tracker is made before the choice it reports to. */
    private void policyChanged(PolicyTracker.Change change) {
        choice.policyChanged(change);
    }

    /** The policy in force (name and service), for the shell and tests. */
    public BoundPolicy policy() {
        return policies.current();
    }

    /** A what-if replay's engine (plain Java): logs no change of its policy, which is not the live engine's. */
    public void quiet() {
        choice.quiet();
    }

    /** What {@link EngineInsight} answers (the shell's commands get it as a service), for plain Java use and tests. */
    public EngineInsight insight() {
        return insight;
    }

    /** The engine's core, for in-process tools (shell commands, simulator). */
    public WorkerBook book() {
        return book;
    }

    // ---------------------------------------------------------------- HealthService

    @Override
    public WorkerHealth reportHealth(String workerId, HealthMetrics metrics) {
        return book.reportHealth(workerId, metrics);
    }

    @Override
    public Optional<WorkerHealth> health(String workerId) {
        WorkerRecord r = book.find(workerId);
        return r == null ? Optional.empty() : Optional.of(book.health(r, policies.current(), book.clock().instant()));
    }

    @Override
    public NetworkHealth networkHealth() {
        return book.networkHealth();
    }

    /** The network figures policies judge workers against (may start a refresh). */
    public org.warden.api.policy.NetworkStatistics networkStatistics() {
        return book.network();
    }

    // ---------------------------------------------------------------- ReputationService

    @Override
    public WorkerReputation recordOutcome(JobOutcome outcome) {
        return book.recordOutcome(outcome);
    }

    @Override
    public Optional<WorkerReputation> reputation(String workerId) {
        WorkerRecord r = book.find(workerId);
        return r == null ? Optional.empty() : Optional.of(book.reputation(r, policies.current(), book.clock().instant()));
    }

    @Override
    public Eligibility eligibility(String workerId) {
        return book.eligibility(workerId);
    }

    @Override
    public List<String> workerIds() {
        return book.workerIds();
    }

    // ---------------------------------------------------------------- PenaltyService

    @Override
    public Penalty applyPenalty(String workerId, PenaltyType type, double severity, String reason, String jobId) {
        // + 0.0 turns a severity of -0.0 (in [0, 1] for Check) into 0, so it is not kept and shown as -0.000
        return book.applyPenalty(workerId, type, severity + 0.0, reason, jobId);
    }

    @Override
    public WorkerReputation reportMalicious(String workerId, String reason) {
        return book.reportMalicious(workerId, reason);
    }

    @Override
    public Ban ban(String workerId, String reason, Duration duration) {
        // checked here, before the book: a ban must end at a time an Instant and every store can hold
        Check.banDuration("duration", duration);
        return book.ban(workerId, reason, duration);
    }

    @Override
    public Optional<Ban> unban(String workerId, String reason) {
        return book.unban(workerId, reason);
    }

    @Override
    public List<PendingBan> pendingBans() {
        return book.pendingBans();
    }

    @Override
    public Optional<Ban> confirmPendingBan(String workerId, String reason) {
        return book.confirmPendingBan(workerId, reason);
    }

    @Override
    public boolean dismissPendingBan(String workerId, String reason) {
        return book.dismissPendingBan(workerId, reason);
    }

    @Override
    public List<Penalty> penalties(String workerId) {
        return book.require(workerId).recentPenalties();
    }

    @Override
    public List<Ban> bans(String workerId) {
        return book.require(workerId).bans();
    }

    // ---------------------------------------------------------------- SelectionService

    @Override
    public List<RankedBid> rank(String jobId, List<Bid> bids) {
        return ranker.rank(jobId, bids);
    }

    // ---------------------------------------------------------------- SnapshotService

    @Override
    public Snapshot export() {
        return snapshots.export();
    }

    @Override
    public int importSnapshot(Snapshot snapshot, ImportMode mode) {
        int imported = snapshots.importSnapshot(snapshot, mode);
        LOG.info("Imported {} workers ({}); Warden now knows {} workers", imported,
                mode.name().toLowerCase(Locale.ROOT), book.store().size());
        return imported;
    }
}
