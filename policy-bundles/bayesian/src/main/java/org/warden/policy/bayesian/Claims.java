package org.warden.policy.bayesian;

import org.warden.api.policy.Moments;
import org.warden.api.policy.WorkerStatistics;

/**
 * How far a worker's own claims (its health reports, its completion estimates) can be believed, judged by what was
 * observed of its jobs. Reported health is a claim: a worker that reports perfect health while its jobs run far
 * slower than it estimated, or fail far more often than an acceptable worker's, earns no health weight, and its
 * estimates are corrected by the slowness observed.
 *
 * @param credibility    in [0, 1]: the share of the reported health that counts in the selection score
 * @param estimateFactor &ge; 1: what a completion estimate of this worker is multiplied by before it is scored
 */
record Claims(double credibility, double estimateFactor) {

    /** Nothing observed yet, or nothing that contradicts the claims. */
    static final Claims BELIEVED = new Claims(1, 1);

    /**
     * Credibility = speed × record: speed is 1 while the mean ratio of actual to estimated time is at most 1, falls
     * linearly to 0 at {@code maxRatio}; record is 1 while the failure test's log-likelihood ratio is at most 0 (the
     * record speaks for an acceptable worker), falls linearly to 0 at the test's bound. The estimate factor is the
     * mean ratio when above 1.
     *
     * @param ratio      the worker's ratio of actual to estimated time
     * @param maxRatio   mean ratio at which the health claim stops counting, &gt; 1
     * @param evidence   the failure test's log-likelihood ratio of the worker's record
     * @param bound      the failure test's bound, &gt; 0
     */
    static Claims judge(Moments ratio, double maxRatio, double evidence, double bound) {
        double speed = 1;
        double factor = 1;
        if (ratio.count() > 0 && ratio.mean() > 1) {
            speed = clamp((maxRatio - ratio.mean()) / (maxRatio - 1));
            factor = ratio.mean();
        }
        double record = evidence <= 0 ? 1 : clamp(1 - evidence / bound);
        return new Claims(speed * record, factor);
    }

    /** The claims of a worker. */
    static Claims of(WorkerStatistics stats, double maxRatio, double evidence, double bound) {
        return judge(stats.timeToEstimateRatio(), maxRatio, evidence, bound);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
