package org.warden.engine.core;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.warden.api.NetworkHealth;
import org.warden.api.StoreHealth;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.policy.PolicyTracker;

/**
 * The network as a whole: network health with bounded staleness (the {@link NetworkHealthCache} over a
 * {@link NetworkHealthScan}), the network statistics policies compare a worker with (those of the latest scan),
 * and the network-wide job totals (running sums, so network health needs no scan for them). Changes when what the
 * engine knows of the network, or how fresh it is, changes.
 */
public final class NetworkView {

    /**
     * What a decision about one worker is taken against: the network statistics the policy is shown, and the active
     * workers the ban budget is a share of, both from the same scan.
     */
    public record Figures(NetworkStatistics statistics, long activeWorkers) {
    }

    private final java.time.Clock clock;
    private final PolicyTracker policies;
    private final Supplier<EngineSettings> settings;
    private final NetworkHealthCache cache = new NetworkHealthCache();
    private final NetworkHealthScan scan;
    private volatile NetworkStatistics statistics = NetworkStatistics.EMPTY;
    /** Active workers in the figures the latest decision was taken against: what the ban budget was a share of. */
    private volatile long budgetActiveWorkers;
    private final LongAdder jobsCompleted = new LongAdder();
    private final LongAdder jobsFailed = new LongAdder();

    NetworkView(java.time.Clock clock, PolicyTracker policies, Supplier<EngineSettings> settings,
            NetworkHealthScan scan) {
        this.clock = clock;
        this.policies = policies;
        this.settings = settings;
        this.scan = scan;
        stuckAfter(settings.get());
    }

    /** Follows a change of settings: a background scan is deemed stuck after twice the policy call budget. */
    void stuckAfter(EngineSettings s) {
        cache.stuckAfter(s.policyCallBudget().multipliedBy(2));
    }

    /** Forgets the cached network health (it is refreshed on the next read), e.g. because the policy changed. */
    public void invalidate() {
        cache.invalidate();
    }

    /**
     * The figures a decision about one worker is taken against, read before the decision (reading them may start
     * a refresh). The active count is remembered as the ban budget's base ({@link #budgetActiveWorkers()}).
     */
    public Figures figures() {
        NetworkHealth h = cached();
        Figures f = new Figures(statistics, h.activeWorkers());
        budgetActiveWorkers = f.activeWorkers();
        return f;
    }

    /**
     * The network figures policies compare a worker with: those of the latest network health scan, refreshed as
     * network health is (reading them may start a refresh).
     */
    public NetworkStatistics statistics() {
        cached();
        return statistics;
    }

    /** The figures of the latest scan as they are, starting no refresh (for judging inside a scan). */
    NetworkStatistics lastStatistics() {
        return statistics;
    }

    /** Active workers in the figures of the latest decision: what the ban budget was computed from. */
    public long budgetActiveWorkers() {
        return budgetActiveWorkers;
    }

    /**
     * Network health with bounded staleness (see {@link NetworkHealthCache}), with the store's state read live: an
     * operator must see an outage at once.
     */
    public NetworkHealth health(StoreHealth store) {
        NetworkHealth h = cached();
        if (store.equals(h.store())) {
            return h;
        }
        return new NetworkHealth(h.totalWorkers(), h.activeWorkers(), h.healthyWorkers(), h.bannedWorkers(),
                h.averageReputation(), h.successRate(), h.averageResponseTimeMs(), h.healthScore(), h.policyName(),
                h.fallbackActive(), h.policyFaults(), h.computedAt(), h.pendingBans(), h.shadowPolicyName(), store);
    }

    /** The figures of the last scan, without the store's live state: what the hot path reads. */
    private NetworkHealth cached() {
        return cache.get(clock.instant(), policies.current(), settings.get().networkHealthMaxAge(), this::scan);
    }

    private NetworkHealth scan(Instant now) {
        NetworkHealthScan.Result r = scan.scan(now);
        statistics = r.statistics();
        return r.health();
    }

    // ---------------------------------------------------------------- job totals

    /** Counts one job outcome in the network-wide totals. */
    void countOutcome(boolean success) {
        (success ? jobsCompleted : jobsFailed).increment();
    }

    /** Adds what a replayed change did to the totals. */
    void addTotals(long completed, long failed) {
        jobsCompleted.add(completed);
        jobsFailed.add(failed);
    }

    /** Sets the totals (after a recount over every worker) and forgets the cached network health. */
    void resetTotals(long completed, long failed) {
        jobsCompleted.reset();
        jobsCompleted.add(completed);
        jobsFailed.reset();
        jobsFailed.add(failed);
        invalidate();
    }

    public long jobsCompleted() {
        return jobsCompleted.sum();
    }

    public long jobsFailed() {
        return jobsFailed.sum();
    }
}
