package org.warden.engine.core;

import java.time.Instant;

import org.warden.api.Ban;
import org.warden.api.NetworkHealth;
import org.warden.engine.policy.BoundPolicy;

/**
 * Computes network health by one pass over every worker, judged by the policy in force. The engine caches the
 * result (see {@link EngineSettings#networkHealthMaxAge()}), so the scan runs at most once per maximum age
 * however often network health is read; job totals come from running sums.
 */
public final class NetworkHealthScan {

    private final WorkerBook book;

    public NetworkHealthScan(WorkerBook book) {
        this.book = book;
    }

    private static final class Totals {
        long total;
        long active;
        long healthy;
        long banned;
        double reputationSum;
        long reputationCount;
        double responseTimeSum;
        long responseTimeCount;
    }

    public NetworkHealth compute(Instant now) {
        BoundPolicy p = book.policy();
        Totals t = new Totals();
        book.store().forEach(r -> {
            t.total++;
            Ban ban = r.banInForce(now);
            if (ban != null) {
                t.banned++;
            } else {
                t.reputationSum += book.guard().reputation(p, r.decayedTo(now), now).score();
                t.reputationCount++;
            }
            if (book.isActive(r, now)) {
                t.active++;
                if (r.lastHealth() != null) {
                    t.responseTimeSum += r.lastHealth().responseTimeMs();
                    t.responseTimeCount++;
                    if (book.health(r, p, now).healthy()) {
                        t.healthy++;
                    }
                }
            }
        });
        long completed = book.jobsCompleted();
        long judged = completed + book.jobsFailed();
        double successRate = judged == 0 ? 0 : (double) completed / judged;
        double averageReputation = t.reputationCount == 0 ? 0 : t.reputationSum / t.reputationCount;
        double healthyShare = t.active == 0 ? 0 : (double) t.healthy / t.active;
        double score = 0.4 * healthyShare + 0.3 * successRate + 0.3 * averageReputation;
        return new NetworkHealth(t.total, t.active, t.healthy, t.banned, averageReputation, successRate,
                t.responseTimeCount == 0 ? 0 : t.responseTimeSum / t.responseTimeCount, score, p.name(), p.isFallback(),
                book.guard().faults(), now);
    }
}
