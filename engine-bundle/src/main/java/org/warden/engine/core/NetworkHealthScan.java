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
 * however often network health is read (and once after each ban); job totals come from running sums.
 *
 * <p>The store keeps every identity ever seen, and most of those a long-lived network accumulates are banned and
 * gone (a whitewasher leaves a banned identity behind each time it comes back under a new one). Such a record
 * &mdash; a ban in force and not active ({@link WorkerBook#isActive}) &mdash; costs O(1): it counts among the
 * workers and the banned ones, its last-day success rate counts in the {@link NetworkStatistics} as every
 * worker's does (brought to now by {@link WorkerRecord#decayFactor}, exactly the value a decayed copy would
 * hold), and it is neither copied, nor judged for reputation (no banned worker is: the average reputation is
 * that of the workers not banned), nor for health (only active workers are). So the figures are exactly those
 * of a full pass. A worker banned but still active (it keeps reporting health) is judged for health as any
 * active worker.
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

        /** Counts a worker's last-day rate if it has the volume (Welford: mean and variance in one pass). */
        void countRate(double successes, double failures, double minVolume) {
            double judged = successes + failures;
            if (judged > 0 && judged >= minVolume) {
                double rate = successes / judged;
                withVolume++;
                double delta = rate - rateMean;
                rateMean += delta / withVolume;
                rateM2 += delta * (rate - rateMean);
            }
        }
    }

    /** What a scan found: network health, and the network statistics policies compare a worker with. */
    public record Result(NetworkHealth health, NetworkStatistics statistics) {
    }

    /** Network health now (the statistics found with it are dropped: for benchmarks). */
    public NetworkHealth compute(Instant now) {
        return scan(now).health();
    }

    /** One pass over every worker. */
    public Result scan(Instant now) {
        BoundPolicy p = book.policy();
        double minVolume = book.settings().networkMinVolume();
        // the judge itself, not the book's delegates: this loop runs over every worker
        Judge judge = book.judge();
        Totals t = new Totals();
        book.store().forEach(stored -> {
            t.total++;
            if (stored.banInForce(now) != null && !judge.isActive(stored, now)) {
                // banned and gone: O(1), no copy, no policy call (see the class comment)
                t.banned++;
                double f = stored.decayFactor(Horizon.DAY, now);
                t.countRate(stored.decayedSuccesses(Horizon.DAY) * f, stored.decayedFailures(Horizon.DAY) * f,
                        minVolume);
                return;
            }
            WorkerRecord r = stored.decayedTo(now);
            t.countRate(r.decayedSuccesses(Horizon.DAY), r.decayedFailures(Horizon.DAY), minVolume);
            Ban ban = r.banInForce(now);
            if (ban != null) {
                t.banned++;
            } else {
                // r is already decayed to now: reputation does not copy it again
                t.reputationSum += judge.reputation(r, p, now).score();
                t.reputationCount++;
            }
            if (judge.isActive(r, now)) {
                t.active++;
                if (r.lastHealth() != null) {
                    t.responseTimeSum += r.lastHealth().responseTimeMs();
                    t.responseTimeCount++;
                    if (judge.health(r, p, now).healthy()) {
                        t.healthy++;
                    }
                }
            }
        });
        NetworkStatistics statistics = new NetworkStatistics(t.total, t.withVolume, t.rateMean,
                t.withVolume == 0 ? 0 : Math.sqrt(t.rateM2 / t.withVolume), minVolume, now);
        long completed = book.jobsCompleted();
        long judged = completed + book.jobsFailed();
        double successRate = judged == 0 ? 0 : (double) completed / judged;
        double averageReputation = t.reputationCount == 0 ? 0 : t.reputationSum / t.reputationCount;
        double healthyShare = t.active == 0 ? 0 : (double) t.healthy / t.active;
        double score = 0.4 * healthyShare + 0.3 * successRate + 0.3 * averageReputation;
        return new Result(new NetworkHealth(t.total, t.active, t.healthy, t.banned, averageReputation, successRate,
                t.responseTimeCount == 0 ? 0 : t.responseTimeSum / t.responseTimeCount, score, p.name(), p.isFallback(),
                book.guard().faults(), now, book.pendingBanCount(), book.shadow().shadowPolicyName(), book.storeHealth()),
                statistics);
    }
}
