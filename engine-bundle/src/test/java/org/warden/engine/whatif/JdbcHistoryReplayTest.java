package org.warden.engine.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.whatif.WhatIfReport;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.state.History;
import org.warden.engine.store.JdbcJournal;
import org.warden.engine.store.JdbcStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/**
 * The history as the durable store keeps it (H2 on disk), not as a test keeps it in memory: a run journaled by the
 * store and read back through {@link JdbcJournal#history()} replays under the same policy into the live engine's
 * state exactly, and under another policy differs without touching the live engine.
 */
class JdbcHistoryReplayTest {

    private static final EngineSettings SETTINGS = EngineSettings.DEFAULTS;

    @TempDir
    Path dir;

    @Test
    void aJournalWrittenByTheStoreReplaysIntoTheLiveStateExactly() throws Exception {
        RecordedRun run = new RecordedRun("default", new DefaultPolicy(DefaultPolicySettings.SEED), SETTINGS);
        JdbcJournal.Settings settings = new JdbcJournal.Settings("node", false, false, Duration.ofMillis(50),
                Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(10), 1_000_000, 10_000,
                Duration.ofHours(1), 0).withHistoryRetention(Duration.ofDays(7));
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
        try (JdbcStore store = new JdbcStore(() -> DriverManager.getConnection(url), "h2", settings, run.clock)) {
            run.live.useJournal(store.start(run.live.book().replay()));
            run.drive(11, 2000, 25);
            JdbcJournal journal = store.journal();
            await().atMost(Duration.ofSeconds(60)).until(() -> journal.status().backlog() == 0);
            History history = journal.history();
            assertThat(history.retained()).get().extracting(History.Retained::fromStart).isEqualTo(true);
            String before = run.live.workerIds().toString();

            WhatIfReport same = new WhatIfRunner(SETTINGS).run(history, RecordedRun.T0, run.side(), run.side(),
                    Map.of(), run.live, null);
            WhatIfReport other = new WhatIfRunner(SETTINGS).run(history, RecordedRun.T0, run.side(),
                    new WhatIfRunner.Side("threshold", new ThresholdPolicy(0.5, 2), Map.of()),
                    Map.of(), run.live, null);

            assertThat(same.entriesReplayed()).as("every entry the run journaled, auctions included")
                    .isEqualTo(history.retained().get().entries()).isGreaterThan(2000);
            assertThat(same.baselineMismatches()).isZero();
            assertThat(same.auctions().recorded()).isPositive();
            assertThat(same.auctions().topChoiceDiffers()).isZero();
            assertThat(same.bansAdded()).isEmpty();
            assertThat(same.bansRemoved()).isEmpty();
            assertThat(same.reputationShift().max()).isZero();
            assertThat(same.reputationShift().min()).isZero();
            assertThat(other.baselineMismatches()).isZero();
            assertThat(other.bansAdded()).as("banned at a second failure in a row").isNotEmpty();
            assertThat(other.reputationShift().max() - other.reputationShift().min())
                    .as("another policy judges otherwise").isPositive();
            assertThat(run.live.workerIds().toString()).as("the live engine untouched").isEqualTo(before);
        }
    }
}
