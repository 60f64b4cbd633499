package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.failed;
import static org.warden.engine.Fixtures.ok;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.NetworkHealth;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.WardenEvents;
import org.warden.api.WorkerReputation;
import org.warden.engine.policy.FallbackPolicy;

class WardenEngineTest {

    private final Fixtures f = new Fixtures();
    private final StubPolicy stub = new StubPolicy();
    private final WardenEngine engine = f.with("stub", stub).engine;

    @Test
    void outcomesAreCountedAndScoredByThePolicyInForce() {
        stub.reputation = s -> s.jobsCompleted() / 10.0;
        engine.recordOutcome(ok("w1"));
        engine.recordOutcome(ok("w1"));
        WorkerReputation r = engine.recordOutcome(failed("w1"));
        assertThat(r.jobsCompleted()).isEqualTo(2);
        assertThat(r.jobsFailed()).isEqualTo(1);
        assertThat(r.score()).isEqualTo(0.2);
        assertThat(engine.reputation("w1")).get().extracting(WorkerReputation::score).isEqualTo(0.2);
        assertThat(engine.reputation("nobody")).isEmpty();
    }

    @Test
    void eligibilityIsExactlyAtTheThresholdAndNotJustBelow() {
        engine.reportHealth("w1", GOOD);
        stub.reputation = s -> 0.3;
        assertThat(engine.isEligible("w1")).isTrue();
        stub.reputation = s -> Math.nextDown(0.3);
        assertThat(engine.eligibility("w1").eligible()).isFalse();
        assertThat(engine.eligibility("w1").reason()).startsWith("reputation 0.3000 is below the threshold 0.3000");
    }

    @Test
    void eligibilityNeedsARecentHealthyReport() {
        engine.recordOutcome(ok("w1"));
        assertThat(engine.eligibility("w1").reason()).isEqualTo("no health report yet");
        engine.reportHealth("w1", GOOD);
        assertThat(engine.isEligible("w1")).isTrue();
        f.clock.advance(Duration.ofSeconds(181));
        assertThat(engine.eligibility("w1").reason()).isEqualTo("no health report within the last 180 s");
        engine.reportHealth("w1", GOOD);
        stub.health = 0.4;
        assertThat(engine.eligibility("w1").reason()).startsWith("unhealthy: health 0.4000");
        assertThat(engine.eligibility("ghost").eligible()).isFalse();
        assertThat(engine.eligibility("ghost").reason()).isEqualTo("unknown worker");
    }

    @Test
    void activityFollowsTheWindowOfThreeHealthCheckIntervals() {
        engine.reportHealth("w1", GOOD);
        f.clock.advance(Duration.ofSeconds(180));
        assertThat(engine.health("w1").get().active()).isTrue();
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(engine.health("w1").get().active()).isFalse();
        assertThat(engine.health("w1").get().healthy()).isFalse();
    }

    @Test
    void aTimedBanEndsByItselfAndAnUnbanLiftsIt() {
        engine.reportHealth("w1", GOOD);
        Ban ban = engine.ban("w1", "operator says so", Duration.ofHours(2));
        assertThat(ban.until()).isEqualTo(Fixtures.T0.plus(Duration.ofHours(2)));
        assertThat(engine.reputation("w1").get().banned()).isTrue();
        assertThat(f.topics).contains(WardenEvents.TOPIC_BANNED);
        f.clock.advance(Duration.ofHours(2));
        assertThat(engine.reputation("w1").get().banned()).isFalse();
        assertThat(engine.unban("w1", "nothing to lift")).isEmpty();

        engine.ban("w1", "again", null);
        assertThat(engine.unban("w1", "appeal granted")).get().satisfies(b -> {
            assertThat(b.reason()).isEqualTo("again");
            assertThat(b.liftReason()).isEqualTo("appeal granted");
            assertThat(b.liftedAt()).isEqualTo(f.clock.instant());
        });
        assertThat(engine.reputation("w1").get().banned()).isFalse();
        assertThat(engine.bans("w1")).extracting(Ban::reason).containsExactly("again", "operator says so");
        assertThat(f.topics).contains(WardenEvents.TOPIC_UNBANNED);
        assertThat(engine.penalties("w1")).extracting(p -> p.type()).containsExactly(PenaltyType.BAN, PenaltyType.BAN);
    }

    @Test
    void penaltiesAreKeptNewestFirstAndPosted() {
        engine.reportHealth("w1", GOOD);
        engine.applyPenalty("w1", PenaltyType.JOB_TIMEOUT, 0.3, "Job timed out", "job-7");
        engine.applyPenalty("w1", PenaltyType.SPAM, 0.1, "too many bids", null);
        assertThat(engine.penalties("w1")).extracting(p -> p.type()).containsExactly(PenaltyType.SPAM, PenaltyType.JOB_TIMEOUT);
        assertThat(engine.penalties("w1").get(1).jobId()).isEqualTo("job-7");
        assertThat(f.topics).endsWith(WardenEvents.TOPIC_PENALIZED, WardenEvents.TOPIC_PENALIZED);
        assertThat(f.events.get(f.events.size() - 2)).containsEntry(WardenEvents.WORKER_ID, "w1").containsEntry(WardenEvents.PENALTY_TYPE, "JOB_TIMEOUT")
                .containsEntry(WardenEvents.JOB_ID, "job-7");
        assertThat(engine.reputation("w1").get().penaltyCount()).isEqualTo(2);
    }

    @Test
    void withoutAPolicyTheFallbackAnswersAndSaysSo() {
        engine.reportHealth("w1", GOOD);
        engine.unbindPolicy(stub);
        assertThat(f.topics).contains(WardenEvents.TOPIC_POLICY_CHANGED);
        NetworkHealth n = engine.networkHealth();
        assertThat(n.fallbackActive()).isTrue();
        assertThat(n.policyName()).isEqualTo(FallbackPolicy.NAME);
        assertThat(engine.reputation("w1").get().score()).isEqualTo(0.5); // Laplace (0+1)/(0+2), no penalties
        for (int i = 0; i < 5; i++) {
            engine.reportMalicious("w1", "forged result");
        }
        assertThat(engine.reputation("w1").get().banned()).as("the fallback never bans by itself").isFalse();
        assertThat(engine.reputation("w1").get().maliciousReports()).isEqualTo(5);
    }

    @Test
    void aPolicyThatThrowsOrReturnsNaNIsAnsweredByTheFallbackAndCounted() {
        engine.reportHealth("w1", GOOD);
        stub.failure = new IllegalStateException("policy bug");
        assertThat(engine.reputation("w1").get().score()).isEqualTo(0.5);
        assertThat(engine.health("w1").get().score()).isEqualTo(new FallbackPolicy().healthScore(GOOD).score());
        stub.failure = null;
        stub.reputation = s -> Double.NaN; // the policy's own ScoreBreakdown refuses NaN: a fault
        assertThat(engine.reputation("w1").get().score()).isEqualTo(0.5);
        stub.reputation = s -> 0.5;
        stub.threshold = 1.5;
        assertThat(engine.eligibility("w1").threshold()).isEqualTo(0.3);
        stub.threshold = 0.3;
        assertThat(engine.networkHealth().policyFaults()).isEqualTo(4);
        assertThat(engine.networkHealth().fallbackActive()).isFalse();
    }

    @Test
    void aBadPolicyNameGivenInPlainJavaIsRefusedAndChangesNothing() {
        engine.configurePolicies("stub", "");
        assertThatThrownBy(() -> engine.configurePolicies("(((bad", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("policy must be a policy name");
        assertThatThrownBy(() -> engine.configurePolicies("stub", "x y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("shadowPolicy must be a policy name");
        assertThat(engine.insight().configuredPolicy()).isEqualTo("stub");
        assertThat(engine.insight().configuredShadowPolicy()).isEmpty();
        assertThat(engine.insight().policyInForce()).isEqualTo("stub");
    }

    @Test
    void aNewPolicyReScoresEveryWorkerAndTheOldOneComesBack() {
        engine.recordOutcome(ok("w1"));
        stub.reputation = s -> 0.4;
        StubPolicy other = new StubPolicy();
        other.reputation = s -> 0.9;
        // ranked above the policy in force: the highest-ranked judges (automatic, the default)
        engine.bindPolicy(other, java.util.Map.of("warden.policy.name", "other", "service.ranking", 10));
        assertThat(engine.reputation("w1").get().score()).isEqualTo(0.9);
        assertThat(engine.networkHealth().policyName()).isEqualTo("other");
        engine.bindPolicy(stub, java.util.Map.of("warden.policy.name", "stub"));
        engine.unbindPolicy(other);
        assertThat(engine.reputation("w1").get().score()).isEqualTo(0.4);
        assertThat(engine.reputation("w1").get().jobsCompleted()).isEqualTo(1);
    }

    @Test
    void selectionRanksEligibleBidsOnlyBestFirstTiesInBidOrder() {
        for (String w : List.of("a", "b", "c", "banned", "sick")) {
            engine.reportHealth(w, GOOD);
        }
        engine.reportHealth("sick", new HealthMetrics(10, 99, 99, 99, 10, null, null, null, 50));
        engine.ban("banned", "cheat", null);
        stub.reputation = s -> switch (s.workerId()) {
            case "a" -> 0.6;
            case "b" -> 0.9;
            default -> 0.6;
        };
        List<RankedBid> ranked = engine.rank("job-1", List.of(Bid.of("a", 5, 10), Bid.of("banned", 1, 1), Bid.of("b", 9, 10),
                Bid.of("ghost", 1, 1), Bid.of("c", 5, 10), Bid.of("sick", 1, 1)));
        assertThat(ranked).extracting(r -> r.bid().workerId()).containsExactly("b", "a", "c");
        assertThat(ranked).extracting(RankedBid::rank).containsExactly(1, 2, 3);
        assertThat(ranked.get(0).breakdown().component("stub")).isEqualTo(0.9);
        assertThat(engine.rank(null, List.of())).isEmpty();
    }

    @Test
    void networkHealthCountsWorkersAndJobs() {
        engine.reportHealth("a", GOOD);
        engine.reportHealth("b", GOOD);
        engine.reportHealth("c", new HealthMetrics(300, 50, 50, 50, 50, null, null, null, 0));
        engine.recordOutcome(ok("a"));
        engine.recordOutcome(ok("a"));
        engine.recordOutcome(ok("b"));
        engine.recordOutcome(failed("b"));
        engine.ban("c", "cheat", null);
        stub.reputation = s -> 0.8;
        NetworkHealth n = engine.networkHealth();
        assertThat(n.totalWorkers()).isEqualTo(3);
        assertThat(n.activeWorkers()).isEqualTo(3);
        assertThat(n.healthyWorkers()).isEqualTo(3);
        assertThat(n.bannedWorkers()).isEqualTo(1);
        assertThat(n.successRate()).isEqualTo(0.75);
        assertThat(n.averageReputation()).isEqualTo(0.8, within(1e-12));
        assertThat(n.averageResponseTimeMs()).isEqualTo(200.0);
        assertThat(n.healthScore()).isEqualTo(0.4 * 1 + 0.3 * 0.75 + 0.3 * 0.8, within(1e-12));
        assertThat(n.policyName()).isEqualTo("stub");
        f.clock.advance(Duration.ofMinutes(4));
        assertThat(engine.networkHealth().activeWorkers()).isZero();
    }

    @Test
    void earningsAddUpAsUnsigned128BitAmounts() {
        BigInteger big = BigInteger.ONE.shiftLeft(127);
        engine.recordOutcome(org.warden.api.JobOutcome.of("w1", true, 5, big, 0.9));
        engine.recordOutcome(org.warden.api.JobOutcome.of("w1", true, 5, big.subtract(BigInteger.ONE), 0.9));
        assertThat(engine.book().store().get("w1").earnings()).isEqualTo(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
        engine.recordOutcome(org.warden.api.JobOutcome.of("w1", true, 5, BigInteger.TEN, 0.9));
        assertThat(engine.book().store().get("w1").earnings()).as("saturates, never wraps")
                .isEqualTo(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
    }

    @Test
    void unknownWorkersAreRefusedByPenaltyCalls() {
        assertThatThrownBy(() -> engine.ban("ghost", "x", null)).hasMessage("workerId: unknown worker 'ghost'");
        assertThatThrownBy(() -> engine.penalties("ghost")).hasMessage("workerId: unknown worker 'ghost'");
        assertThat(engine.workerIds()).isEmpty();
    }

    @Test
    void policiesSeeTheNetworksSuccessRatesAndTheJobId() {
        // last-day success rates 1.0 (w1), 0.5 (w2), 0.0 (w3), each over 10 jobs (the minimum volume); w4 has 2 jobs
        for (int i = 0; i < 10; i++) {
            engine.recordOutcome(ok("w1"));
            engine.recordOutcome(i % 2 == 0 ? ok("w2") : failed("w2"));
            engine.recordOutcome(failed("w3"));
        }
        engine.recordOutcome(ok("w4"));
        engine.recordOutcome(ok("w4"));
        org.warden.api.policy.NetworkStatistics n = engine.networkStatistics();
        assertThat(n.workers()).isEqualTo(4);
        assertThat(n.workersWithVolume()).isEqualTo(3);
        assertThat(n.meanSuccessRate()).isEqualTo(0.5, within(1e-12));
        assertThat(n.stddevSuccessRate()).isEqualTo(Math.sqrt((0.25 + 0 + 0.25) / 3), within(1e-12));
        engine.reputation("w1");
        assertThat(stub.lastNetwork).isEqualTo(n);

        engine.reportHealth("w1", GOOD);
        engine.rank("job-42", List.of(Bid.of("w1", 1, 1)));
        assertThat(stub.lastAuction.jobId()).isEqualTo("job-42");
    }

    @Test
    void aFailedOutcomeAsksThePolicysAutoBanRule() {
        stub.banAtFailures = 3;
        engine.recordOutcome(failed("w1"));
        engine.recordOutcome(failed("w1"));
        assertThat(engine.reputation("w1").get().banned()).isFalse();
        WorkerReputation third = engine.recordOutcome(failed("w1"));
        assertThat(third.banned()).isTrue();
        assertThat(third.ban().reason()).isEqualTo("3 failures in a row");
        assertThat(f.topics).contains(WardenEvents.TOPIC_BANNED);
    }
}
