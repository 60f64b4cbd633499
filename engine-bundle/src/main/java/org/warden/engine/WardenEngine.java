package org.warden.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.warden.api.WardenEvents;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.support.ConfigurationRefusals;
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
        ConfigurationStatus, EngineInsight {

    public static final String PID = EngineInsight.PID;
    /** The shadow reference's default target: matches no policy, so none runs in shadow until one is named. */
    public static final String NO_SHADOW = "(warden.policy.name=__no_shadow__)";
    private static final Logger LOG = LoggerFactory.getLogger(WardenEngine.class);

    private final EventAdminSink events;
    private final PolicyTracker policies;
    private final WorkerBook book;
    private final SelectionRanker ranker;
    private final SnapshotBook snapshots;
    private final ShadowBinding shadow;
    /** Whether the configuration on file is refused: the health check WARNs while it is. */
    private final ConfigurationRefusals refusals;
    /** The {@link EngineInsight} service for the engine's own shell commands, while the component is active. */
    private volatile ServiceRegistration<EngineInsight> insight;

    /**
     * For OSGi: settings from Config Admin (an invalid configuration is refused, and the last accepted settings or
     * the defaults apply), and the durable store, which restores the record into memory before the engine serves
     * anything.
     */
    @Activate
    public WardenEngine(EngineConfig config, @Reference(name = "store") WardenStore store, BundleContext context) {
        this(EngineConfigReader.read(config));
        useStore(store);
        // a registration of its own, not one more objectClass of the API services: a framework hides a service from
        // a bundle that sees another copy of any of its classes, and the engine-internal one must never hide the API
        insight = context.registerService(EngineInsight.class, this, null);
    }

    @Deactivate
    void deactivate() {
        ServiceRegistration<EngineInsight> r = insight;
        insight = null;
        if (r != null) {
            r.unregister();
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

    /** Activation's settings, and its refusal kept for {@link #refusals()} (a constructor: this() must come first). */
    private WardenEngine(EngineConfigReader.Reading reading) {
        this(Clock.systemUTC(), new InMemoryWorkerStore(), reading.settings(), EventSink.NONE);
        if (reading.refusal() != null) {
            refusals.refused(reading.refusal(), reading.inForce());
        }
    }

    /** For plain Java use: bind a policy with {@link #bindPolicy(WardenPolicy, Map)}. */
    public WardenEngine(Clock clock, WorkerStore store, EngineSettings settings, EventSink events) {
        this.events = new EventAdminSink(events);
        this.policies = new PolicyTracker(this::policyChanged);
        this.book = new WorkerBook(clock, store, policies, this.events, settings);
        this.ranker = new SelectionRanker(book);
        this.snapshots = new SnapshotBook(book);
        this.shadow = new ShadowBinding(book);
        this.refusals = new ConfigurationRefusals(PID, clock);
        book.guard().configure(settings);
    }

    @Modified
    void modified(EngineConfig config) {
        try {
            EngineSettings settings = EngineConfigReader.settingsOf(config);
            book.setSettings(settings);
            book.guard().configure(settings);
            shadow.configure(settings);
            LastAcceptedSettings.inKarafData().save(config);
            refusals.accepted();
            LOG.info("Warden engine configuration updated");
        } catch (IllegalArgumentException e) {
            // with no refusal in force, the settings in force came from the last accepted configuration
            refusals.refused(e.getMessage(), "the settings last accepted");
            LOG.error("Refused the Warden engine configuration ({}): {}; the previous configuration stays in force",
                    PID, e.getMessage());
        }
    }

    /** The engine's configuration refused while it is on file (see {@link ConfigurationRefusals}). */
    @Override
    public List<ConfigurationRefusal> refusals() {
        return refusals.refusals();
    }

    // ---------------------------------------------------------------- references

    @Reference(name = "policy", service = WardenPolicy.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
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
     * The policy run in shadow (see {@link ShadowMonitor}): chosen by the configuration's {@code shadow.target},
     * none by default. Binding a shadow (or another one) starts a new monitor, so its counters start again.
     */
    @Reference(name = "shadow", service = WardenPolicy.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = NO_SHADOW,
            unbind = "unbindShadow", updated = "updatedShadow")
    public void bindShadow(WardenPolicy policy, Map<String, Object> properties) {
        shadow.bind(policy, properties);
    }

    public void unbindShadow(WardenPolicy policy) {
        shadow.unbind(policy);
    }

    public void updatedShadow(WardenPolicy policy, Map<String, Object> properties) {
        shadow.updated(policy, properties);
    }

    /** What the shadow policy would have done differently, or empty when none runs (for the shell). */
    @Override
    public Optional<ShadowMonitor.Report> shadowReport() {
        return shadow.report();
    }

    /** The shadow policy's monitor, or {@code null} when none runs (tests, simulator). */
    public ShadowMonitor shadowMonitor() {
        return shadow.monitor();
    }

    private void policyChanged(BoundPolicy previous, BoundPolicy next) {
        book.invalidateNetworkHealth();
        if (next.isFallback()) {
            LOG.warn("No Warden policy service is available: the built-in fallback policy answers (no automatic bans) "
                    + "until one is installed");
        } else {
            LOG.info("Warden policy in force: {} (was {})", next.name(), previous.name());
        }
        events.post(WardenEvents.TOPIC_POLICY_CHANGED,
                Map.of(WardenEvents.POLICY_NAME, next.name(), WardenEvents.POLICY_PREVIOUS, previous.name()));
    }

    /** The policy in force (name and service), for the shell and tests. */
    public BoundPolicy policy() {
        return policies.current();
    }

    @Override
    public String policyInForce() {
        return policies.current().name();
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

    /**
     * Ranks as {@link #rank} does, for {@code warden:explain} (engine-internal, not API): records nothing, so the
     * shadow policy's comparison counts only the distributor's auctions.
     */
    @Override
    public List<RankedBid> explain(String jobId, List<Bid> bids) {
        return ranker.explain(jobId, bids);
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
