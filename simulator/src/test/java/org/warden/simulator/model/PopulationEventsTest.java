package org.warden.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.warden.api.HealthMetrics;

/** Ranges of success probability, drift, group failure and instant whitewashers, in the model. */
class PopulationEventsTest {

    private static double goodRate(SimWorker w, int fromJob, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int good = 0;
        for (int i = 0; i < n; i++) {
            good += w.perform(r, fromJob + i).good() ? 1 : 0;
        }
        return (double) good / n;
    }

    private static List<Double> probabilities(Scenario s) {
        return new Population(s).all().stream().map(w -> w.successProbability(0)).toList();
    }

    @Test
    void aRangeIsDrawnPerWorkerWithinItsBoundsDeterministically() {
        String json = """
                {"name": "r", "seed": %d, "jobs": 10,
                 "groups": [{"name": "h", "count": 500, "behaviour": "honest", "successProbability": [0.80, 0.99]},
                            {"name": "f", "count": 5, "behaviour": "honest", "successProbability": 0.9}]}
                """;
        Scenario s = ScenarioParser.parse(json.formatted(3));
        List<Double> p = probabilities(s);
        List<Double> ranged = p.subList(0, 500);
        assertThat(ranged).allSatisfy(x -> assertThat(x).isBetween(0.80, 0.99));
        assertThat(ranged.stream().distinct().count()).isEqualTo(500);
        // spread over the range, not bunched: both ends are reached within a few hundredths
        assertThat(ranged.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThan(0.81);
        assertThat(ranged.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isGreaterThan(0.98);
        assertThat(p.subList(500, 505)).containsOnly(0.9);
        assertThat(probabilities(s)).isEqualTo(p);
        assertThat(probabilities(ScenarioParser.parse(json.formatted(4)))).isNotEqualTo(p);
        // the oracle's figure follows the worker's own draw
        SimWorker w = new Population(s).all().get(7);
        assertThat(w.reliability(0)).isEqualTo(p.get(7));
        assertThat(goodRate(w, 0, 20_000, 1)).isCloseTo(p.get(7), within(0.01));
    }

    @Test
    void driftChangesTheTrueProbabilityAtItsStartAndBackAfterItsDuration() {
        Scenario s = ScenarioParser.parse("""
                {"name": "d", "seed": 5, "jobs": 100,
                 "groups": [{"name": "a", "count": 10, "behaviour": "honest", "successProbability": 0.95},
                            {"name": "b", "count": 10, "behaviour": "honest", "successProbability": 0.95}],
                 "events": [{"type": "drift", "atJob": 100, "durationJobs": 50, "group": "a", "successProbability": 0.5},
                            {"type": "drift", "atJob": 120, "group": "b", "successProbability": 0.7}]}
                """);
        Population pop = new Population(s);
        SimWorker a = pop.all().get(0);
        SimWorker b = pop.all().get(10);
        pop.advanceTo(99);
        assertThat(a.successProbability(99)).isEqualTo(0.95);
        pop.advanceTo(100);
        assertThat(a.successProbability(99)).isEqualTo(0.95);
        assertThat(a.successProbability(100)).isEqualTo(0.5);
        assertThat(a.reliability(149)).isEqualTo(0.5);
        assertThat(a.successProbability(150)).isEqualTo(0.95);
        assertThat(b.successProbability(100)).isEqualTo(0.95);
        pop.advanceTo(120);
        assertThat(b.successProbability(120)).isEqualTo(0.7);
        assertThat(b.successProbability(5_000_000)).isEqualTo(0.7); // for good
        // the outcomes follow: a worker fails half its jobs inside the window
        SimWorker c = new Population(s).all().get(1);
        Population p2 = new Population(s);
        p2.advanceTo(100);
        SimWorker drifted = p2.all().get(1);
        assertThat(goodRate(drifted, 100, 50, 2)).isLessThan(0.8);
        assertThat(drifted.successProbability(100)).isEqualTo(0.5);
        assertThat(c.successProbability(100)).isEqualTo(0.95); // its population never reached job 100
    }

    @Test
    void driftOfAShareTouchesAboutThatShareOfItsTargets() {
        Scenario s = ScenarioParser.parse("""
                {"name": "d", "seed": 6, "jobs": 100,
                 "groups": [{"name": "a", "count": 1000, "behaviour": "honest"}],
                 "events": [{"type": "drift", "atJob": 0, "share": 0.3, "successProbability": 0.6}]}
                """);
        Population pop = new Population(s);
        pop.advanceTo(0);
        long drifted = pop.all().stream().filter(w -> w.successProbability(0) == 0.6).count();
        assertThat(drifted).isBetween(250L, 350L);
    }

    @Test
    void aGroupFailureFailsEveryJobOfTheGroupWhileItsHealthStaysGood() {
        Scenario s = ScenarioParser.parse("""
                {"name": "g", "seed": 7, "jobs": 100,
                 "groups": [{"name": "op", "count": 5, "behaviour": "honest", "successProbability": 1.0},
                            {"name": "other", "count": 5, "behaviour": "honest", "successProbability": 1.0},
                            {"name": "late", "count": 1, "behaviour": "honest", "successProbability": 1.0, "joinAtJob": 50}],
                 "events": [{"type": "group-failure", "atJob": 10, "durationJobs": 20, "group": "op"}]}
                """);
        Population pop = new Population(s);
        pop.advanceTo(10);
        SplittableRandom r = new SplittableRandom(1);
        for (SimWorker w : pop.all().subList(0, 5)) {
            assertThat(w.failing(10)).isTrue();
            assertThat(w.reliability(10)).isZero();
            for (int job = 10; job < 30; job++) {
                JobResult j = w.perform(r, job);
                assertThat(j.completed()).isFalse();
                assertThat(j.timedOut()).isFalse(); // a fast failure, not an outage's timeout
            }
            HealthMetrics h = w.health(r, 20);
            assertThat(h).isNotNull();
            assertThat(h.errorCount()).isZero();
            assertThat(w.down(20)).isFalse();
            assertThat(w.perform(r, 30).good()).isTrue();
            assertThat(w.reliability(30)).isEqualTo(1.0);
        }
        for (SimWorker w : pop.all().subList(5, 11)) {
            assertThat(w.failing(15)).isFalse();
            assertThat(w.perform(r, 15).good()).isTrue();
        }
    }

    @Test
    void aWhitewasherWithNoDelayIsBackForTheNextJob() {
        Scenario s = ScenarioParser.parse("""
                {"name": "w", "seed": 1, "jobs": 100,
                 "groups": [{"name": "ww", "count": 1, "behaviour": "whitewasher", "rejoinDelayJobs": 0}]}
                """);
        Population p = new Population(s);
        SimWorker w = p.present().get(0);
        p.banned(w, 5);
        assertThat(p.present()).isEmpty();
        assertThat(p.advanceTo(6)).containsExactly(w);
        assertThat(w.id()).isEqualTo("ww-0-r1");
        assertThat(w.joinedAtJob()).isEqualTo(6);
        p.banned(w, 6);
        assertThat(p.advanceTo(7)).containsExactly(w);
        assertThat(w.id()).isEqualTo("ww-0-r2");
        assertThat(p.present()).containsExactly(w);
    }
}
