package org.warden.engine.whatif;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

import org.warden.api.Eligibility;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfReport.Distribution;
import org.warden.api.whatif.WhatIfReport.EligibilityChange;
import org.warden.api.whatif.WhatIfReport.ReputationMove;
import org.warden.engine.core.Judge;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.state.WorkerRecord;

/**
 * The two sides at the end of the window, judged at the same instant: whose eligibility differs (with both reasons),
 * how every worker's reputation moved (candidate minus baseline), and the largest movers. Memory: one number per
 * worker, and the lists bounded.
 */
final class EndComparison {

    /** The longest list a report gives. */
    static final int LISTED = WhatIfReport.LISTED;

    /**
     * @param workers            workers known to either side at the end
     * @param eligibilityChanges at most {@link #LISTED}, by worker id
     * @param eligibilityChanged how many workers' eligibility differs, listed or not
     */
    record Result(long workers, List<EligibilityChange> eligibilityChanges, long eligibilityChanged,
            Distribution reputationShift, List<ReputationMove> largestMovers) {
    }

    private EndComparison() {
    }

    static Result compare(ReplaySide baseline, ReplaySide candidate, Instant at) {
        baseline.at(at);
        candidate.at(at);
        Set<String> ids = new TreeSet<>(baseline.engine().workerIds());
        ids.addAll(candidate.engine().workerIds());
        List<EligibilityChange> changes = new ArrayList<>();
        long changed = 0;
        double[] shifts = new double[ids.size()];
        Comparator<ReputationMove> smallestFirst = Comparator
                .comparingDouble((ReputationMove m) -> Math.abs(m.shift()))
                .thenComparing(ReputationMove::workerId, Comparator.reverseOrder());
        PriorityQueue<ReputationMove> movers = new PriorityQueue<>(smallestFirst);
        int n = 0;
        for (String id : ids) {
            Eligibility b = eligibility(baseline, id, at);
            Eligibility c = eligibility(candidate, id, at);
            if (b.eligible() != c.eligible()) {
                if (changes.size() < LISTED) {
                    changes.add(new EligibilityChange(id, b.eligible(), b.reason(), c.eligible(), c.reason()));
                }
                changed++;
            }
            ReputationMove move = new ReputationMove(id, b.reputation(), c.reputation());
            shifts[n++] = move.shift();
            movers.add(move);
            if (movers.size() > WhatIfReport.MOVERS) {
                movers.poll();
            }
        }
        List<ReputationMove> largest = new ArrayList<>(movers);
        largest.sort(smallestFirst.reversed());
        return new Result(ids.size(), changes, changed, distribution(shifts), largest);
    }

    /** The worker judged by the side's policy at {@code at}; "unknown worker" if the side does not know it. */
    private static Eligibility eligibility(ReplaySide side, String id, Instant at) {
        WorkerBook book = side.engine().book();
        WorkerRecord r = book.find(id);
        if (r == null) {
            return side.engine().eligibility(id);
        }
        Judge.Judgement j = book.judge(r, book.policy(), at);
        return j.eligibility();
    }

    /** Count, mean, min, 10th percentile, median, 90th percentile and max (interpolated); all 0 for none. */
    static Distribution distribution(double[] values) {
        if (values.length == 0) {
            return new Distribution(0, 0, 0, 0, 0, 0, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Distribution(sorted.length, sum / sorted.length, sorted[0], quantile(sorted, 0.1),
                quantile(sorted, 0.5), quantile(sorted, 0.9), sorted[sorted.length - 1]);
    }

    private static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
