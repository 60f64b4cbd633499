package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.NetworkHealth;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.snapshot.Snapshot;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.core.ShadowMonitor;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/**
 * {@code warden:explain} is a viewer's command and records nothing: made-up bids move none of the shadow policy's
 * counters (and no worker's state), while the distributor's own ranking of the same bids does.
 */
class ExplainRecordsNothingTest {

    private final WardenEngine engine = new WardenEngine(
            Clock.fixed(Instant.parse("2026-12-05T09:25:00Z"), ZoneOffset.UTC), new InMemoryWorkerStore(),
            EngineSettings.DEFAULTS, EventSink.NONE);

    ExplainRecordsNothingTest() {
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
        engine.configurePolicies("", "shadow");
        engine.bindShadow(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "shadow"));
        for (String w : List.of("w1", "w2", "w3")) {
            engine.reportHealth(w, HealthMetrics.of(150, 20, 30, 40, 20));
            engine.recordOutcome(JobOutcome.of(w, true, 1000, BigInteger.TEN, null));
        }
        engine.ban("w3", "forged results", null);
    }

    private ShellRun.Output explain(boolean json, String jobId, String... bids) throws Exception {
        ExplainCommand command = new ExplainCommand();
        command.specs = List.of(bids);
        command.jobId = jobId;
        command.json = json;
        ShellRun.inject(command, "engine", engine.insight());
        ShellRun.inject(command, "reputation", engine);
        ShellRun.inject(command, "health", engine);
        return ShellRun.run(command);
    }

    @Test
    void explainLeavesTheShadowCountersAndEveryRecordAsTheyWere() throws Exception {
        engine.rank("real-job", List.of(Bid.of("w1", 5, 10), Bid.of("w2", 6, 20))); // the distributor's auction
        ShadowMonitor.Report before = engine.insight().shadowReport().orElseThrow();
        assertThat(before.rankingsCompared()).isEqualTo(1);
        Snapshot stateBefore = engine.export();
        NetworkHealth networkBefore = engine.networkHealth();
        long faultsBefore = engine.book().guard().faults();

        ShellRun.Output table = explain(false, "made-up", "w1:1:1", "w2:999999:99999", "w3:5:5", "ghost:1:1");
        assertThat(table.err()).isEmpty();
        assertThat(table.out()).contains("nothing recorded").contains("Left out: w3").contains("Left out: ghost");
        assertThat(explain(true, null, "w2:3:30", "w1:4:40").err()).isEmpty();
        assertThat(explain(false, null, "ghost:1:1").err()).as("no eligible bid at all").isEmpty();
        assertThat(explain(false, null, "w\u202E1:1:1").refusal()).startsWith("Error: bids[0]: workerId contains U+202E");

        assertThat(engine.insight().shadowReport().orElseThrow()).isEqualTo(before);
        assertThat(engine.export()).isEqualTo(stateBefore);
        assertThat(engine.networkHealth()).isEqualTo(networkBefore);
        assertThat(engine.book().guard().faults()).isEqualTo(faultsBefore);

        // the counters are live: the distributor's ranking of the same bids moves them
        engine.rank("real-job-2", List.of(Bid.of("w1", 1, 1), Bid.of("w2", 999_999, 99_999)));
        assertThat(engine.insight().shadowReport().orElseThrow().rankingsCompared()).isEqualTo(2);
    }

    @Test
    void explainRanksExactlyAsTheDistributorsRanking() {
        List<Bid> bids = List.of(Bid.of("w1", 5, 10), Bid.of("w2", 6, 20), Bid.of("w3", 1, 1));
        assertThat(engine.insight().explain("job", bids)).isEqualTo(engine.rank("job", bids));
    }
}
