package org.warden.policy.strict;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.PenaltyType;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;

/** The ejection (auto-ban) rules against hand-computed figures. */
class EjectionTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final StrictPolicy policy = new StrictPolicy(StrictPolicySettings.DEFAULTS);

    /** mean 0.75, σ 0.125: limit 0.75 − 1.9 × 0.125 = 0.5125 = 41/80 exactly in binary. */
    private static NetworkStatistics network(long workersWithVolume) {
        return new NetworkStatistics(20, workersWithVolume, 0.75, 0.125, 5, T0);
    }

    private static TestStats.Builder worker() {
        return TestStats.newcomer(T0).jobs(100, 20, T0);
    }

    @Test
    void fiveFailuresInARowEjectForThirtyMinutesFourDoNot() {
        assertThat(policy.autoBan(worker().consecutiveFailures(4).build(), network(0), T0)).isEmpty();
        BanDecision d = policy.autoBan(worker().consecutiveFailures(5).build(), network(0), T0).orElseThrow();
        assertThat(d.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.reason()).isEqualTo("strict: 5 consecutive failures (limit 5); ejection #1 for 30 min");
    }

    @Test
    void theRuleWithoutNetworkFiguresStillEjectsOnConsecutiveFailures() {
        assertThat(policy.autoBan(worker().consecutiveFailures(5).build(), T0)).isPresent();
        assertThat(policy.autoBan(worker().consecutiveFailures(4).build(), T0)).isEmpty();
    }

    @Test
    void noEjectionWhileABanIsInForce() {
        Ban ban = new Ban("worker-1", "earlier", true, T0, T0.plusSeconds(600), null, null);
        assertThat(policy.autoBan(worker().consecutiveFailures(9).maliciousReports(3).currentBan(ban).build(),
                network(10), T0)).isEmpty();
    }

    @Test
    void ejectionLengthGrowsWithEachBanUpToFiveHours() {
        for (int bans = 0; bans < 10; bans++) {
            assertThat(policy.ejectionTime(bans)).as("after %d bans", bans).isEqualTo(Duration.ofMinutes(30L * (bans + 1)));
        }
        assertThat(policy.ejectionTime(9)).isEqualTo(Duration.ofHours(5));
        assertThat(policy.ejectionTime(10)).isEqualTo(Duration.ofHours(5));
        assertThat(policy.ejectionTime(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(5));

        BanDecision third = policy.autoBan(worker().consecutiveFailures(5).banCount(2).build(), network(0), T0)
                .orElseThrow();
        assertThat(third.duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(third.reason()).endsWith("ejection #3 for 90 min");
    }

    @Test
    void aCapBelowTheGrowthIsRespected() {
        StrictPolicy p = Configs.policy(Map.of("baseEjectionTimeMinutes", 40L, "maxEjectionTimeMinutes", 100L));
        assertThat(p.ejectionTime(0)).isEqualTo(Duration.ofMinutes(40));
        assertThat(p.ejectionTime(1)).isEqualTo(Duration.ofMinutes(80));
        assertThat(p.ejectionTime(2)).isEqualTo(Duration.ofMinutes(100));
    }

    @Test
    void successRateOutlierIsEjectedWithEnoughHostsAndVolume() {
        // 40 / 80 = 0.5 < 0.5125
        TestStats w = worker().day(40, 40).build();
        BanDecision d = policy.autoBan(w, network(5), T0).orElseThrow();
        assertThat(d.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.reason()).isEqualTo("strict: success rate 0.5000 over 80.0 jobs in the last day below the "
                + "network's 0.7500 - 1.90 x 0.1250 = 0.5125 (5 workers); ejection #1 for 30 min");
    }

    @Test
    void exactlyAtTheBoundaryIsNotEjected() {
        // 41 / 80 = 0.5125 = 0.75 − 1.9 × 0.125: not below
        assertThat(41.0 / 80).isEqualTo(0.75 - 1.9 * 0.125);
        assertThat(policy.autoBan(worker().day(41, 39).build(), network(5), T0)).isEmpty();
        // one success less over the same volume: 40.9 / 80 < 0.5125
        assertThat(policy.autoBan(worker().day(40.9, 39.1).build(), network(5), T0)).isPresent();
    }

    @Test
    void nothingBelowTheMinimumHostCount() {
        assertThat(policy.autoBan(worker().day(0, 80).build(), network(4), T0)).isEmpty();
        assertThat(policy.autoBan(worker().day(0, 80).build(), network(5), T0)).isPresent();
        assertThat(policy.autoBan(worker().day(0, 80).build(), NetworkStatistics.EMPTY, T0)).isEmpty();
    }

    @Test
    void nothingBelowTheMinimumRequestVolume() {
        // 9.9 jobs, all failed: below the volume of 10, not judged
        assertThat(policy.autoBan(worker().day(0, 9.9).build(), network(50), T0)).isEmpty();
        // 10 jobs exactly: judged, 0 < 0.5125
        assertThat(policy.autoBan(worker().day(0, 10).build(), network(50), T0)).isPresent();
        assertThat(policy.autoBan(worker().day(0, 0).build(), network(50), T0)).isEmpty();
    }

    @Test
    void aMaliciousReportBansWithoutEnd() {
        BanDecision d = policy.autoBan(worker().maliciousReports(1).build(), network(0), T0).orElseThrow();
        assertThat(d.duration()).isNull();
        assertThat(d.reason()).isEqualTo("strict: malicious behaviour, 1 report(s) (limit 1); ban without end");
        StrictPolicy lenient = Configs.policy(Map.of("maliciousReports", 2));
        assertThat(lenient.autoBan(worker().maliciousReports(1).build(), network(0), T0)).isEmpty();
        assertThat(lenient.autoBan(worker().maliciousReports(2).build(), network(0), T0)).isPresent();
    }

    @Test
    void aHealthyWorkerIsNotEjected() {
        assertThat(policy.autoBan(worker().day(95, 5).consecutiveFailures(1).build(), network(50), T0)).isEmpty();
    }

    @Test
    void severities() {
        assertThat(policy.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(policy.defaultSeverity(PenaltyType.MALICIOUS_BEHAVIOR)).isEqualTo(1.0);
        assertThat(policy.defaultSeverity(PenaltyType.BAN)).isEqualTo(1.0);
        assertThat(policy.defaultSeverity(PenaltyType.JOB_FAILURE)).isEqualTo(0.5);
        assertThat(policy.defaultSeverity(PenaltyType.SPAM)).isEqualTo(0.5);
    }
}
