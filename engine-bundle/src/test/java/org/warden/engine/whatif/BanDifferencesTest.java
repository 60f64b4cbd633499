package org.warden.engine.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.warden.api.whatif.WhatIfReport.BanDifference;
import org.warden.api.whatif.WhatIfReport.Distribution;

class BanDifferencesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final BanDifferences bans = new BanDifferences();

    private static BanDifference ban(String worker, int second, boolean automatic) {
        return new BanDifference(worker, T.plusSeconds(second), "why " + second, automatic);
    }

    @Test
    void aWorkerBannedOnBothSidesIsNoDifferenceWhateverTheTimeAndReason() {
        bans.candidate(ban("a", 1, true));
        bans.baseline(ban("a", 50, true));
        bans.baseline(ban("b", 2, false));
        bans.candidate(ban("b", 2, false));

        assertThat(bans.added()).isEmpty();
        assertThat(bans.removed()).isEmpty();
    }

    @Test
    void unmatchedBansAreListedEarliestFirstAndAnOperatorsBanMatchesNoAutomaticOne() {
        bans.candidate(ban("c", 9, true));
        bans.candidate(ban("a", 3, true));
        bans.candidate(ban("a", 1, true));
        bans.baseline(ban("a", 5, true)); // matches the candidate's first ban of a (second 3)
        bans.baseline(ban("d", 4, false));
        bans.candidate(ban("d", 6, true));

        assertThat(bans.added()).containsExactly(ban("a", 1, true), ban("d", 6, true), ban("c", 9, true));
        assertThat(bans.removed()).containsExactly(ban("d", 4, false));
        assertThat(bans.addedCount()).isEqualTo(3);
        assertThat(bans.removedCount()).isEqualTo(1);
    }

    @Test
    void theListsAreBoundedButTheCountsAreNot() {
        int many = BanDifferences.KEPT + 500;
        for (int i = 0; i < many; i++) {
            bans.candidate(ban("w" + i, i, true));
        }

        assertThat(bans.added()).hasSize(BanDifferences.LISTED).first().isEqualTo(ban("w0", 0, true));
        assertThat(bans.addedCount()).isEqualTo(many);
    }

    @Test
    void theDistributionInterpolatesItsQuantiles() {
        Distribution d = EndComparison.distribution(new double[] { 0.4, -0.2, 0, 0.2, 0.1, 0, 0, 0, 0, 0, 0.5 });

        assertThat(d.count()).isEqualTo(11);
        assertThat(d.min()).isEqualTo(-0.2);
        assertThat(d.max()).isEqualTo(0.5);
        assertThat(d.median()).isZero();
        assertThat(d.p10()).isZero(); // sorted[1]
        assertThat(d.p90()).isEqualTo(0.4); // sorted[9]
        assertThat(d.mean()).isCloseTo(1.0 / 11, offset(1e-12));
        assertThat(EndComparison.distribution(new double[0])).isEqualTo(new Distribution(0, 0, 0, 0, 0, 0, 0));
    }
}
