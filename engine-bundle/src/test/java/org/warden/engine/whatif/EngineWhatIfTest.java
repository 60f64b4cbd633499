package org.warden.engine.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfReport.BanDifference;
import org.warden.api.whatif.WhatIfRequest;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.policy.PolicyCandidates;
import org.warden.engine.state.Journal;

/** The service's choices: the candidate by name among the installed policies, the policy in force, the window. */
class EngineWhatIfTest {

    private final ThresholdPolicy strict = new ThresholdPolicy(0.6, 3);
    private final RecordedRun run = new RecordedRun("threshold", new ThresholdPolicy(0.3, 0), EngineSettings.DEFAULTS);
    private final EngineWhatIf whatIf = new EngineWhatIf(run.live, () -> List.of(
            new PolicyCandidates.Candidate("threshold", run.policy, 0, 1),
            new PolicyCandidates.Candidate("strict", strict, 0, 2)));

    EngineWhatIfTest() {
        run.live.bindPolicy(strict, Map.of(WardenPolicy.NAME_PROPERTY, "strict")); // installed, not in force
        run.playHandScenario();
    }

    @Test
    void theCandidateIsReplayedAgainstThePolicyInForceOverTheWindowAskedFor() {
        WhatIfReport report = whatIf.whatIf(new WhatIfRequest("strict", Duration.ofMinutes(1), Map.of()),
                WhatIfProgress.NONE);

        assertThat(report.policy()).isEqualTo("strict");
        assertThat(report.livePolicy()).isEqualTo("threshold");
        assertThat(report.historyComplete()).isTrue();
        assertThat(report.entriesReplayed()).isEqualTo(18);
        assertThat(report.bansAdded()).containsExactly(
                new BanDifference("b", RecordedRun.T0.plusSeconds(11), "3 failures in a row", true));
        assertThat(report.baselineMismatches()).isZero();
        assertThat(run.live.policy().name()).as("the live engine's policy is untouched").isEqualTo("threshold");
        assertThat(run.live.reputation("b").orElseThrow().ban()).as("nor its state").isNull();
    }

    @Test
    void theWindowEndsNowByTheEnginesClock() {
        // now is T0 + 16 s: the last 12 s start after the health reports
        WhatIfReport report = whatIf.whatIf(new WhatIfRequest("threshold", Duration.ofSeconds(12), Map.of(
                "threshold", "0.3")), WhatIfProgress.NONE);

        assertThat(report.from()).isEqualTo(RecordedRun.T0.plusSeconds(4));
        assertThat(report.entriesReplayed()).isEqualTo(15);
        assertThat(report.historyComplete()).isFalse();
        assertThat(report.overrides()).isEqualTo(Map.of("threshold", "0.3"));
    }

    @Test
    void aPolicyNotInstalledIsRefusedNamingThoseThatAre() {
        assertThatThrownBy(() -> whatIf.whatIf(new WhatIfRequest("bayesian", Duration.ofHours(1), Map.of()),
                WhatIfProgress.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy bayesian is not installed (installed: strict, threshold)");
    }

    @Test
    void anEngineThatKeepsNoHistoryRefusesSayingSo() {
        run.live.useJournal(Journal.NONE);

        assertThatThrownBy(() -> whatIf.whatIf(new WhatIfRequest("strict", Duration.ofHours(1), Map.of()),
                WhatIfProgress.NONE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no history is kept");
    }
}
