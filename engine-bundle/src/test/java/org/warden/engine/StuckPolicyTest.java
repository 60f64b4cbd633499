package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.failed;
import static org.warden.engine.Fixtures.ok;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Constants;
import org.warden.api.Bid;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyType;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.policy.GuardedPolicy;

/**
 * A policy call that never returns holds its own caller only: the worker's record, other workers, the network scan
 * and a policy swap all go on; the breaker opens while the call still hangs, and every later caller gets the
 * fallback's answer at once.
 */
@Timeout(60)
class StuckPolicyTest {

    private static final long BUDGET_NS = Duration.ofSeconds(1).toNanos(); // the default call budget

    private final Fixtures f = new Fixtures();
    private final StubPolicy stuck = new StubPolicy();
    private final AtomicLong nanos = new AtomicLong();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger autoBanCalls = new AtomicInteger();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    StuckPolicyTest() {
        GuardedPolicy guard = f.engine.book().guard();
        guard.setNanoClock(nanos::get); // the test says how long calls take: no sleeping
        // no ban budget in the way: this test is about the stuck call, not the budget
        f.engine.book().setSettings(f.engine.book().settings().withBanBudget(1.0, Duration.ofMinutes(60)));
        stuck.reputation = s -> 0.8;
        // the first auto-ban question about w1 never returns (until the test's teardown); the others ban at once
        stuck.autoBanRule = s -> {
            autoBanCalls.incrementAndGet();
            if (s.workerId().equals("w1") && entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return Optional.of(new BanDecision("stuck policy's ban", null));
        };
        f.with("stuck", stuck);
    }

    @AfterEach
    void releaseTheStuckCall() {
        release.countDown();
        caller.shutdownNow();
    }

    @Test
    void aStuckAutoBanHoldsOnlyItsCallerAndTheBreakerOpensWhileItHangs() throws Exception {
        f.engine.reportHealth("w1", GOOD);
        f.engine.reportHealth("w2", GOOD);
        f.engine.reportHealth("w3", GOOD);
        Future<WorkerReputation> hung = caller.submit(() -> f.engine.recordOutcome(failed("w1")));
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the policy is stuck in autoBan").isTrue();

        // the same worker's later updates proceed: no lock is held while the policy decides
        f.engine.reportHealth("w1", GOOD);
        assertThat(f.engine.recordOutcome(ok("w1")).jobsCompleted()).isEqualTo(1);
        // other workers too, and an automatic ban of another worker decided meanwhile
        assertThat(f.engine.recordOutcome(ok("w2")).jobsCompleted()).isEqualTo(1);
        assertThat(f.engine.recordOutcome(failed("w3")).ban()).as("banned by the stuck policy's rule").isNotNull();
        // the network scan completes; ranking too
        NetworkHealth network = f.engine.networkHealth();
        assertThat(network.totalWorkers()).isEqualTo(3);
        assertThat(network.bannedWorkers()).isEqualTo(1);
        assertThat(f.engine.rank("job-1", List.of(Bid.of("w1", 5, 10), Bid.of("w2", 5, 10)))).hasSize(2);
        assertThat(hung).isNotDone();
        GuardedPolicy guard = f.engine.book().guard();
        assertThat(guard.faults()).isZero();

        // past the call budget: the next call (of any thread) opens the breaker, while the stuck call still hangs
        nanos.addAndGet(BUDGET_NS + 1);
        int calledBefore = autoBanCalls.get();
        WorkerReputation w2 = f.engine.recordOutcome(failed("w2"));
        assertThat(guard.circuitOpen(f.engine.policy())).isTrue();
        assertThat(guard.slowCalls()).isEqualTo(1);
        assertThat(guard.faults()).isEqualTo(1);
        assertThat(f.engine.networkHealth().policyFaults()).isEqualTo(1);
        assertThat(hung).as("still stuck").isNotDone();
        // ... and callers get the fallback's answer without calling the stuck policy: no ban, Laplace reputation
        assertThat(autoBanCalls.get()).isEqualTo(calledBefore);
        assertThat(w2.ban()).isNull();
        assertThat(w2.score()).as("the fallback's Laplace success rate, (1 + 1) / (2 + 2)").isEqualTo(0.5);

        // a policy swap takes effect at once, the stuck call notwithstanding
        StubPolicy next = new StubPolicy();
        next.reputation = s -> 0.7;
        next.banAtFailures = 2;
        f.engine.bindPolicy(next, Map.of(WardenPolicy.NAME_PROPERTY, "next", Constants.SERVICE_RANKING, 10));
        assertThat(f.engine.policy().name()).isEqualTo("next");
        assertThat(f.engine.reputation("w2").orElseThrow().score()).isEqualTo(0.7);
        assertThat(f.engine.recordOutcome(failed("w2")).ban()).as("the new policy's rule: 2 failures in a row")
                .isNotNull();
        f.engine.unbindPolicy(stuck);

        // released: the stuck caller's outcome is recorded, its late decision discarded (counted once, not banned)
        release.countDown();
        WorkerReputation late = hung.get(30, TimeUnit.SECONDS);
        assertThat(late.jobsFailed()).isEqualTo(1);
        assertThat(f.engine.reputation("w1").orElseThrow().jobsFailed()).isEqualTo(1);
        assertThat(f.engine.reputation("w1").orElseThrow().jobsCompleted()).isEqualTo(1);
        assertThat(guard.faults()).isEqualTo(1);
        assertThat(guard.slowCalls()).isEqualTo(1);
    }

    @Test
    void aStuckCallOfAPenaltyHoldsNoWriterAndItsPenaltyIsRecordedOnceReleased() throws Exception {
        f.engine.reportHealth("w1", GOOD);
        Future<?> hung = caller.submit(() -> f.engine.applyPenalty("w1", PenaltyType.JOB_TIMEOUT, 0.5, "late", null));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // the same worker's penalties go on (a second question about w1 does not hang: it bans)
        f.engine.applyPenalty("w1", PenaltyType.JOB_FAILURE, 0.2, "failed", null);
        assertThat(f.engine.penalties("w1")).extracting(p -> p.reason()).contains("failed");
        assertThat(f.engine.reputation("w1").orElseThrow().ban()).isNotNull();
        release.countDown();
        hung.get(30, TimeUnit.SECONDS);
        assertThat(f.engine.penalties("w1")).extracting(p -> p.reason()).contains("late", "failed",
                "stuck policy's ban");
        assertThat(f.engine.bans("w1")).as("one ban: the released decision finds it in force").hasSize(1);
    }

    @Test
    void aNetworkScanStuckInAPolicyCallDoesNotStopTheNextOne() throws Exception {
        f.engine.reportHealth("w1", GOOD);
        f.engine.reportHealth("w2", GOOD);
        stuck.reputation = s -> {
            if (s.workerId().equals("w1") && entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return 0.8;
        };
        Future<NetworkHealth> hung = caller.submit(() -> f.engine.networkHealth());
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the scan is stuck in reputation").isTrue();

        nanos.addAndGet(BUDGET_NS + 1);
        NetworkHealth network = f.engine.networkHealth();
        assertThat(network.totalWorkers()).isEqualTo(2);
        assertThat(network.policyFaults()).isEqualTo(1);
        assertThat(f.engine.book().guard().circuitOpen(f.engine.policy())).isTrue();
        assertThat(f.engine.reputation("w1").orElseThrow().score()).as("the fallback answers").isEqualTo(0.5);
        assertThat(hung).isNotDone();
        release.countDown();
        assertThat(hung.get(30, TimeUnit.SECONDS).totalWorkers()).isEqualTo(2);
        assertThat(f.engine.book().guard().faults()).as("counted once").isEqualTo(1);
    }
}
