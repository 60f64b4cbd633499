package org.warden.policy.bayesian;

/**
 * Wald's sequential probability ratio test of a worker's success rate, the evidence behind a suspension.
 *
 * <p>H0: the worker succeeds with probability {@code p0} (acceptable: at the low end of honest workers);
 * H1: it succeeds with probability {@code p1 < p0} (clearly failing). After {@code s} successes and {@code f}
 * failures the log-likelihood ratio is
 *
 * <pre>
 *     LLR = s · ln(p1 / p0) + f · ln((1 − p1) / (1 − p0))
 * </pre>
 *
 * and H0 is rejected (the worker suspended) once {@code LLR ≥ ln(1 / α)}, Wald's bound for a false-suspension rate
 * of at most α (the rate of missed suspensions is left free: a failing worker that is not suspended yet keeps
 * failing and adds evidence). A success moves the ratio down by {@code ln(p0 / p1)}, a failure up by
 * {@code ln((1 − p1) / (1 − p0))}: a worker whose true rate is above the break-even rate
 * {@code b / (b − a)} drifts away from the bound however many jobs it does.
 *
 * @param p0    success probability under H0, in (p1, 1)
 * @param p1    success probability under H1, in (0, p0)
 * @param bound ln(1 / α), &gt; 0
 */
record FailureEvidence(double p0, double p1, double bound) {

    /** The test of H0: {@code p0} against H1: {@code p1} at false-suspension rate {@code alpha}. */
    static FailureEvidence of(double p0, double p1, double alpha) {
        return new FailureEvidence(p0, p1, Math.log(1 / alpha));
    }

    /** What one success adds to the log-likelihood ratio: ln(p1 / p0), negative. */
    double perSuccess() {
        return Math.log(p1 / p0);
    }

    /** What one failure adds: ln((1 − p1) / (1 − p0)), positive. */
    double perFailure() {
        return Math.log((1 - p1) / (1 - p0));
    }

    /** The log-likelihood ratio after {@code successes} and {@code failures} (decayed counts allowed). */
    double logLikelihoodRatio(double successes, double failures) {
        return successes * perSuccess() + failures * perFailure();
    }

    /** Whether that much evidence rejects H0. */
    boolean rejects(double successes, double failures) {
        return logLikelihoodRatio(successes, failures) >= bound;
    }

    /** Failures in a row that reject H0 on their own: the smallest k with k · perFailure ≥ bound. */
    int failuresInARowToReject() {
        return (int) Math.ceil(bound / perFailure() - 1e-12);
    }

    /** The true success rate at which the ratio does not drift: perFailure / (perFailure − perSuccess). */
    double breakEvenRate() {
        return perFailure() / (perFailure() - perSuccess());
    }
}
