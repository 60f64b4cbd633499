package org.warden.engine.core;

import java.time.Instant;

import org.warden.api.Ban;
import org.warden.api.NetworkHealth;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.state.WorkerRecord;

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
        long withVolume;
        double rateMean;
        double rateM2;
    }

    public NetworkHealth compute(Instant now) {
        BoundPolicy p = book.policy();
        double minVolume = book.settings().networkMinVolume();
        Totals t = new Totals();
        book.store().forEach(stored -> {
            WorkerRecord r = stored.decayedTo(now);
            t.total++;
            double s = r.decayedSuccesses(Horizon.DAY);
            double judged = s + r.decayedFailures(Horizon.DAY);
            if (judged > 0 && judged >= minVolume) {
                // Welford: mean and variance of the last-day success rates, in one pass
                double rate = s / judged;
                t.withVolume++;
                double delta = rate - t.rateMean;
                t.rateMean += delta / t.withVolume;
                t.rateM2 += delta * (rate - t.rateMean);
            }
            Ban ban = r.banInForce(now);
            if (ban != null) {
                t.banned++;
            } else {
                t.reputationSum += book.reputation(stored, p, now).score();
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
        book.networkStatistics(new NetworkStatistics(t.total, t.withVolume, t.rateMean,
                t.withVolume == 0 ? 0 : Math.sqrt(t.rateM2 / t.withVolume), minVolume, now));
        long completed = book.jobsCompleted();
        long judged = completed + book.jobsFailed();
        double successRate = judged == 0 ? 0 : (double) completed / judged;
        double averageReputation = t.reputationCount == 0 ? 0 : t.reputationSum / t.reputationCount;
        double healthyShare = t.active == 0 ? 0 : (double) t.healthy / t.active;
        double score = 0.4 * healthyShare + 0.3 * successRate + 0.3 * averageReputation;
        return new NetworkHealth(t.total, t.active, t.healthy, t.banned, averageReputation, successRate,
                t.responseTimeCount == 0 ? 0 : t.responseTimeSum / t.responseTimeCount, score, p.name(), p.isFallback(),
                book.guard().faults(), now, book.pendingBanCount(), book.shadow().shadowPolicyName(), book.storeHealth());
    }
}
