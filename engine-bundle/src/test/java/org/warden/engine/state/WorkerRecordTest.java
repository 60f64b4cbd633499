package org.warden.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.warden.api.Check;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.snapshot.WorkerSnapshot;

/** The compact representation: exact values, exact snapshot round trips, refused instants. */
class WorkerRecordTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00.123456789Z");

    private static WorkerSnapshot roundTrip(WorkerRecord r) {
        WorkerSnapshot s = r.toSnapshot();
        assertThat(WorkerRecord.fromSnapshot(s).toSnapshot()).isEqualTo(s);
        return s;
    }

    @Test
    void earningsBeyondLongAreExactAndSaturate() {
        WorkerRecord r = WorkerRecord.newWorker("w", T);
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        r.recordOutcome(true, 10, max, null, null, T);
        assertThat(r.earnings()).isEqualTo(max);
        r.recordOutcome(true, 10, BigInteger.ONE, null, null, T);
        assertThat(r.earnings()).isEqualTo(max.add(BigInteger.ONE));
        roundTrip(r);
        r.recordOutcome(true, 10, Check.TWO_POW_128.subtract(BigInteger.ONE), null, null, T);
        assertThat(r.earnings()).isEqualTo(Check.TWO_POW_128.subtract(BigInteger.ONE));
        assertThat(roundTrip(r).earnings()).isEqualTo(Check.TWO_POW_128.subtract(BigInteger.ONE));
    }

    @Test
    void instantsKeepTheirNanosecondsBeforeAndAfter1970() {
        Instant old = Instant.parse("1900-06-01T00:00:00.000000001Z");
        WorkerRecord r = WorkerRecord.newWorker("w", old);
        r.recordHealth(HealthMetrics.of(150, 40, 50, 30, 20), old.plusNanos(998_999_999));
        assertThat(r.firstSeen()).isEqualTo(old);
        assertThat(r.lastSeen()).isEqualTo(old.plusNanos(998_999_999));
        assertThat(r.lastJobAt()).isNull();
        assertThat(roundTrip(r).lastHealthAt()).isEqualTo(old.plusNanos(998_999_999));
    }

    @Test
    void refusesInstantsItCannotHold() {
        WorkerSnapshot s = WorkerRecord.newWorker("w", T).toSnapshot();
        Instant late = Instant.parse("2300-01-01T00:00:00Z");
        WorkerSnapshot bad = new WorkerSnapshot(s.workerId(), s.firstSeen(), late, s.lastJobAt(), s.decayedAt(),
                s.jobsCompleted(), s.jobsFailed(), s.decayedSuccesses(), s.decayedFailures(),
                s.consecutiveSuccesses(), s.consecutiveFailures(), s.executionTimeMs(), s.timeToEstimateRatio(),
                s.resultQuality(), s.earnings(), s.lastHealth(), s.lastHealthAt(), s.penaltyCounts(),
                s.decayedPenaltySeverity(), s.maliciousReports(), s.banCount(), s.currentBan(),
                s.recentPenalties(), s.pastBans());
        assertThatThrownBy(() -> WorkerRecord.fromSnapshot(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lastSeen");
        Instant min = Instant.ofEpochSecond(0, Long.MIN_VALUE); // the null sentinel itself
        assertThatThrownBy(() -> WorkerRecord.newWorker("w", min)).isInstanceOf(IllegalArgumentException.class);
        Instant lowest = Instant.ofEpochSecond(0, Long.MIN_VALUE + 1);
        assertThat(WorkerRecord.newWorker("w", lowest).firstSeen()).isEqualTo(lowest);
        Instant highest = Instant.ofEpochSecond(0, Long.MAX_VALUE);
        assertThat(roundTrip(WorkerRecord.newWorker("w", highest)).firstSeen()).isEqualTo(highest);
    }

    @Test
    void decayedToReturnsItselfWhenNothingToDecayAndCopyDecayedToAlwaysCopies() {
        WorkerRecord r = WorkerRecord.newWorker("w", T);
        r.recordOutcome(true, 100, BigInteger.TEN, 0.9, 50L, T);
        assertThat(r.decayedTo(T)).isSameAs(r);
        assertThat(r.decayedTo(T.minusSeconds(1))).isSameAs(r);
        assertThat(r.copyDecayedTo(T)).isNotSameAs(r);
        WorkerRecord later = r.decayedTo(T.plusSeconds(3600));
        assertThat(later).isNotSameAs(r);
        assertThat(later.decayedSuccesses(Horizon.HOUR)).isEqualTo(Math.exp(-1));
        assertThat(r.decayedSuccesses(Horizon.HOUR)).isEqualTo(1.0);
        assertThat(r.executionTimeMs()).isEqualTo(new Moments(1, 100, 0));
        assertThat(r.timeToEstimateRatio()).isEqualTo(new Moments(1, 2, 0));
        assertThat(r.resultQuality()).isEqualTo(new Moments(1, 0.9, 0));
        assertThat(r.decayedFailures(Horizon.MONTH)).isZero();
    }

    @Test
    void penaltiesArePackedSparselyAndCopiedPrivately() {
        WorkerRecord r = WorkerRecord.newWorker("w", T);
        assertThat(r.penaltyTotal()).isZero();
        WorkerRecord a = r.copy();
        a.recordPenalty(new Penalty("w", PenaltyType.POOR_PERFORMANCE, 0.2, "slow", null, T), 2);
        a.recordPenalty(new Penalty("w", PenaltyType.JOB_TIMEOUT, 0.3, "late", "job-1", T.plusSeconds(1)), 2);
        WorkerRecord b = a.copy();
        b.recordPenalty(new Penalty("w", PenaltyType.JOB_TIMEOUT, 0.5, "late", null, T.plusSeconds(2)), 2);
        assertThat(r.penaltyTotal()).isZero();
        assertThat(r.recentPenalties()).isEmpty();
        assertThat(a.penaltyTotal()).isEqualTo(2);
        assertThat(a.penaltyCount(PenaltyType.JOB_TIMEOUT)).isEqualTo(1);
        assertThat(b.penaltyCount(PenaltyType.JOB_TIMEOUT)).isEqualTo(2);
        assertThat(b.penaltyCount(PenaltyType.POOR_PERFORMANCE)).isEqualTo(1);
        assertThat(b.penaltyCount(PenaltyType.JOB_FAILURE)).isZero();
        assertThat(b.recentPenalties()).extracting(Penalty::severity).containsExactly(0.5, 0.3);
        assertThat(a.recentPenalties().get(0).jobId()).isEqualTo("job-1");
        assertThat(a.recentPenalties().get(1).at()).isEqualTo(T);
        roundTrip(a);
        roundTrip(b);
        WorkerRecord one = b.copy();
        one.recordPenalty(new Penalty("w", PenaltyType.BAN, 1.0, "x", null, T.plusSeconds(3)), 0);
        assertThat(one.recentPenalties()).hasSize(1);
    }

    @Test
    void decayFactorBringsCountersToNowExactlyAsADecayedCopyDoes() {
        WorkerRecord r = WorkerRecord.newWorker("w", T);
        for (int i = 0; i < 17; i++) {
            r.recordOutcome(i % 3 != 0, 100, BigInteger.TEN, null, null, T);
        }
        assertThat(r.decayFactor(Horizon.DAY, T)).isEqualTo(1.0);
        assertThat(r.decayFactor(Horizon.DAY, T.minusSeconds(5))).isEqualTo(1.0);
        Instant later = T.plusSeconds(7 * 3600 + 13 * 60 + 7).plusNanos(42);
        WorkerRecord copy = r.decayedTo(later);
        for (Horizon h : Horizon.values()) {
            double f = r.decayFactor(h, later);
            assertThat(f).as("%s", h).isStrictlyBetween(0.0, 1.0);
            assertThat(r.decayedSuccesses(h) * f).as("%s", h).isEqualTo(copy.decayedSuccesses(h));
            assertThat(r.decayedFailures(h) * f).as("%s", h).isEqualTo(copy.decayedFailures(h));
        }
    }
}
