package org.warden.engine.state;

import java.math.BigInteger;

import org.warden.api.Check;

/**
 * What a worker's job outcomes add up to, apart from the decayed counters that age with time ({@link DecayedCounts}):
 * the totals, the current streaks, the three moving statistics ({@link Ewma}: execution time, actual/estimated time,
 * quality) and the earnings. Apart from {@link WorkerRecord} so that what an outcome records changes here alone, in
 * {@link #withOutcome}, {@link #of} (from a snapshot) and the reads.
 *
 * <p>A value: an outcome makes a new one, so a record's copy shares it, and the many writes that are no outcome
 * (health reports, penalties, bans) copy one reference instead of these fields. Kept compact, being one per worker:
 * each moving statistic is held as its three numbers rather than as an {@link Ewma} object of its own (three objects,
 * about 40 bytes a worker, fewer); an {@code Ewma} is made only to add a sample or to read one, a short-lived value.
 * Earnings are a {@code long} while they fit ({@code bigEarnings} null), else {@code bigEarnings} holds them and the
 * {@code long} is 0; they stop at 2^128 - 1, the most an amount can be.
 */
record OutcomeStats(long completed, long failed, int successStreak, int failureStreak,
        long timeCount, double timeMean, double timeVariance,
        long ratioCount, double ratioMean, double ratioVariance,
        long qualityCount, double qualityMean, double qualityVariance,
        long smallEarnings, BigInteger bigEarnings) {

    private static final BigInteger MAX_AMOUNT = Check.TWO_POW_128.subtract(BigInteger.ONE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    // after the constants it is made with
    static final OutcomeStats NONE = of(0, 0, 0, 0, Ewma.EMPTY, Ewma.EMPTY, Ewma.EMPTY, BigInteger.ZERO);

    /** The statistics from their parts (a snapshot's), with {@code earnings} held in whichever form fits. */
    static OutcomeStats of(long completed, long failed, int successStreak, int failureStreak, Ewma executionTime,
            Ewma timeRatio, Ewma quality, BigInteger earnings) {
        boolean fits = earnings.signum() >= 0 && earnings.compareTo(LONG_MAX) <= 0;
        return of(completed, failed, successStreak, failureStreak, executionTime, timeRatio, quality,
                fits ? earnings.longValue() : 0, fits ? null : earnings);
    }

    private static OutcomeStats of(long completed, long failed, int successStreak, int failureStreak, Ewma time,
            Ewma ratio, Ewma quality, long smallEarnings, BigInteger bigEarnings) {
        return new OutcomeStats(completed, failed, successStreak, failureStreak,
                time.count(), time.mean(), time.variance(),
                ratio.count(), ratio.mean(), ratio.variance(),
                quality.count(), quality.mean(), quality.variance(),
                smallEarnings, bigEarnings);
    }

    /** These statistics with one more outcome; the optional quality and estimate count only when given. */
    OutcomeStats withOutcome(boolean success, long executionTimeMs, BigInteger earned, Double resultQuality,
            Long estimatedTimeMs) {
        Ewma time = executionTime().add(executionTimeMs);
        Ewma ratio = estimatedTimeMs == null ? timeRatio()
                : timeRatio().add((double) executionTimeMs / estimatedTimeMs);
        Ewma q = resultQuality == null ? quality() : quality().add(resultQuality);
        long small;
        BigInteger big;
        long sum = smallEarnings + earned.longValue();
        if (bigEarnings == null && earned.bitLength() < Long.SIZE && sum >= 0) { // both non-negative: < 0 overflowed
            small = sum;
            big = null;
        } else {
            BigInteger total = earnings().add(earned).min(MAX_AMOUNT);
            boolean fits = total.compareTo(LONG_MAX) <= 0;
            small = fits ? total.longValue() : 0;
            big = fits ? null : total;
        }
        return success
                ? of(completed + 1, failed, successStreak + 1, 0, time, ratio, q, small, big)
                : of(completed, failed + 1, 0, failureStreak + 1, time, ratio, q, small, big);
    }

    Ewma executionTime() {
        return new Ewma(timeCount, timeMean, timeVariance);
    }

    Ewma timeRatio() {
        return new Ewma(ratioCount, ratioMean, ratioVariance);
    }

    Ewma quality() {
        return new Ewma(qualityCount, qualityMean, qualityVariance);
    }

    BigInteger earnings() {
        return bigEarnings != null ? bigEarnings : BigInteger.valueOf(smallEarnings);
    }
}
