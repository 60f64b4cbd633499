package org.warden.engine.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.warden.api.Ban;
import org.warden.api.Eligibility;
import org.warden.api.ScoreBreakdown;
import org.warden.api.StoreHealth;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.GuardedPolicy;
import org.warden.engine.state.WorkerRecord;

/**
 * A worker's record judged by a policy (through the guard) at an instant: reputation, health, activity and
 * eligibility, with the texts that say why a worker is not eligible. Reads only; changes when what is judged,
 * or how it is explained, changes.
 */
public final class Judge {

    private final GuardedPolicy guard;
    private final Supplier<EngineSettings> settings;
    private final RestoreState restore;
    /** The durable store's state as reported by the store (not as shown: see {@link RestoreState}). */
    private final Supplier<StoreHealth> storeHealth;
    private final Supplier<NetworkStatistics> network;

    Judge(GuardedPolicy guard, Supplier<EngineSettings> settings, RestoreState restore,
            Supplier<StoreHealth> storeHealth, Supplier<NetworkStatistics> network) {
        this.guard = guard;
        this.settings = settings;
        this.restore = restore;
        this.storeHealth = storeHealth;
        this.network = network;
    }

    /** A worker judged by the policy at {@code now}: reputation, health and eligibility computed once. */
    public record Judgement(WorkerReputation reputation, WorkerHealth health, Eligibility eligibility) {
    }

    public WorkerReputation reputation(WorkerRecord stored, BoundPolicy p, Instant now) {
        WorkerRecord r = stored.decayedTo(now);
        ScoreBreakdown b = guard.reputation(p, r, network.get(), now);
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
        return !r.lastSeen().isBefore(now.minus(settings.get().activityWindow()));
    }

    private boolean reportedRecently(WorkerRecord r, Instant now) {
        return r.lastHealthAt() != null && !r.lastHealthAt().isBefore(now.minus(settings.get().activityWindow()));
    }

    public Judgement judge(WorkerRecord r, BoundPolicy p, Instant now) {
        double threshold = guard.eligibilityThreshold(p);
        WorkerReputation rep = reputation(r, p, now);
        WorkerHealth h = health(r, p, now);
        String why = whyNot(rep, h, threshold, p, now);
        return new Judgement(rep, h, new Eligibility(r.workerId(), why == null, rep.score(), threshold,
                why == null ? "eligible" : why));
    }

    /** The eligibility of a worker the engine does not know. */
    Eligibility unknown(String workerId, BoundPolicy p) {
        return new Eligibility(workerId, false, 0, guard.eligibilityThreshold(p), "unknown worker");
    }

    /** Why the worker is not eligible, or {@code null} if it is. */
    private String whyNot(WorkerReputation rep, WorkerHealth h, double threshold, BoundPolicy p, Instant now) {
        EngineSettings s = settings.get();
        String none = restore.whyNoneEligible(storeHealth.get(), s);
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
        if (h.lastReport().isBefore(now.minus(s.activityWindow()))) {
            return "no health report within the last " + s.activityWindow().toSeconds() + " s";
        }
        if (!h.healthy()) {
            return String.format(Locale.ROOT, "unhealthy: health %.4f is below %.4f", h.score(), guard.healthyThreshold(p));
        }
        return null;
    }
}
