package org.warden.engine.whatif;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfReport.BanDifference;

/**
 * The bans one side imposed in the window and the other did not, collected as they are imposed: each ban of a worker
 * on one side is matched with a ban of the same worker, of the same kind (automatic or an operator's), on the other,
 * in the order they came; what stays unmatched is a difference. A ban imposed at another time, or for another
 * reason, is the same ban: the question is whom each policy bans, not when to the second.
 *
 * <p>Memory: only the unmatched bans are kept, at most {@link #KEPT} in all (beyond that they are counted, not kept),
 * and a worker whose bans all matched is forgotten; the lists are at most {@link #LISTED} long, earliest first.
 */
final class BanDifferences {

    /** The longest list a report gives. */
    static final int LISTED = WhatIfReport.LISTED;
    /** The most unmatched bans kept at once, waiting for a match. */
    static final int KEPT = 10 * LISTED;

    private record Key(String workerId, boolean automatic) {
    }

    /**
     * One worker's unmatched bans of one kind: {@code balance} &gt; 0 the candidate's, &lt; 0 the baseline's; at most
     * {@code |balance|} of them kept.
     */
    private static final class Unmatched {
        int balance;
        final ArrayDeque<BanDifference> kept = new ArrayDeque<>();
    }

    private final Map<Key, Unmatched> unmatched = new HashMap<>();
    private int kept;

    /** A ban the baseline imposed. */
    void baseline(BanDifference ban) {
        imposed(ban, -1);
    }

    /** A ban the candidate imposed. */
    void candidate(BanDifference ban) {
        imposed(ban, +1);
    }

    private void imposed(BanDifference ban, int side) {
        Key key = new Key(ban.workerId(), ban.automatic());
        Unmatched u = unmatched.computeIfAbsent(key, k -> new Unmatched());
        if (u.balance * side < 0) {
            // matches the other side's oldest unmatched ban of this worker
            if (u.kept.pollFirst() != null) {
                kept--;
            }
        } else if (kept < KEPT) {
            u.kept.addLast(ban);
            kept++;
        }
        u.balance += side;
        if (u.balance == 0) {
            unmatched.remove(key);
        }
    }

    /** Bans the candidate imposed and the baseline did not, earliest first, at most {@link #LISTED}. */
    List<BanDifference> added() {
        return listed(+1);
    }

    /** Bans the baseline imposed and the candidate did not, earliest first, at most {@link #LISTED}. */
    List<BanDifference> removed() {
        return listed(-1);
    }

    /** How many bans the candidate imposed that the baseline did not, listed or not. */
    long addedCount() {
        return count(+1);
    }

    /** How many bans the baseline imposed that the candidate did not, listed or not. */
    long removedCount() {
        return count(-1);
    }

    private long count(int side) {
        long n = 0;
        for (Unmatched u : unmatched.values()) {
            if (u.balance * side > 0) {
                n += Math.abs(u.balance);
            }
        }
        return n;
    }

    private List<BanDifference> listed(int side) {
        List<BanDifference> all = new ArrayList<>();
        for (Unmatched u : unmatched.values()) {
            if (u.balance * side > 0) {
                all.addAll(u.kept);
            }
        }
        all.sort(Comparator.comparing(BanDifference::at).thenComparing(BanDifference::workerId));
        return all.size() > LISTED ? List.copyOf(all.subList(0, LISTED)) : List.copyOf(all);
    }
}
