package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.ok;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.ScoreBreakdown;
import org.warden.api.WardenEvents;
import org.warden.api.WorkerReputation;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/** The seed's numbers, end to end: the engine judged by the default policy, time moved by hand. */
class SeedNumbersTest {

    private final Fixtures f = new Fixtures().with("default", new DefaultPolicy(DefaultPolicySettings.SEED));
    private final WardenEngine engine = f.engine;

    @Test
    void theThirdMaliciousReportBansAndTheSecondDoesNot() {
        engine.reportHealth("w1", GOOD);
        engine.reportMalicious("w1", "Invalid result submission");
        WorkerReputation second = engine.reportMalicious("w1", "Invalid result submission");
        assertThat(second.banned()).isFalse();
        assertThat(second.maliciousReports()).isEqualTo(2);
        assertThat(engine.penalties("w1")).allSatisfy(p -> assertThat(p.severity()).isEqualTo(0.5)); // the seed's malicious severity
        assertThat(f.topics).doesNotContain(WardenEvents.TOPIC_BANNED);

        WorkerReputation third = engine.reportMalicious("w1", "Invalid result submission");
        assertThat(third.banned()).isTrue();
        assertThat(third.ban().automatic()).isTrue();
        assertThat(third.ban().until()).as("the seed's ban has no end").isNull();
        assertThat(third.ban().reason()).contains("3 reports");
        assertThat(f.topics.stream().filter(WardenEvents.TOPIC_BANNED::equals)).hasSize(1);
        assertThat(engine.eligibility("w1").reason()).startsWith("banned: repeated malicious behaviour");
        assertThat(engine.rank("j", List.of(Bid.of("w1", 1, 1)))).isEmpty();
    }

    @Test
    void anIdleWorkersReputationDecaysOnePercentADayTowardsNeutral() {
        for (int i = 0; i < 10; i++) {
            engine.recordOutcome(ok("w1"));
        }
        assertThat(engine.reputation("w1").get().score()).isGreaterThan(0.5);
        f.clock.advance(Duration.ofDays(30));
        ScoreBreakdown after = engine.reputation("w1").get().breakdown();
        assertThat(after.component("decay")).isCloseTo(Math.pow(0.99, 30), within(1e-12));
        // the reputation the record gives after 30 days (its day-horizon evidence has faded), then the seed's decay
        double weighted = (0.40 * after.component("successRate") + 0.25 * after.component("reliability")
                + 0.20 * after.component("efficiency") + 0.15 * after.component("consistency"));
        double raw = Math.min(1, weighted * after.component("streak") * after.component("penalties"));
        assertThat(after.score()).isCloseTo(0.5 + (raw - 0.5) * Math.pow(0.99, 30), within(1e-12));
    }

    @Test
    void aSingleBidScoresByTheSeedsWeightsWithItsAmountAndTimeAtTheAuctionsMedian() {
        engine.reportHealth("w1", GOOD);
        RankedBid only = engine.rank("job", List.of(new Bid("w1", BigInteger.TEN.pow(20), 5000))).get(0);
        double rep = engine.reputation("w1").get().score();
        double health = engine.health("w1").get().score();
        assertThat(only.breakdown().component("bid")).isEqualTo(0.5);
        assertThat(only.breakdown().component("time")).isEqualTo(0.5);
        double seed = 0.35 * rep + 0.25 * health + 0.25 * 0.5 + 0.15 * 0.5;
        // a worker without a job is still in vetting, and "job" is not an exploration job: the seed's score lands
        // in the lower half, below every vetted bidder's
        assertThat(only.breakdown().component("vetted")).isEqualTo(0.0);
        assertThat(only.breakdown().component("favoured")).isEqualTo(0.0);
        assertThat(only.score()).isCloseTo(0.5 * seed, within(1e-12));
    }

    @Test
    void eachPenaltyTypeCostsWhatThePolicySays() {
        double base = fresh("base");
        for (PenaltyType type : PenaltyType.values()) {
            String w = "w-" + type;
            fresh(w);
            engine.applyPenalty(w, type, 0.5, "test", null);
            double after = engine.reputation(w).get().score();
            if (type == PenaltyType.BAN) {
                assertThat(after).as(type.name()).isEqualTo(base);
            } else {
                assertThat(after).as(type.name()).isLessThan(base);
            }
        }
        // malicious behaviour costs more than a network issue, as the policy's weights say
        assertThat(engine.reputation("w-MALICIOUS_BEHAVIOR").get().score())
                .isLessThan(engine.reputation("w-NETWORK_ISSUES").get().score());
    }

    private double fresh(String w) {
        engine.reportHealth(w, GOOD);
        engine.recordOutcome(ok(w));
        return engine.reputation(w).get().score();
    }
}
