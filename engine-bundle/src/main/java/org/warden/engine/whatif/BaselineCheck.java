package org.warden.engine.whatif;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.warden.engine.WardenEngine;
import org.warden.engine.core.Judge;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.state.WorkerRecord;

/**
 * The baseline side against the live engine, both judged at the same instant by their own policy: a worker whose
 * reputation differs (beyond {@link #TOLERANCE}), whose ban in force differs, or whose eligibility differs, or that
 * one knows and the other does not, is a mismatch. None when the history is complete and the replay faithful; the
 * live engine is only read.
 */
final class BaselineCheck {

    /** Reputations equal within this are equal (the same arithmetic in the same order gives the same bits). */
    static final double TOLERANCE = 1e-9;

    private BaselineCheck() {
    }

    static long mismatches(ReplaySide baseline, WardenEngine live, Instant at) {
        baseline.at(at);
        WorkerBook base = baseline.engine().book();
        WorkerBook real = live.book();
        Set<String> ids = new TreeSet<>(live.workerIds());
        ids.addAll(baseline.engine().workerIds());
        long mismatches = 0;
        for (String id : ids) {
            WorkerRecord b = base.find(id);
            WorkerRecord l = real.find(id);
            if (b == null || l == null) {
                mismatches++;
                continue;
            }
            Judge.Judgement jb = base.judge(b, base.policy(), at);
            Judge.Judgement jl = real.judge(l, real.policy(), at);
            boolean same = Math.abs(jb.reputation().score() - jl.reputation().score()) <= TOLERANCE
                    && Objects.equals(jb.reputation().ban(), jl.reputation().ban())
                    && jb.eligibility().eligible() == jl.eligibility().eligible();
            if (!same) {
                mismatches++;
            }
        }
        return mismatches;
    }
}
