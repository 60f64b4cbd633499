package org.warden.engine.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.warden.api.Ban;
import org.warden.api.Check;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.Penalty;
import org.warden.api.PendingBan;
import org.warden.api.PenaltyType;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.BanDecision;
import org.warden.engine.policy.BanDurations;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.GuardedPolicy;
import org.warden.engine.policy.PolicyTracker;
import org.warden.engine.state.Change;
import org.warden.engine.state.WorkerRecord;

/**
 * Every write the services offer (health reports, outcomes, penalties, malicious reports, bans, unbans, the
 * operator's answer to a pending ban), each made through the one journaled update path ({@link WorkerUpdates}),
 * with the policy's automatic-ban rule asked outside any lock and the ban budget applied. Changes when what a write
 * does changes.
 */
final class WorkerWrites {

    private final Clock clock;
    private final WorkerUpdates updates;
    private final PolicyTracker policies;
    private final GuardedPolicy guard;
    private final Judge judge;
    private final NetworkView network;
    private final PendingBans pending;
    private final BanBudget banBudget;
    private final BookEvents events;
    private final Supplier<EngineSettings> settings;
    private final Supplier<Change.Limits> limits;
    private final Supplier<ShadowHook> shadow;
    /** The worker's record, or an {@link IllegalArgumentException} for an unknown or invalid id. */
    private final Function<String, WorkerRecord> require;

    WorkerWrites(Clock clock, WorkerUpdates updates, PolicyTracker policies, GuardedPolicy guard, Judge judge,
            NetworkView network, PendingBans pending, BanBudget banBudget, BookEvents events,
            Supplier<EngineSettings> settings, Supplier<Change.Limits> limits, Supplier<ShadowHook> shadow,
            Function<String, WorkerRecord> require) {
        this.clock = clock;
        this.updates = updates;
        this.policies = policies;
        this.guard = guard;
        this.judge = judge;
        this.network = network;
        this.pending = pending;
        this.banBudget = banBudget;
        this.events = events;
        this.settings = settings;
        this.limits = limits;
        this.shadow = shadow;
        this.require = require;
    }

    WorkerHealth reportHealth(String workerId, HealthMetrics metrics) {
        Check.id("workerId", workerId);
        Check.notNull("metrics", metrics);
        Instant now = clock.instant();
        WorkerRecord after = updates.commit(new Change.Health(workerId, metrics, now), false);
        return judge.health(after, policies.current(), now);
    }

    WorkerReputation recordOutcome(JobOutcome o) {
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
            NetworkView.Figures figures = network.figures();
            a = updates.apply(change, false, autoBanRule(p, figures, now), banGate(figures, now));
            shadowSaw(a, figures, now);
        }
        network.countOutcome(o.success());
        afterAutoBan(a);
        a.receipt().await();
        return judge.reputation(a.after(), p, now);
    }

    Penalty applyPenalty(String workerId, PenaltyType type, double severity, String reason, String jobId) {
        Instant now = clock.instant();
        Penalty penalty = new Penalty(workerId, type, severity, reason, jobId, now);
        penalize(penalty, false);
        return penalty;
    }

    WorkerReputation reportMalicious(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Instant now = clock.instant();
        BoundPolicy p = policies.current();
        double severity = guard.defaultSeverity(p, PenaltyType.MALICIOUS_BEHAVIOR);
        WorkerRecord r = penalize(new Penalty(workerId, PenaltyType.MALICIOUS_BEHAVIOR, severity, reason, null, now), true);
        return judge.reputation(r, p, now);
    }

    /** Records the penalty and applies the policy's auto-ban rule to the record it makes. */
    private WorkerRecord penalize(Penalty penalty, boolean malicious) {
        Instant now = penalty.at();
        BoundPolicy p = policies.current();
        NetworkView.Figures figures = network.figures();
        WorkerUpdates.Applied a = updates.apply(new Change.PenaltyChange(penalty, malicious), true,
                autoBanRule(p, figures, now), banGate(figures, now));
        shadowSaw(a, figures, now);
        try {
            a.receipt().await();
        } catch (RuntimeException e) {
            // not committed in time, but applied and queued: the ban it caused is in force, a held one must wait
            afterAutoBan(a);
            throw e;
        }
        events.penalized(penalty);
        afterAutoBan(a);
        return a.after();
    }

    /** After an update that applied the auto-ban rule: records and announces the ban imposed or held back. */
    private void afterAutoBan(WorkerUpdates.Applied a) {
        Ban imposed = a.imposed();
        if (imposed != null) {
            pending.remove(imposed.workerId());
            banned(imposed);
        }
        PendingBan held = a.held();
        if (held != null) {
            // one pending ban per worker, the newest; announced once, not on each further failure of the same worker
            if (pending.hold(held)) {
                events.banPending(held);
            }
            network.invalidate();
        }
    }

    /**
     * The policy's auto-ban rule, asked about a private copy of the worker's record with the change applied, with no
     * lock held (see {@link WorkerUpdates}). The decision comes validated from the guard; the ban and the pending
     * ban it would make are built here, before the update takes a budget unit for one of them, so nothing can fail
     * after the unit is taken.
     */
    private WorkerUpdates.Decider autoBanRule(BoundPolicy p, NetworkView.Figures figures, Instant now) {
        int banHistorySize = limits.get().banHistorySize();
        return next -> {
            next.endExpiredBan(now, banHistorySize);
            if (next.banInForce(now) != null) {
                return WorkerUpdates.Decision.NOT_ASKED;
            }
            WorkerRecord view = next.decayedTo(now);
            Optional<BanDecision> decision = guard.autoBan(p, view, figures.statistics(), now);
            if (decision.isEmpty()) {
                return WorkerUpdates.Decision.noBan(view);
            }
            BanDecision d = decision.get();
            Ban ban = new Ban(next.workerId(), d.reason(), true, now, BanDurations.until(now, d.duration()), null, null);
            return new WorkerUpdates.Decision(true, view, ban,
                    new PendingBan(next.workerId(), d.reason(), d.duration(), now, p.name()));
        };
    }

    /**
     * The ban budget for an automatic ban decided at {@code now}, a share of the active workers in the figures the
     * decision was taken against; atomic across workers (see {@link BanBudget}).
     */
    private WorkerUpdates.BanGate banGate(NetworkView.Figures figures, Instant now) {
        EngineSettings s = settings.get();
        return new WorkerUpdates.BanGate() {
            @Override
            public boolean tryTake() {
                return banBudget.tryTake(now, figures.activeWorkers(), s.banBudgetShare(), s.banBudgetWindow());
            }

            @Override
            public void giveBack() {
                banBudget.giveBack(now);
            }
        };
    }

    /** Tells the shadow policy what the policy in force decided, once the decision was applied (no lock held). */
    private void shadowSaw(WorkerUpdates.Applied a, NetworkView.Figures figures, Instant now) {
        WorkerUpdates.Decision d = a.decision();
        if (d != null && d.asked()) {
            shadow.get().autoBanDecided(d.view(), figures.statistics(), now, d.ban() != null);
        }
    }

    /**
     * Imposes the worker's pending ban, now, for the duration the policy asked; an operator's decision, so it is not
     * automatic and does not use the budget. Empty if the worker has none pending.
     */
    Optional<Ban> confirmPendingBan(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        require.apply(workerId);
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
            updates.commit(new Change.BanChange(ban), true);
        } catch (RuntimeException e) {
            // not imposed (the store refused it, or the ban could not be made): it still waits for an operator
            pending.restore(pb);
            throw e;
        }
        banned(ban);
        return Optional.of(ban);
    }

    /** Drops the worker's pending ban; {@code false} if it has none pending. */
    boolean dismissPendingBan(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        require.apply(workerId);
        if (pending.remove(workerId) == null) {
            return false;
        }
        network.invalidate();
        return true;
    }

    Ban ban(String workerId, String reason, Duration duration) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Instant now = clock.instant();
        Ban ban = new Ban(workerId, reason, false, now, BanDurations.until(now, duration), null, null);
        updates.commit(new Change.BanChange(ban), true);
        // an operator's ban settles any automatic ban the budget held back for this worker
        pending.remove(workerId);
        banned(ban);
        return ban;
    }

    Optional<Ban> unban(String workerId, String reason) {
        Check.id("workerId", workerId);
        Check.reason("reason", reason);
        Instant now = clock.instant();
        WorkerUpdates.Applied a = updates.apply(new Change.Unban(workerId, reason, now), true, null, null);
        // journaled even when no ban was in force: it may have moved an expired ban to the history
        a.receipt().await();
        Ban lifted = a.before().banInForce(now) != null ? a.after().bans().get(0) : null;
        if (lifted != null) {
            events.unbanned(workerId, reason);
            network.invalidate();
        }
        return Optional.ofNullable(lifted);
    }

    private void banned(Ban ban) {
        events.banned(ban);
        network.invalidate();
    }
}
