package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.failed;
import static org.warden.engine.Fixtures.ok;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.warden.api.NetworkHealth;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.state.WorkerRecord;

/**
 * The network health scan on a store full of banned identities that are gone (what whitewashers leave behind):
 * the policy is never asked about them, and the figures are those of a full pass over every record.
 */
class NetworkHealthScanTest {

    private static final int GONE = 300;
    private static final int JOBS_EACH = 20;

    private final Fixtures f = new Fixtures(); // maximum age zero: every read scans
    private final StubPolicy stub = new StubPolicy();
    private final WardenEngine engine = f.with("stub", stub).engine;
    /** The workers the policy was asked the reputation of; every policy call (reputation and health). */
    private final List<String> reputationAsked = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger policyCalls = new AtomicInteger();

    @Test
    void bannedWorkersThatAreGoneAreCountedWithoutAskingThePolicyAndTheFiguresAreThoseOfAFullPass() {
        // identities banned for good after 20 jobs each, with last-day success rates from 0 to 1
        for (int i = 0; i < GONE; i++) {
            String id = "gone-" + i;
            engine.reportHealth(id, GOOD);
            for (int j = 0; j < JOBS_EACH; j++) {
                engine.recordOutcome(j < i % (JOBS_EACH + 1) ? ok(id) : failed(id));
            }
            engine.ban(id, "whitewasher", null);
        }
        engine.recordOutcome(ok("banned-here"));
        engine.ban("banned-here", "still reporting", null);
        // six hours later: the gone ones have not been heard from (inactive); their counters have decayed
        f.clock.advance(Duration.ofHours(6));
        engine.reportHealth("banned-here", GOOD);
        for (String id : List.of("live-a", "live-b", "live-c")) {
            engine.reportHealth(id, GOOD);
            for (int j = 0; j < JOBS_EACH; j++) {
                engine.recordOutcome(j % 4 == 0 ? failed(id) : ok(id));
            }
        }
        stub.reputation = s -> {
            reputationAsked.add(s.workerId());
            return 0.8;
        };
        stub.onCall = policyCalls::incrementAndGet;

        NetworkHealth n = engine.networkHealth();

        assertThat(n.totalWorkers()).isEqualTo(GONE + 4);
        assertThat(n.bannedWorkers()).isEqualTo(GONE + 1);
        assertThat(n.activeWorkers()).isEqualTo(4);
        assertThat(n.healthyWorkers()).as("a banned worker still reporting is judged for health").isEqualTo(4);
        assertThat(n.averageReputation()).isEqualTo(0.8, within(1e-12));
        assertThat(reputationAsked).as("only workers not banned are judged for reputation")
                .containsExactlyInAnyOrder("live-a", "live-b", "live-c");
        assertThat(policyCalls).as("3 reputations, 4 health judgements: none for the banned ones gone")
                .hasValue(3 + 4);

        // the rate statistics still count every worker with volume, banned and gone ones too, as a full pass would
        NetworkStatistics expected = fullPass(engine, f.clock.instant());
        NetworkStatistics actual = engine.networkStatistics();
        assertThat(actual.workers()).isEqualTo(GONE + 4);
        assertThat(actual.workersWithVolume()).isEqualTo(expected.workersWithVolume()).isEqualTo(GONE + 3);
        assertThat(actual.meanSuccessRate()).isEqualTo(expected.meanSuccessRate(), within(1e-12));
        assertThat(actual.stddevSuccessRate()).isEqualTo(expected.stddevSuccessRate(), within(1e-12));
        assertThat(actual.stddevSuccessRate()).isGreaterThan(0.25);
    }

    /** The statistics computed the plain way: every record decayed to now, then mean and deviation of the rates. */
    private static NetworkStatistics fullPass(WardenEngine engine, Instant now) {
        double minVolume = engine.book().settings().networkMinVolume();
        List<Double> rates = new ArrayList<>();
        engine.book().store().forEach(stored -> {
            WorkerRecord r = stored.decayedTo(now);
            double s = r.decayedSuccesses(Horizon.DAY);
            double judged = s + r.decayedFailures(Horizon.DAY);
            if (judged > 0 && judged >= minVolume) {
                rates.add(s / judged);
            }
        });
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = rates.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / rates.size();
        return new NetworkStatistics(engine.book().store().size(), rates.size(), mean, Math.sqrt(variance), minVolume,
                now);
    }
}
