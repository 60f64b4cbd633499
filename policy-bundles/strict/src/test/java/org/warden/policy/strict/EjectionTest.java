package org.warden.policy.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.PenaltyType;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;
import org.warden.policy.testkit.TestStats;

/** The ejection (auto-ban) rules against hand-computed figures. */
class EjectionTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final StrictPolicy policy = new StrictPolicy(StrictPolicySettings.DEFAULTS);

    /** A network succeeding at 0.9: above the acceptable rate, so it leaves the test's rates as configured. */
    private static NetworkStatistics network(long workersWithVolume) {
        return new NetworkStatistics(20, workersWithVolume, 0.9, 0.05, 5, T0);
    }

    /** ln(0.3 / 0.65) and ln(0.7 / 0.35) = ln 2, ln(1000): the default test's steps and bound. */
    private static final double PER_SUCCESS = Math.log(0.3 / 0.65);
    private static final double PER_FAILURE = Math.log(2);
    private static final double BOUND = Math.log(1000);

    private static TestStats.Builder worker() {
        return TestStats.newcomer(T0).jobs(100, 20, T0);
    }

    @Test
    void theDefaultTestAgainstHandComputedValues() {
        FailureEvidence t = policy.evidence(NetworkStatistics.EMPTY);
        assertThat(t.p0()).isEqualTo(0.65);
        assertThat(t.p1()).isEqualTo(0.3);
        assertThat(t.perSuccess()).isCloseTo(-0.7731898882, within(1e-9));
        assertThat(t.perFailure()).isCloseTo(0.6931471806, within(1e-9));
        assertThat(t.bound()).isCloseTo(6.9077552790, within(1e-9));
        // ceil(6.9078 / 0.6931) = ceil(9.966) = 10
        assertThat(t.failuresInARowToReject()).isEqualTo(10);
        // 0.6931 / (0.6931 + 0.7732) = 0.4727: any worker succeeding more often drifts away from ejection
        assertThat(t.breakEvenRate()).isCloseTo(0.4727065798, within(1e-9));
        // 10 successes, 22 failures: 22 x 0.6931471806 - 10 x 0.7731898882 = 15.2492379732 - 7.7318988823
        assertThat(t.logLikelihoodRatio(10, 22)).isCloseTo(7.5173390909, within(1e-9));
    }

    @Test
    void tenFailuresInARowEjectForThirtyMinutesNineDoNot() {
        assertThat(policy.autoBan(worker().consecutiveFailures(9).build(), network(0), T0)).isEmpty();
        BanDecision d = policy.autoBan(worker().consecutiveFailures(10).build(), network(0), T0).orElseThrow();
        assertThat(d.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.reason()).isEqualTo("strict: 10 failures in a row, log-likelihood ratio 6.93 >= 6.91 "
                + "(success 0.650 acceptable, 0.300 broken); ejection #1 for 30 min");
    }

    @Test
    void theRuleWithoutNetworkFiguresStillEjectsOnARunOfFailures() {
        assertThat(policy.autoBan(worker().consecutiveFailures(10).build(), T0)).isPresent();
        assertThat(policy.autoBan(worker().consecutiveFailures(9).build(), T0)).isEmpty();
    }

    @Test
    void aFailingNetworkScalesTheTestDownSoOnlyWorseThanTheOthersIsEjected() {
        // the network succeeds at 0.52: scale 0.8, H0 0.52, H1 0.24; a failure weighs ln(0.76 / 0.48) = 0.4595,
        // so 15 in a row make 6.893 < 6.908 and 16 make 7.353
        NetworkStatistics outage = new NetworkStatistics(200, 150, 0.52, 0.3, 5, T0);
        FailureEvidence t = policy.evidence(outage);
        assertThat(t.p0()).isCloseTo(0.52, within(1e-12));
        assertThat(t.p1()).isCloseTo(0.24, within(1e-12));
        assertThat(t.perFailure()).isCloseTo(0.4595323293, within(1e-9));
        assertThat(policy.autoBan(worker().consecutiveFailures(15).build(), outage, T0)).isEmpty();
        assertThat(policy.autoBan(worker().consecutiveFailures(16).build(), outage, T0)).isPresent();
        // too few workers with volume to trust the network's mean: the configured rates
        NetworkStatistics small = new NetworkStatistics(4, 4, 0.52, 0.3, 5, T0);
        assertThat(policy.autoBan(worker().consecutiveFailures(10).build(), small, T0)).isPresent();
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

        BanDecision third = policy.autoBan(worker().consecutiveFailures(10).banCount(2).build(), network(0), T0)
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
    void aLastDayWithSignificantlyTooManyFailuresIsEjected() {
        // 10 successes, 21 failures: 14.5561 - 7.7319 = 6.8242 < 6.9078; 22 failures: 7.5173
        assertThat(10 * PER_SUCCESS + 21 * PER_FAILURE).isLessThan(BOUND);
        assertThat(policy.autoBan(worker().day(10, 21).build(), network(50), T0)).isEmpty();
        BanDecision d = policy.autoBan(worker().day(10, 22).build(), network(50), T0).orElseThrow();
        assertThat(d.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.reason()).isEqualTo("strict: 10.0 successes and 22.0 failures in the last day, log-likelihood "
                + "ratio 7.52 >= 6.91 (success 0.650 acceptable, 0.300 broken); ejection #1 for 30 min");
    }

    @Test
    void honestWorkersAtTheLowEndAreNotEjected() {
        // a flaky worker (70 %) over a day: 70 x -0.7732 + 30 x 0.6931 = -33.3, far from the bound
        assertThat(policy.autoBan(worker().day(70, 30).consecutiveFailures(4).build(), network(50), T0)).isEmpty();
        // even a bad streak of a 70 % worker: 12 failures out of 20 jobs: 8 x -0.7732 + 12 x 0.6931 = 2.13
        assertThat(policy.autoBan(worker().day(8, 12).build(), network(50), T0)).isEmpty();
    }

    @Test
    void nothingBelowTheMinimumRequestVolume() {
        // 9.9 jobs, all failed: below the volume of 10, not judged on its day
        assertThat(policy.autoBan(worker().day(0, 9.9).build(), network(50), T0)).isEmpty();
        // 10 jobs exactly, all failed: judged, 6.93 >= 6.91
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
