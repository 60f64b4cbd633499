package org.warden.engine.state;

import java.time.Duration;
import java.time.Instant;

/**
 * Instants as epoch nanoseconds in a {@code long}, the compact form a {@link WorkerRecord} keeps them in: only
 * instants from 1677-09-21 to 2262-04-11 are representable, and {@link #NONE} stands for {@code null}.
 */
final class EpochNanos {

    /** Epoch nanoseconds standing for a {@code null} instant (itself not a representable instant). */
    static final long NONE = Long.MIN_VALUE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {
    }

    /** {@code value} in epoch nanoseconds; an {@link IllegalArgumentException} naming {@code field} if it does not fit. */
    static long of(String field, Instant value) {
        long seconds = value.getEpochSecond();
        int nano = value.getNano();
        try {
            long n;
            if (seconds < 0 && nano > 0) {
                n = Math.addExact(Math.multiplyExact(seconds + 1, NANOS_PER_SECOND), nano - NANOS_PER_SECOND);
            } else {
                n = Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), nano);
            }
            if (n != NONE) {
                return n;
            }
        } catch (ArithmeticException e) {
            // not representable: refused below, naming the field, like an instant that lands on NONE
        }
        throw new IllegalArgumentException(field + " must be between " + instant(NONE + 1) + " and "
                + instant(Long.MAX_VALUE) + ", was " + value);
    }

    /** The value of {@code field}, or {@link #NONE} for {@code null}. */
    static long ofNullable(String field, Instant value) {
        return value == null ? NONE : of(field, value);
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    static Instant instantOrNull(long nanos) {
        return nanos == NONE ? null : instant(nanos);
    }

    /** Whole milliseconds from {@code from} to the later {@code to}, as {@code Duration.between(..).toMillis()}. */
    static long elapsedMillis(long from, long to) {
        long d = to - from;
        if (d < 0) { // overflow: more than 292 years apart
            return Duration.between(instant(from), instant(to)).toMillis();
        }
        return d / 1_000_000L;
    }
}
