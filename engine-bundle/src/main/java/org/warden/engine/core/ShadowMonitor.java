package org.warden.engine.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.RankedBid;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.GuardedPolicy;
import org.warden.engine.state.WorkerRecord;

/**
 * Runs a second policy in shadow: it judges the same statistics as the policy in force, at the same moments, but
 * nothing it computes is enforced or returned to the distributor. The differences are counted from the moment the
 * shadow was bound (a new monitor is made whenever the shadow changes, so the counters start again).
 *
 * <ul>
 * <li>Bans: each time the policy in force is asked whether to ban a worker (after a failure or penalty), the shadow
 * is asked the same question on the same statistics. The shadow keeps no ban state of its own: every decision is
 * compared on its own, so a worker the shadow would have banned three reports ago counts again on the next one.</li>
 * <li>Rankings: each ranking the policy in force returns is ranked again by the shadow from the same bids
 * (eligibility, reputation, health and selection score all by the shadow, with the bans in force), and the top
 * choices and the rank of each worker in both rankings are compared.</li>
 * </ul>
 *
 * The shadow is called through a {@link GuardedPolicy} of its own: a shadow that throws, returns invalid values or
 * is slow is answered by the fallback (its faults counted apart from the policy in force's), and this monitor never
 * throws. Costs: with a shadow bound, a ranking costs about twice as much; with none, the engine holds
 * {@link ShadowHook#NONE} and pays nothing.
 */
public final class ShadowMonitor implements ShadowHook {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowMonitor.class);

    /** Worker ids kept per kind of ban disagreement. */
    public static final int RECENT_IDS = 10;

    private final WorkerBook book;
    private final BoundPolicy shadow;
    private final GuardedPolicy guard;
    private final Instant since;

    private final LongAdder banDecisionsCompared = new LongAdder();
    private final LongAdder wouldHaveBanned = new LongAdder();
    private final LongAdder wouldNotHaveBanned = new LongAdder();
    private final Deque<String> recentWouldHaveBanned = new ArrayDeque<>();
    private final Deque<String> recentWouldNotHaveBanned = new ArrayDeque<>();
    private final LongAdder rankingsCompared = new LongAdder();
    private final LongAdder topChoiceDisagreements = new LongAdder();
    private final DoubleAdder displacementSum = new DoubleAdder();
    private final LongAdder displacementCount = new LongAdder();
    private final LongAdder errors = new LongAdder();

    public ShadowMonitor(WorkerBook book, BoundPolicy shadow) {
        this.book = book;
        this.shadow = shadow;
        this.guard = new GuardedPolicy(book.clock(), book.settings().faultLogInterval(), "Shadow policy");
        this.guard.configure(book.settings());
        this.since = book.clock().instant();
    }

    /** The shadow's guard: its faults, and the clock its calls are timed with (tests). */
    public GuardedPolicy guard() {
        return guard;
    }

    public BoundPolicy shadow() {
        return shadow;
    }

    @Override
    public String shadowPolicyName() {
        return shadow.name();
    }

    // ---------------------------------------------------------------- bans

    @Override
    public void autoBanDecided(WorkerRecord view, NetworkStatistics network, Instant now, boolean banned) {
        try {
            boolean shadowBans = guard.autoBan(shadow, view, network, now).isPresent();
            banDecisionsCompared.increment();
            if (shadowBans && !banned) {
                wouldHaveBanned.increment();
                remember(recentWouldHaveBanned, view.workerId());
            } else if (!shadowBans && banned) {
                wouldNotHaveBanned.increment();
                remember(recentWouldNotHaveBanned, view.workerId());
            }
        } catch (RuntimeException | LinkageError e) {
            failed(e);
        }
    }

    private static void remember(Deque<String> recent, String workerId) {
        synchronized (recent) {
            recent.remove(workerId); // most recent first, each id once
            recent.addFirst(workerId);
            while (recent.size() > RECENT_IDS) {
                recent.removeLast();
            }
        }
    }

    private static List<String> copy(Deque<String> recent) {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    // ---------------------------------------------------------------- rankings

    private record Candidate(Bid bid, WorkerRecord stats, double reputation, double health) {
    }

    private record Scored(Candidate candidate, double score) {
    }

    @Override
    public void ranked(String jobId, List<Bid> bids, List<RankedBid> ranked, Instant now) {
        try {
            List<String> shadowRanking = rank(jobId, bids, now);
            rankingsCompared.increment();
            String enforcedTop = ranked.isEmpty() ? null : ranked.get(0).bid().workerId();
            String shadowTop = shadowRanking.isEmpty() ? null : shadowRanking.get(0);
            if (enforcedTop == null ? shadowTop != null : !enforcedTop.equals(shadowTop)) {
                topChoiceDisagreements.increment();
            }
            if (!ranked.isEmpty() && !shadowRanking.isEmpty()) {
                Map<String, Integer> shadowRank = new HashMap<>(shadowRanking.size() * 2);
                for (int i = 0; i < shadowRanking.size(); i++) {
                    shadowRank.put(shadowRanking.get(i), i + 1);
                }
                for (RankedBid b : ranked) {
                    Integer other = shadowRank.get(b.bid().workerId());
                    if (other != null) {
                        displacementSum.add(Math.abs(other - b.rank()));
                        displacementCount.increment();
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            failed(e);
        }
    }

    /** The worker ids of the bids the shadow finds eligible, best first by the shadow's selection score. */
    List<String> rank(String jobId, List<Bid> bids, Instant now) {
        NetworkStatistics network = book.network();
        double threshold = guard.eligibilityThreshold(shadow);
        double healthyThreshold = guard.healthyThreshold(shadow);
        Instant recent = now.minus(book.settings().activityWindow());
        List<Candidate> eligible = new ArrayList<>();
        for (Bid bid : bids) {
            WorkerRecord stored = book.store().get(bid.workerId());
            if (stored == null) {
                continue;
            }
            WorkerRecord r = stored.decayedTo(now);
            if (r.banInForce(now) != null) {
                continue; // bans in force bind the shadow too: they are state, not the policy's opinion
            }
            double reputation = guard.reputation(shadow, r, network, now).score();
            if (reputation < threshold) {
                continue;
            }
            HealthMetrics m = r.lastHealth();
            if (m == null || r.lastHealthAt() == null || r.lastHealthAt().isBefore(recent)) {
                continue;
            }
            double health = guard.healthScore(shadow, m).score();
            if (health < healthyThreshold) {
                continue;
            }
            eligible.add(new Candidate(bid, r, reputation, health));
        }
        if (eligible.isEmpty()) {
            return List.of();
        }
        List<Bid> eligibleBids = new ArrayList<>(eligible.size());
        for (Candidate c : eligible) {
            eligibleBids.add(c.bid());
        }
        AuctionContext auction = SelectionRanker.auctionOf(eligibleBids, jobId);
        List<Scored> scored = new ArrayList<>(eligible.size());
        for (Candidate c : eligible) {
            scored.add(new Scored(c, guard.selectionScore(shadow, c.bid(), c.stats(), c.reputation(), c.health(),
                    auction).score()));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed()); // stable, like the ranker
        List<String> ids = new ArrayList<>(scored.size());
        for (Scored s : scored) {
            ids.add(s.candidate().bid().workerId());
        }
        return ids;
    }

    private void failed(Throwable e) {
        errors.increment();
        if (errors.sum() == 1) {
            LOG.warn("Shadow policy '{}': comparing with the policy in force failed; the distributor is not affected, "
                    + "further failures are only counted", shadow.name(), e);
        }
    }

    // ---------------------------------------------------------------- report

    /**
     * What the shadow would have done differently, since it was bound.
     *
     * @param policyName               the shadow policy's name
     * @param since                    when it was bound (the counters start then)
     * @param banDecisionsCompared     automatic-ban decisions of the policy in force the shadow was asked about
     * @param wouldHaveBanned          decisions where the shadow would have banned and the policy in force did not
     * @param recentWouldHaveBanned    the last workers of those, most recent first
     * @param wouldNotHaveBanned       decisions where the policy in force banned and the shadow would not have
     * @param recentWouldNotHaveBanned the last workers of those, most recent first
     * @param rankingsCompared         rankings of the policy in force the shadow ranked too
     * @param topChoiceDisagreements   rankings whose best bid (or none) differs between the two
     * @param meanRankDisplacement     mean |rank in force - rank in shadow| over workers eligible in both
     * @param shadowFaults             shadow calls answered by the fallback because the shadow faulted
     */
    public record Report(String policyName, Instant since, long banDecisionsCompared, long wouldHaveBanned,
            List<String> recentWouldHaveBanned, long wouldNotHaveBanned, List<String> recentWouldNotHaveBanned,
            long rankingsCompared, long topChoiceDisagreements, double meanRankDisplacement, long shadowFaults) {
    }

    public Report report() {
        long n = displacementCount.sum();
        return new Report(shadow.name(), since, banDecisionsCompared.sum(), wouldHaveBanned.sum(),
                copy(recentWouldHaveBanned), wouldNotHaveBanned.sum(), copy(recentWouldNotHaveBanned),
                rankingsCompared.sum(), topChoiceDisagreements.sum(), n == 0 ? 0 : displacementSum.sum() / n,
                guard.faults());
    }
}
