package org.warden.engine.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfReport.BanDifference;
import org.warden.api.whatif.WhatIfReport.EligibilityChange;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.state.Change;
import org.warden.engine.state.History;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

class WhatIfRunnerTest {

    private static final EngineSettings SETTINGS = EngineSettings.DEFAULTS;

    /** The same policy and configuration: the baseline is the live engine, and the candidate changes nothing. */
    @Test
    void replayUnderTheSamePolicyReproducesTheLiveEngineExactly() {
        RecordedRun run = new RecordedRun("default", new DefaultPolicy(DefaultPolicySettings.SEED), SETTINGS);
        run.drive(42, 4000, 40);
        // the run did what a replay must reproduce: automatic bans, operator bans, unbans, imports, rankings
        assertThat(run.count(RecordedRun::automaticBan)).as("automatic bans").isPositive();
        assertThat(run.count(e -> !e.isAuction() && !e.isClear()
                && e.changes().get(0) instanceof Change.BanChange)).as("operator bans").isPositive();
        assertThat(run.count(e -> !e.isAuction() && !e.isClear()
                && e.changes().get(0) instanceof Change.Unban)).as("unbans").isPositive();
        assertThat(run.count(e -> !e.isAuction() && !e.isClear()
                && e.changes().get(0) instanceof Change.Put)).as("imports").isPositive();
        assertThat(run.count(JournalEntry::isClear)).as("imports replacing everything").isPositive();
        long auctions = run.count(JournalEntry::isAuction);
        assertThat(run.count(e -> e.isAuction() && e.auction().chosen() != null)).as("auctions won")
                .isGreaterThan(auctions / 3);
        assertThat(run.count(e -> e.isAuction() && e.auction().chosen() == null)).as("auctions nobody won")
                .isPositive();
        List<long[]> told = new ArrayList<>();

        WhatIfReport report = new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(), run.side(),
                Map.of(), run.live, (done, total) -> told.add(new long[] { done, total }));

        assertThat(report.baselineMismatches()).isZero();
        assertThat(report.historyComplete()).isTrue();
        assertThat(report.entriesReplayed()).isEqualTo(run.history.size());
        assertThat(report.workers()).isEqualTo(run.live.workerIds().size());
        assertThat(report.auctions().recorded()).isEqualTo(auctions);
        assertThat(report.auctions().topChoiceDiffers()).as("every recorded top choice ranked first again").isZero();
        assertThat(report.auctions().noEligibleBidder()).isEqualTo(report.auctions().noEligibleRecorded());
        assertThat(report.bansAdded()).isEmpty();
        assertThat(report.bansRemoved()).isEmpty();
        assertThat(report.eligibilityChanges()).isEmpty();
        assertThat(report.reputationShift().count()).isEqualTo(report.workers());
        assertThat(report.reputationShift().min()).isZero();
        assertThat(report.reputationShift().max()).isZero();
        // the live engine's pending bans, and those it dismissed (a dismissal is not journaled: it changes no record)
        assertThat(report.pendingBans()).isGreaterThanOrEqualTo(run.live.pendingBans().size());
        assertThat(told).as("progress every few thousand entries, and at the end").isNotEmpty();
        assertThat(told.get(told.size() - 1)).containsExactly(run.history.size(), run.history.size());
    }

    @Test
    void aChangeTheHistoryDoesNotHoldIsAMismatchOfTheBaseline() {
        RecordedRun run = new RecordedRun("default", new DefaultPolicy(DefaultPolicySettings.SEED), SETTINGS);
        run.drive(7, 500, 10);
        run.live.useJournal(Journal.NONE);
        run.live.ban("w03", "not journaled", null);

        WhatIfReport report = new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(), run.side(),
                Map.of(), run.live, WhatIfProgress.NONE);

        assertThat(report.baselineMismatches()).isEqualTo(1);
    }

    /**
     * By hand: a succeeds 5 times, b fails 3 times in a row then succeeds once, c succeeds twice and fails twice;
     * all report health. Live: threshold 0.3, no automatic ban. Candidate: threshold 0.6, banned at 3 failures.
     */
    @Test
    void aStricterCandidateShowsTheBansAddedAndTheEligibilityChangesWorkedOutByHand() {
        RecordedRun run = handScenario();
        Instant bannedAt = RecordedRun.T0.plusSeconds(3 + 5 + 3); // health x3, a x5, b's third failure

        WhatIfReport report = new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(),
                new WhatIfRunner.Side("strict", new ThresholdPolicy(0.6, 3), Map.of()), Map.of(), run.live,
                WhatIfProgress.NONE);

        assertThat(report.policy()).isEqualTo("strict");
        assertThat(report.livePolicy()).isEqualTo("threshold");
        assertHandResult(report, bannedAt);
    }

    @Test
    void overridesConfigureTheCandidate() {
        RecordedRun run = handScenario();
        Instant bannedAt = RecordedRun.T0.plusSeconds(3 + 5 + 3);

        WhatIfReport report = new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(), run.side(),
                Map.of("threshold", "0.6", "banAtFailures", "3"), run.live, WhatIfProgress.NONE);

        assertThat(report.overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("threshold", "0.6", "banAtFailures", "3"));
        assertHandResult(report, bannedAt);
    }

    private static void assertHandResult(WhatIfReport report, Instant bannedAt) {
        assertThat(report.bansAdded()).containsExactly(new BanDifference("b", bannedAt, "3 failures in a row", true));
        assertThat(report.bansRemoved()).isEmpty();
        // b: (1+1)/(4+2) = 0.333 eligible at 0.3, banned by the candidate; c: (2+1)/(4+2) = 0.5, below 0.6
        assertThat(report.eligibilityChanges()).extracting(EligibilityChange::workerId, EligibilityChange::liveEligible,
                EligibilityChange::candidateEligible).containsExactly(
                        tuple("b", true, false),
                        tuple("c", true, false));
        assertThat(report.eligibilityChanges().get(0).candidateReason()).startsWith("banned: 3 failures in a row");
        assertThat(report.eligibilityChanges().get(1).candidateReason()).contains("below the threshold 0.6000");
        // the same reputation formula: nobody moves
        assertThat(report.reputationShift().count()).isEqualTo(3);
        assertThat(report.reputationShift().max()).isZero();
        // the auction {b, c} after b's third failure: live chose c (0.5 > 0.2); the candidate finds nobody eligible
        assertThat(report.auctions()).isEqualTo(new WhatIfReport.Auctions(2, 1, 1, 0));
        assertThat(report.baselineMismatches()).isZero();
        assertThat(report.entriesReplayed()).as("3 health reports, 13 outcomes, 2 auctions").isEqualTo(18);
    }

    private static RecordedRun handScenario() {
        return new RecordedRun("threshold", new ThresholdPolicy(0.3, 0), SETTINGS).playHandScenario();
    }

    @Test
    void anOverrideThePolicyRefusesIsRefusedNamingTheKeyBeforeAnythingIsReplayed() {
        RecordedRun run = handScenario();
        List<long[]> told = new ArrayList<>();

        assertThatThrownBy(() -> new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(), run.side(),
                Map.of("thresold", "0.6"), run.live, (done, total) -> told.add(new long[] { done })))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thresold");
        assertThat(told).isEmpty();
    }

    @Test
    void aPolicyThatIsNotConfigurableTakesNoOverrides() {
        RecordedRun run = new RecordedRun("default", new DefaultPolicy(DefaultPolicySettings.SEED), SETTINGS);
        run.drive(1, 50, 5);

        assertThatThrownBy(() -> new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(), run.side(),
                Map.of("minReputationThreshold", "0.5"), run.live, WhatIfProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("policy default takes no overrides");
    }

    @Test
    void anInterruptedReplayIsCancelled() {
        RecordedRun run = new RecordedRun("default", new DefaultPolicy(DefaultPolicySettings.SEED), SETTINGS);
        run.drive(3, 5000, 10);
        assertThat(run.history.size()).isGreaterThan(WhatIfRunner.PROGRESS_EVERY + WhatIfRunner.CANCEL_CHECK_EVERY);
        List<Long> told = new ArrayList<>();
        // interrupted from the progress callback: the replay is under way when it looks next
        WhatIfProgress interrupt = (done, total) -> {
            told.add(done);
            Thread.currentThread().interrupt();
        };
        try {
            assertThatThrownBy(() -> new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0, run.side(),
                    run.side(), Map.of(), run.live, interrupt)).isInstanceOf(CancellationException.class)
                    .hasMessage("what-if replay cancelled after " + WhatIfRunner.PROGRESS_EVERY + " entries");
        } finally {
            Thread.interrupted(); // never leave the test thread interrupted
        }
        assertThat(told).containsExactly((long) WhatIfRunner.PROGRESS_EVERY);
    }

    @Test
    void aHistoryNotRetainedIsRefusedByTheHistory() {
        assertThatThrownBy(() -> new WhatIfRunner(SETTINGS).run(History.NONE, RecordedRun.T0,
                new WhatIfRunner.Side("a", new ThresholdPolicy(0.3, 0), Map.of()),
                new WhatIfRunner.Side("b", new ThresholdPolicy(0.3, 0), Map.of()), Map.of(), null,
                WhatIfProgress.NONE)).isInstanceOf(IllegalStateException.class).hasMessageContaining("no history");
    }

    @Test
    void aWindowStartingAfterTheFirstEntryIsNotCompleteAndReplaysOnlyTheWindow() {
        RecordedRun run = handScenario();
        Instant since = RecordedRun.T0.plusSeconds(4); // after the health reports: a, b, c are not known at the start

        WhatIfReport report = new WhatIfRunner(SETTINGS).run(run.history, since, run.side(), run.side(), Map.of(),
                run.live, WhatIfProgress.NONE);

        assertThat(report.historyComplete()).isFalse();
        assertThat(report.entriesReplayed()).as("all but the 3 health reports").isEqualTo(15);
        assertThat(report.from()).isEqualTo(since);
        // no health reports replayed: nobody is eligible on the baseline, unlike the live engine
        assertThat(report.baselineMismatches()).isEqualTo(3);
    }

    @Test
    void theNumberOfEntriesIsUnknownWhenTheHistoryDoesNotSay() {
        RecordedRun run = handScenario();
        History unknownLength = new History() {
            @Override
            public Optional<Retained> retained() {
                return Optional.of(new Retained(RecordedRun.T0, true, -1));
            }

            @Override
            public void read(Instant since, Visitor visitor) {
                run.history.read(since, visitor);
            }
        };
        List<long[]> told = new ArrayList<>();

        new WhatIfRunner(SETTINGS).run(unknownLength, RecordedRun.T0, run.side(), run.side(), Map.of(), run.live,
                (done, total) -> told.add(new long[] { done, total }));

        assertThat(told).singleElement().satisfies(t -> assertThat(t).containsExactly(18, -1));
    }

    @Test
    void theFallbackIsABaselineToo() {
        RecordedRun run = handScenario();
        WhatIfReport report = new WhatIfRunner(SETTINGS).run(run.history, RecordedRun.T0,
                new WhatIfRunner.Side("fallback", null, Map.of()), run.side(), Map.of(), null, WhatIfProgress.NONE);

        assertThat(report.livePolicy()).isEqualTo("fallback");
        assertThat(report.workers()).isEqualTo(3);
        assertThat(report.baselineMismatches()).as("no live engine given").isZero();
    }
}
