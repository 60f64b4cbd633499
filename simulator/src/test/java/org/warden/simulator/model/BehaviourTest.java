package org.warden.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.warden.api.HealthMetrics;

class BehaviourTest {
    private static Scenario.Group group(Behaviour b, double p, long speed) {
        return new Scenario.Group("g", 1, b, p, speed, 100, 1.0, 8, 2, 50, 0);
    }

    private static double goodRate(SimWorker w, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int good = 0;
        for (int i = 0; i < n; i++) {
            if (w.perform(r, i).good()) {
                good++;
            }
        }
        return (double) good / n;
    }

    @Test
    void honestSucceedsWithItsProbability() {
        SimWorker w = new SimWorker(group(Behaviour.HONEST, 0.9, 1000), 0);
        assertThat(goodRate(w, 20_000, 42)).isCloseTo(0.9, within(0.01));
        assertThat(w.reliability(0)).isEqualTo(0.9);
        assertThat(w.estimateMs()).isEqualTo(1000);
    }

    @Test
    void flakyAndSlowAreWorseThanHonest() {
        assertThat(goodRate(new SimWorker(group(Behaviour.FLAKY, 0.7, 1000), 0), 20_000, 1)).isCloseTo(0.7, within(0.01));
        SimWorker slow = new SimWorker(group(Behaviour.SLOW, 0.9, 4000), 0);
        assertThat(slow.estimateMs()).isEqualTo(4000); // slow but honest about it: no timeouts
        assertThat(goodRate(slow, 20_000, 2)).isCloseTo(0.9, within(0.01));
        HealthMetrics h = slow.health(new SplittableRandom(3), 0);
        assertThat(h.cpuUsagePercent()).isGreaterThanOrEqualTo(85);
    }

    @Test
    void maliciousNeverReturnsAValidResultButLooksCompleted() {
        SimWorker w = new SimWorker(group(Behaviour.MALICIOUS, 0.95, 800), 0);
        SplittableRandom r = new SplittableRandom(4);
        int completed = 0;
        for (int i = 0; i < 1000; i++) {
            JobResult j = w.perform(r, i);
            assertThat(j.valid()).isFalse();
            completed += j.completed() ? 1 : 0;
        }
        assertThat(completed).isBetween(900, 1000);
        assertThat(w.reliability(0)).isZero();
    }

    @Test
    void onOffAttackerAlternates() {
        SimWorker w = new SimWorker(group(Behaviour.ON_OFF, 1.0, 1000), 0);
        SplittableRandom r = new SplittableRandom(5);
        List<Boolean> attacking = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attacking.add(w.attacking());
            w.perform(r, i);
        }
        // 8 good, 2 bad, 8 good, 2 bad
        assertThat(attacking).containsExactly(false, false, false, false, false, false, false, false, true, true,
                false, false, false, false, false, false, false, false, true, true);
    }

    @Test
    void spooferClaimsPerfectHealthAndSpeedButTimesOut() {
        SimWorker w = new SimWorker(group(Behaviour.HEALTH_SPOOFER, 0.55, 3000), 0);
        HealthMetrics h = w.health(new SplittableRandom(6), 0);
        assertThat(h.responseTimeMs()).isEqualTo(20);
        assertThat(h.cpuUsagePercent()).isEqualTo(5);
        assertThat(w.estimateMs()).isEqualTo(1000);
        SplittableRandom r = new SplittableRandom(7);
        int timeouts = 0;
        for (int i = 0; i < 10_000; i++) {
            timeouts += w.perform(r, i).timedOut() ? 1 : 0;
        }
        assertThat(timeouts / 10_000.0).isCloseTo(0.5, within(0.02)); // exec uniform in [1500, 4500], deadline 3000
        assertThat(w.reliability(0)).isCloseTo(0.5 * 0.55, within(1e-9));
    }

    @Test
    void cheapBidderBidsLowAndFails() {
        Scenario.Group g = new Scenario.Group("c", 1, Behaviour.CHEAP_BIDDER, 0.3, 1000, 30, 1.0, 1, 1, 0, 0);
        SimWorker w = new SimWorker(g, 0);
        assertThat(w.bid(new SplittableRandom(8)).amount().longValue()).isBetween(24L, 36L);
        assertThat(w.estimateMs()).isEqualTo(333);
        // exec uniform in [500, 1500], deadline 999: about half time out, and 30 % of the rest succeed
        assertThat(goodRate(w, 20_000, 9)).isCloseTo(0.3 * 0.499, within(0.01));
    }

    @Test
    void whitewasherRejoinsUnderANewIdAfterItsBan() {
        Scenario s = ScenarioParser.parse("""
                {"name": "w", "seed": 1, "jobs": 100,
                 "groups": [{"name": "ww", "count": 1, "behaviour": "whitewasher", "rejoinDelayJobs": 10},
                            {"name": "h", "count": 2, "behaviour": "honest", "joinAtJob": 3}]}
                """);
        Population p = new Population(s);
        SimWorker w = p.present().get(0);
        assertThat(w.id()).isEqualTo("ww-0");
        assertThat(w.newcomer()).isFalse();
        p.banned(w, 5);
        assertThat(p.present()).doesNotContain(w);
        assertThat(p.advanceTo(3)).extracting(SimWorker::id).containsExactly("h-1", "h-2");
        assertThat(p.advanceTo(14)).isEmpty();
        assertThat(p.advanceTo(15)).containsExactly(w);
        assertThat(w.id()).isEqualTo("ww-0-r1");
        assertThat(w.newcomer()).isTrue();
    }

    @Test
    void massOutageTakesAShareDownThenRecovers() {
        Scenario s = ScenarioParser.parse("""
                {"name": "o", "seed": 11, "jobs": 100,
                 "groups": [{"name": "h", "count": 1000, "behaviour": "honest"}],
                 "events": [{"type": "outage", "atJob": 10, "durationJobs": 20, "share": 0.4}]}
                """);
        Population p = new Population(s);
        p.advanceTo(9);
        assertThat(p.all().stream().filter(w -> w.down(9)).count()).isZero();
        p.advanceTo(10);
        long down = p.all().stream().filter(w -> w.down(10)).count();
        assertThat(down).isBetween(350L, 450L);
        SimWorker d = p.all().stream().filter(w -> w.down(10)).findFirst().orElseThrow();
        assertThat(d.health(new SplittableRandom(1), 20)).isNull();
        assertThat(d.perform(new SplittableRandom(1), 20).timedOut()).isTrue();
        assertThat(d.reliability(29)).isZero();
        assertThat(d.down(30)).isFalse();
        assertThat(d.reliability(30)).isEqualTo(0.95);
    }

    @Test
    void biddersAreDistinctAndDeterministic() {
        Scenario s = ScenarioParser.parse("""
                {"name": "b", "seed": 3, "jobs": 1, "groups": [{"name": "h", "count": 50, "behaviour": "honest"}]}
                """);
        List<String> a = new Population(s).bidders(new SplittableRandom(1), 10).stream().map(SimWorker::id).toList();
        List<String> b = new Population(s).bidders(new SplittableRandom(1), 10).stream().map(SimWorker::id).toList();
        assertThat(a).isEqualTo(b).doesNotHaveDuplicates().hasSize(10);
        assertThat(new Population(s).bidders(new SplittableRandom(1), 80)).hasSize(50);
    }

    @Test
    void simulatedClockMovesOnlyWhenTold() {
        SimClock c = new SimClock();
        assertThat(c.instant()).isEqualTo(SimClock.EPOCH);
        c.advance(1500);
        c.set(60_000);
        assertThat(c.instant()).isEqualTo(SimClock.EPOCH.plusSeconds(60));
        assertThat(c.millis()).isEqualTo(SimClock.EPOCH.toEpochMilli() + 60_000);
    }
}
