package org.warden.engine.core;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.warden.api.Bid;
import org.warden.api.Check;
import org.warden.api.RankedBid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.state.Auction;
import org.warden.engine.state.Journal;
import org.warden.engine.state.WorkerRecord;

/**
 * Ranks a job's bids: eligible bidders only, scored by the policy in force (read once per call), best first. The
 * distributor's rankings (not an operator's explain) are kept in the journal's history, for a what-if replay to rank
 * them again under another policy.
 */
public final class SelectionRanker {

    /** More bids than this in one call is a mistake, not an auction. */
    public static final int MAX_BIDS = 100_000;

    private final WorkerBook book;

    public SelectionRanker(WorkerBook book) {
        this.book = book;
    }

    private record Candidate(int order, Bid bid, WorkerRecord stats, double reputation, double health) {
    }

    private record Scored(Candidate candidate, ScoreBreakdown breakdown) {
    }

    /** The distributor's ranking: the shadow policy, if one runs, is told of it and ranks the same bids. */
    public List<RankedBid> rank(String jobId, List<Bid> bids) {
        return rank(jobId, bids, book.shadow(), book.journal());
    }

    /**
     * The same ranking for an operator's {@code warden:explain}, which records nothing: the shadow is not told, so
     * made-up bids move none of its counters (they are what the distributor's real auctions did).
     */
    public List<RankedBid> explain(String jobId, List<Bid> bids) {
        return rank(jobId, bids, ShadowHook.NONE, Journal.NONE);
    }

    /**
     * Ranks; the shadow is told and the auction kept in {@code journal}'s history (for a what-if replay), both with
     * the time the ranking judged at.
     */
    private List<RankedBid> rank(String jobId, List<Bid> bids, ShadowHook shadow, Journal journal) {
        Check.optionalId("jobId", jobId);
        Check.notNull("bids", bids);
        if (bids.size() > MAX_BIDS) {
            throw new IllegalArgumentException("bids: " + bids.size() + " bids, at most " + MAX_BIDS + " allowed");
        }
        Set<String> bidders = new HashSet<>();
        for (int i = 0; i < bids.size(); i++) {
            Bid bid = bids.get(i);
            if (bid == null) {
                throw new IllegalArgumentException("bids[" + i + "] must not be null");
            }
            if (!bidders.add(bid.workerId())) {
                throw new IllegalArgumentException("bids[" + i + "]: worker '" + bid.workerId() + "' bids twice");
            }
        }
        Instant now = book.clock().instant();
        BoundPolicy policy = book.policy();
        book.network(); // keeps the network figures the policy judges against fresh
        List<Candidate> eligible = new ArrayList<>();
        for (int i = 0; i < bids.size(); i++) {
            Bid bid = bids.get(i);
            WorkerRecord r = book.store().get(bid.workerId());
            if (r == null) {
                continue;
            }
            Judge.Judgement j = book.judge(r, policy, now);
            if (j.eligibility().eligible()) {
                eligible.add(new Candidate(i, bid, r.decayedTo(now), j.reputation().score(), j.health().score()));
            }
        }
        if (eligible.isEmpty()) {
            shadow.ranked(jobId, bids, List.of(), now);
            record(journal, jobId, bids, null, now);
            return List.of();
        }
        AuctionContext auction = auction(eligible, jobId);
        List<Scored> scored = new ArrayList<>(eligible.size());
        for (Candidate c : eligible) {
            scored.add(new Scored(c, book.guard().selectionScore(policy, c.bid(), c.stats(), c.reputation(), c.health(), auction)));
        }
        // List.sort is stable: equal scores keep the order of the bids
        scored.sort(Comparator.comparingDouble((Scored s) -> s.breakdown().score()).reversed());
        List<RankedBid> ranked = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            Scored s = scored.get(i);
            ranked.add(new RankedBid(i + 1, s.candidate().bid(), s.breakdown().score(), s.breakdown()));
        }
        List<RankedBid> result = List.copyOf(ranked);
        shadow.ranked(jobId, bids, result, now);
        record(journal, jobId, bids, result.get(0).bid().workerId(), now);
        return result;
    }

    /**
     * Keeps the auction for a what-if replay: the bids as given (validated above, so the auction cannot be refused)
     * and the worker put first. {@link Journal#record} never blocks nor throws; a memory-only engine allocates
     * nothing for it.
     */
    private static void record(Journal journal, String jobId, List<Bid> bids, String chosen, Instant now) {
        if (journal != Journal.NONE) {
            journal.record(new Auction(jobId, bids, chosen, now));
        }
    }

    static AuctionContext auction(List<Candidate> eligible, String jobId) {
        List<Bid> bids = new ArrayList<>(eligible.size());
        for (Candidate c : eligible) {
            bids.add(c.bid());
        }
        return auctionOf(bids, jobId);
    }

    /** The auction the eligible bids (at least one) make: lowest and median amount and completion estimate. */
    static AuctionContext auctionOf(List<Bid> eligible, String jobId) {
        BigInteger[] amounts = new BigInteger[eligible.size()];
        long[] estimates = new long[eligible.size()];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = eligible.get(i).amount();
            estimates[i] = eligible.get(i).estimatedCompletionMs();
        }
        java.util.Arrays.sort(amounts);
        java.util.Arrays.sort(estimates);
        int mid = (amounts.length - 1) / 2;
        return new AuctionContext(amounts.length, amounts[0], amounts[mid], estimates[0], estimates[mid], jobId);
    }
}
