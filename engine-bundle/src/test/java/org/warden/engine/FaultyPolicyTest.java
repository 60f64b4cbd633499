package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.failed;
import static org.warden.engine.Fixtures.ok;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.warden.api.Bid;
import org.warden.api.Eligibility;
import org.warden.api.RankedBid;
import org.warden.api.WorkerReputation;
import org.warden.engine.policy.GuardedPolicy;

/** A faulty policy (throws, NaN, out of range, slow) cannot hurt the distributor: every call is answered. */
class FaultyPolicyTest {

    private static final long SLOW_NS = Duration.ofMillis(2_000).toNanos(); // budget: 1 s by default

    private final Fixtures f = new Fixtures();
    private final StubPolicy stub = new StubPolicy();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean slow;

    FaultyPolicyTest() {
        f.engine.book().guard().setNanoClock(nanos::get);
        stub.reputation = s -> 0.8;
        stub.onCall = () -> {
            calls.incrementAndGet();
            nanos.addAndGet(slow ? SLOW_NS : 1_000); // simulated duration of the call: no sleeping
        };
        f.with("slowpoke", stub);
    }

    @Test
    void aSlowCallIsAnsweredByTheFallbackAndTheSlowPolicyIsSkippedDuringTheCoolDown() {
        f.engine.reportHealth("w1", GOOD);
        assertThat(f.engine.reputation("w1").get().score()).isEqualTo(0.8);
        GuardedPolicy guard = f.engine.book().guard();
        assertThat(guard.faults()).isZero();

        slow = true;
        assertThat(f.engine.reputation("w1").get().score()).as("late result discarded: the fallback's Laplace 0.5")
                .isEqualTo(0.5);
        assertThat(guard.faults()).isEqualTo(1);
        assertThat(guard.slowCalls()).isEqualTo(1);
        assertThat(guard.circuitOpen(f.engine.policy())).isTrue();

        calls.set(0);
        for (int i = 0; i < 3; i++) {
            assertThat(f.engine.reputation("w1").get().score()).isEqualTo(0.5);
        }
        assertThat(f.engine.rank("job", List.of(Bid.of("w1", 1, 1)))).hasSize(1);
        assertThat(calls.get()).as("the slow policy is not called during the cool-down").isZero();
        assertThat(guard.skippedCalls()).isPositive();
        assertThat(guard.faults()).as("skipped calls are not faults").isEqualTo(1);
        assertThat(f.engine.networkHealth().policyFaults()).isEqualTo(1);

        f.clock.advance(Duration.ofSeconds(29));
        assertThat(f.engine.reputation("w1").get().score()).isEqualTo(0.5);
        assertThat(calls.get()).isZero();

        slow = false;
        f.clock.advance(Duration.ofSeconds(2)); // 31 s: past the 30 s cool-down
        assertThat(f.engine.reputation("w1").get().score()).as("tried again, fast now").isEqualTo(0.8);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(guard.circuitOpen(f.engine.policy())).isFalse();
        assertThat(guard.faults()).isEqualTo(1);
    }

    @Test
    void aPolicyStillSlowAfterTheCoolDownIsSkippedAgain() {
        f.engine.reportHealth("w1", GOOD);
        slow = true;
        f.engine.reputation("w1");
        f.clock.advance(Duration.ofSeconds(31));
        calls.set(0);
        assertThat(f.engine.reputation("w1").get().score()).isEqualTo(0.5);
        assertThat(calls.get()).isEqualTo(1);
        f.engine.reputation("w1");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(f.engine.book().guard().faults()).isEqualTo(2);
    }

    enum Fault {
        THROWS, NAN, OUT_OF_RANGE, SLOW
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyCallOfTheDistributorIsAnsweredWhateverTheFault(Fault fault) {
        f.engine.reportHealth("w1", GOOD);
        f.engine.reportHealth("w2", GOOD);
        switch (fault) {
            case THROWS -> stub.failure = new IllegalStateException("policy bug");
            case NAN -> stub.reputation = s -> Double.NaN;
            case OUT_OF_RANGE -> {
                stub.reputation = s -> 1.5;
                stub.threshold = -0.2;
            }
            case SLOW -> slow = true;
        }
        for (int i = 0; i < 3; i++) {
            WorkerReputation r = f.engine.recordOutcome(ok("w1"));
            assertThat(r.score()).isBetween(0.0, 1.0);
            assertThat(f.engine.recordOutcome(failed("w2")).score()).isBetween(0.0, 1.0);
            f.engine.recordOutcome(ok("w2"));
            List<RankedBid> ranked = f.engine.rank("job-" + i, List.of(Bid.of("w1", 5, 10), Bid.of("w2", 5, 10)));
            assertThat(ranked).as("both workers are eligible under the fallback").hasSize(2);
            assertThat(ranked.get(0).bid().workerId()).isEqualTo("w1");
            assertThat(f.engine.reputation("w1").get().score()).isBetween(0.0, 1.0);
            Eligibility e = f.engine.eligibility("w1");
            assertThat(e.eligible()).isTrue();
            assertThat(e.threshold()).isBetween(0.0, 1.0);
        }
        assertThat(f.engine.networkHealth().policyFaults()).isPositive();
        assertThat(f.engine.networkHealth().fallbackActive()).as("the policy stays in force, degraded").isFalse();
    }
}
