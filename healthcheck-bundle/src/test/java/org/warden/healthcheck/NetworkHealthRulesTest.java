package org.warden.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.felix.hc.api.Result.Status;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.NetworkHealth;
import org.warden.api.StoreHealth;
import org.warden.healthcheck.NetworkHealthRules.Finding;

/** The status rules on chosen network figures: each status, its reason, and the thresholds' edges. */
class NetworkHealthRulesTest {

    private static final Thresholds DEFAULTS = Thresholds.DEFAULTS;

    private static List<Finding> evaluate(NetworkHealth n) {
        return NetworkHealthRules.evaluate(n, DEFAULTS, 0);
    }

    private static Status worst(List<Finding> findings) {
        return findings.stream().map(Finding::status).max(Enum::compareTo).orElseThrow();
    }

    /** The lines after the network's summary and the store's line (the first two lines). */
    private static List<String> reasons(List<Finding> findings) {
        return lines(findings.subList(2, findings.size()));
    }

    private static List<String> lines(List<Finding> findings) {
        return findings.stream().map(f -> f.status() + " " + f.message()).toList();
    }

    @Test
    void aHealthyNetworkIsOkAndSaysWhyWithItsFigures() {
        List<Finding> findings = evaluate(Networks.healthy().workers(12, 10, 8, 1).score(0.72).build());

        assertThat(worst(findings)).isEqualTo(Status.OK);
        assertThat(findings.get(0).message()).isEqualTo("12 workers known, 10 active, 8 healthy, 1 banned; "
                + "health score 0.720, success rate 0.900, average reputation 0.800; policy 'default', "
                + "0 policy faults; computed at 2026-11-28T12:00:00Z");
        assertThat(findings.get(1)).isEqualTo(new Finding(Status.OK, "durable store h2 available (node node-1): "
                + "0 records wait to be written, last commit at 2026-11-28T11:59:59Z"));
        assertThat(reasons(findings)).containsExactly("OK network OK: health score 0.720 >= 0.6, "
                + "8 of 10 active workers healthy (80.0%) >= 25.0%, 1 of 12 known workers banned (8.3%) <= 20.0%, "
                + "policy 'default' in force");
    }

    @Test
    void aRefusedConfigurationOnFileWarnsWithItsReasonAndWhatAppliesInstead() {
        ConfigurationRefusal refused = new ConfigurationRefusal("org.warden.engine",
                "healthCheckIntervalSeconds must be in [1, 31536000], was -5", "the settings last accepted",
                Instant.parse("2026-11-28T11:00:00Z"));
        List<Finding> findings = NetworkHealthRules.evaluate(Networks.healthy().build(), DEFAULTS, 0, List.of(refused));

        assertThat(worst(findings)).isEqualTo(Status.WARN);
        assertThat(reasons(findings)).containsExactly("WARN configuration org.warden.engine refused since "
                + "2026-11-28T11:00:00Z: healthCheckIntervalSeconds must be in [1, 31536000], was -5; the settings last "
                + "accepted apply until the value is fixed in etc/org.warden.engine.cfg");
    }

    @Test
    void withNoRefusalNoSuchLineAndTheNetworkIsOk() {
        List<Finding> findings = NetworkHealthRules.evaluate(Networks.healthy().build(), DEFAULTS, 0, List.of());

        assertThat(worst(findings)).isEqualTo(Status.OK);
        assertThat(lines(findings)).noneMatch(l -> l.contains("refused"));
        assertThat(findings).isEqualTo(evaluate(Networks.healthy().build()));
    }

    @Test
    void aRefusalIsOneMoreWarningAfterTheCriticalLines() {
        ConfigurationRefusal refused = new ConfigurationRefusal("org.warden.engine", "banBudgetShare has a value of "
                + "the wrong type (abc)", "the built-in defaults", Instant.parse("2026-11-28T11:00:00Z"));
        List<Finding> findings = NetworkHealthRules.evaluate(Networks.healthy().workers(10, 4, 4, 6).build(), DEFAULTS,
                0, List.of(refused));

        assertThat(worst(findings)).isEqualTo(Status.CRITICAL);
        assertThat(reasons(findings)).containsExactly(
                "CRITICAL 6 of 10 known workers are banned (60.0%), above the critical share 50.0% (criticalBannedShare)",
                "WARN configuration org.warden.engine refused since 2026-11-28T11:00:00Z: banBudgetShare has a value of "
                        + "the wrong type (abc); the built-in defaults apply until the value is fixed in "
                        + "etc/org.warden.engine.cfg");
    }

    @Test
    void pendingBansWarnUntilAnOperatorDecides() {
        List<Finding> findings = evaluate(Networks.healthy().pendingBans(500).build());

        assertThat(worst(findings)).isEqualTo(Status.WARN);
        assertThat(reasons(findings)).containsExactly("WARN 500 automatic ban(s) wait for an operator (ban budget "
                + "spent): see warden:pending, then warden:pending-confirm or warden:pending-dismiss");
        assertThat(worst(evaluate(Networks.healthy().pendingBans(0).build()))).isEqualTo(Status.OK);
    }

    @Nested
    class Critical {
        @Test
        void scoreBelowTheCriticalThreshold() {
            List<Finding> findings = evaluate(Networks.healthy().workers(10, 10, 5, 0).score(0.25).build());

            assertThat(worst(findings)).isEqualTo(Status.CRITICAL);
            assertThat(reasons(findings)).containsExactly("CRITICAL network health score 0.250 is below the "
                    + "critical threshold 0.3 (criticalScore) (0.4 x healthy share 0.500 + 0.3 x success rate 0.900 "
                    + "+ 0.3 x average reputation 0.800)");
        }

        @Test
        void tooFewHealthyActiveWorkers() {
            List<Finding> findings = evaluate(Networks.healthy().workers(10, 10, 2, 0).score(0.7).build());

            assertThat(worst(findings)).isEqualTo(Status.CRITICAL);
            assertThat(reasons(findings)).containsExactly("CRITICAL only 2 of 10 active workers are healthy "
                    + "(20.0%), below the critical share 25.0% (criticalHealthyShare)");
        }

        @Test
        void tooManyBannedWorkers() {
            List<Finding> findings = evaluate(Networks.healthy().workers(10, 4, 4, 6).score(0.7).build());

            assertThat(worst(findings)).isEqualTo(Status.CRITICAL);
            assertThat(reasons(findings)).containsExactly("CRITICAL 6 of 10 known workers are banned (60.0%), above "
                    + "the critical share 50.0% (criticalBannedShare)");
        }

        @Test
        void everyRuleThatAppliesGivesItsOwnLineCriticalOnesFirst() {
            List<Finding> findings = evaluate(Networks.healthy().workers(10, 4, 0, 6).score(0.1).fallback().build());

            assertThat(worst(findings)).isEqualTo(Status.CRITICAL);
            assertThat(findings.subList(2, findings.size())).extracting(Finding::status)
                    .containsExactly(Status.CRITICAL, Status.CRITICAL, Status.CRITICAL, Status.WARN);
            assertThat(reasons(findings).get(3)).startsWith("WARN no policy is in force");
        }
    }

    @Nested
    class Warn {
        @Test
        void scoreBelowTheWarningThresholdButNotCritical() {
            List<Finding> findings = evaluate(Networks.healthy().score(0.55).build());

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(reasons(findings)).containsExactly("WARN network health score 0.550 is below the warning "
                    + "threshold 0.6 (warnScore) (0.4 x healthy share 1.000 + 0.3 x success rate 0.900 "
                    + "+ 0.3 x average reputation 0.800)");
        }

        @Test
        void theFallbackInForce() {
            List<Finding> findings = evaluate(Networks.healthy().fallback().build());

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(reasons(findings)).containsExactly("WARN no policy is in force: the engine's built-in fallback "
                    + "judges the workers (policy 'fallback', no automatic bans); start or install a policy bundle");
            assertThat(findings.get(0).message()).contains("policy 'fallback' (fallback)");
        }

        @Test
        void policyFaultsSinceTheLastCheck() {
            List<Finding> findings = NetworkHealthRules.evaluate(Networks.healthy().faults(7).build(), DEFAULTS, 3);

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(reasons(findings)).containsExactly("WARN the policy failed 3 time(s) since the last check "
                    + "(7 since the engine started): the fallback answered those calls; see the engine's log");
        }

        @Test
        void oldPolicyFaultsAloneAreNoReasonToWarn() {
            assertThat(worst(NetworkHealthRules.evaluate(Networks.healthy().faults(7).build(), DEFAULTS, 0)))
                    .isEqualTo(Status.OK);
        }

        @Test
        void bannedShareAboveTheWarningShare() {
            List<Finding> findings = evaluate(Networks.healthy().workers(10, 7, 7, 3).build());

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(reasons(findings)).containsExactly("WARN 3 of 10 known workers are banned (30.0%), above the "
                    + "warning share 20.0% (warnBannedShare)");
        }

        @Test
        void anEmptyNetworkHasNoActiveWorkersAndItsZeroScoreIsNotJudged() {
            List<Finding> findings = evaluate(Networks.healthy().workers(0, 0, 0, 0).score(0).build());

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(reasons(findings)).containsExactly("WARN no active workers: no worker is known yet");
        }

        @Test
        void knownWorkersNoneActive() {
            List<Finding> findings = evaluate(Networks.healthy().workers(5, 0, 0, 0).score(0.27).build());

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(reasons(findings)).containsExactly(
                    "WARN no active workers: none of the 5 known workers reported health within the activity window");
        }

        @Test
        void noActiveWorkersAndMostBannedIsCritical() {
            List<Finding> findings = evaluate(Networks.healthy().workers(4, 0, 0, 3).score(0).build());

            assertThat(reasons(findings)).containsExactly(
                    "CRITICAL 3 of 4 known workers are banned (75.0%), above the critical share 50.0% (criticalBannedShare)",
                    "WARN no active workers: none of the 4 known workers reported health within the activity window");
        }
    }

    @Nested
    class Edges {
        @Test
        void scoreExactlyAtTheCriticalThresholdIsOnlyWarn() {
            assertThat(worst(evaluate(Networks.healthy().score(0.3).build()))).isEqualTo(Status.WARN);
            assertThat(worst(evaluate(Networks.healthy().score(Math.nextDown(0.3)).build()))).isEqualTo(Status.CRITICAL);
        }

        @Test
        void scoreExactlyAtTheWarningThresholdIsOk() {
            assertThat(worst(evaluate(Networks.healthy().score(0.6).build()))).isEqualTo(Status.OK);
            assertThat(worst(evaluate(Networks.healthy().score(Math.nextDown(0.6)).build()))).isEqualTo(Status.WARN);
        }

        @Test
        void healthyShareExactlyAtTheCriticalShareIsOk() {
            // 1 of 4 = 0.25: not below 0.25
            assertThat(worst(evaluate(Networks.healthy().workers(4, 4, 1, 0).build()))).isEqualTo(Status.OK);
            // 2 of 9 = 0.222...: below
            assertThat(worst(evaluate(Networks.healthy().workers(9, 9, 2, 0).build()))).isEqualTo(Status.CRITICAL);
        }

        @Test
        void bannedShareExactlyAtTheWarningShareIsOk() {
            // 2 of 10 = 0.2: not above 0.2
            assertThat(worst(evaluate(Networks.healthy().workers(10, 8, 8, 2).build()))).isEqualTo(Status.OK);
            // 3 of 14 = 0.214...: above
            assertThat(worst(evaluate(Networks.healthy().workers(14, 11, 11, 3).build()))).isEqualTo(Status.WARN);
        }

        @Test
        void bannedShareExactlyAtTheCriticalShareIsOnlyWarn() {
            // 5 of 10 = 0.5: not above 0.5
            assertThat(worst(evaluate(Networks.healthy().workers(10, 5, 5, 5).build()))).isEqualTo(Status.WARN);
            // 6 of 11 = 0.545...: above
            assertThat(worst(evaluate(Networks.healthy().workers(11, 5, 5, 6).build()))).isEqualTo(Status.CRITICAL);
        }

        @Test
        void configuredThresholdsAreTheOnesJudgedBy() {
            Thresholds strict = new Thresholds(0.8, 0.95, 0.9, 0.0, 0.1, 100_000);
            NetworkHealth n = Networks.healthy().workers(10, 10, 10, 1).score(0.91).build();

            assertThat(NetworkHealthRules.evaluate(n, DEFAULTS, 0)).extracting(Finding::status).containsOnly(Status.OK);
            assertThat(NetworkHealthRules.evaluate(n, strict, 0).subList(2, 4)).extracting(Finding::message)
                    .containsExactly(
                            "network health score 0.910 is below the warning threshold 0.95 (warnScore) (0.4 x "
                                    + "healthy share 1.000 + 0.3 x success rate 0.900 + 0.3 x average reputation 0.800)",
                            "1 of 10 known workers are banned (10.0%), above the warning share 0.0% (warnBannedShare)");
        }
    }

    @Nested
    class Store {
        private final Instant lastCommit = Instant.parse("2026-11-28T11:58:00Z");

        @Test
        void anUnavailableStoreIsCriticalWithTheProblemAndTheBacklog() {
            StoreHealth down = new StoreHealth("h2", "node-1", false, 1234, lastCommit,
                    "Database may be already in use: /opt/karaf/data/warden/warden.mv.db");
            List<Finding> findings = evaluate(Networks.healthy().store(down).build());

            assertThat(worst(findings)).isEqualTo(Status.CRITICAL);
            assertThat(lines(findings.subList(1, findings.size()))).containsExactly("CRITICAL durable store h2 "
                    + "unavailable: Database may be already in use: /opt/karaf/data/warden/warden.mv.db; 1234 records "
                    + "wait to be written (serving from memory, retrying; bans and penalties are refused until it is "
                    + "back; last commit at 2026-11-28T11:58:00Z)");
        }

        @Test
        void anUnavailableStoreComesFirstAmongTheCriticalLinesAndNeverSaysTheNetworkIsOk() {
            StoreHealth down = new StoreHealth("postgresql", "node-2", false, 0, null, "Connection refused");
            List<Finding> findings = evaluate(Networks.healthy().workers(10, 4, 4, 6).store(down).build());

            assertThat(lines(findings.subList(1, findings.size()))).containsExactly(
                    "CRITICAL durable store postgresql unavailable: Connection refused; 0 records wait to be written "
                            + "(serving from memory, retrying; bans and penalties are refused until it is back; "
                            + "last commit none yet)",
                    "CRITICAL 6 of 10 known workers are banned (60.0%), above the critical share 50.0% "
                            + "(criticalBannedShare)");
            // a backlog over the warning threshold is in the CRITICAL line, not warned about again
            StoreHealth behind = new StoreHealth("h2", "node-1", false, 500_000, lastCommit, "disk full");
            assertThat(evaluate(Networks.healthy().store(behind).build())).extracting(Finding::status)
                    .containsExactly(Status.OK, Status.CRITICAL);
        }

        @Test
        void anAvailableStoreIsAnOkLineWithItsBackendNodeAndBacklog() {
            StoreHealth up = new StoreHealth("postgresql", "eu-west-3", true, 42, lastCommit, null);
            List<Finding> findings = evaluate(Networks.healthy().store(up).build());

            assertThat(worst(findings)).isEqualTo(Status.OK);
            assertThat(findings.get(1)).isEqualTo(new Finding(Status.OK, "durable store postgresql available "
                    + "(node eu-west-3): 42 records wait to be written, last commit at 2026-11-28T11:58:00Z"));
            assertThat(reasons(findings)).singleElement().satisfies(l -> assertThat(l).startsWith("OK network OK"));
        }

        @Test
        void aBacklogOverTheThresholdWarns() {
            StoreHealth behind = new StoreHealth("h2", "node-1", true, 100_001, lastCommit, null);
            List<Finding> findings = evaluate(Networks.healthy().store(behind).build());

            assertThat(worst(findings)).isEqualTo(Status.WARN);
            assertThat(findings.get(1).status()).isEqualTo(Status.OK);
            assertThat(findings.get(1).message()).contains("100001 records wait to be written");
            assertThat(reasons(findings)).containsExactly("WARN durable store h2: 100001 records wait to be written, "
                    + "above the warning threshold 100000 (storeBacklogWarn); the writer falls behind (last commit at "
                    + "2026-11-28T11:58:00Z)");
        }

        @Test
        void aBacklogAtTheThresholdIsOkAndTheThresholdIsTheConfiguredOne() {
            NetworkHealth atLimit = Networks.healthy().store(new StoreHealth("h2", "node-1", true, 100_000, lastCommit,
                    null)).build();
            assertThat(worst(evaluate(atLimit))).isEqualTo(Status.OK);

            Thresholds low = new Thresholds(0.3, 0.6, 0.25, 0.2, 0.5, 10);
            NetworkHealth eleven = Networks.healthy().store(new StoreHealth("h2", "node-1", true, 11, null, null))
                    .build();
            assertThat(reasons(NetworkHealthRules.evaluate(eleven, low, 0))).containsExactly("WARN durable store h2: 11 "
                    + "records wait to be written, above the warning threshold 10 (storeBacklogWarn); the writer falls "
                    + "behind (last commit none yet)");
            assertThat(worst(NetworkHealthRules.evaluate(eleven, DEFAULTS, 0))).isEqualTo(Status.OK);
        }

        @Test
        void memoryOnlyIsOkButSaysTheRecordIsLostOnRestart() {
            List<Finding> findings = evaluate(Networks.healthy().store(StoreHealth.MEMORY).build());

            assertThat(worst(findings)).isEqualTo(Status.OK);
            assertThat(findings.get(1)).isEqualTo(new Finding(Status.OK, "no durable store (backend memory): the "
                    + "record (worker statistics, penalties, bans) is in memory only and lost on restart; see the "
                    + "configuration org.warden.store"));
            assertThat(reasons(findings)).singleElement().satisfies(l -> assertThat(l).startsWith("OK network OK"));
        }

        @Test
        void aNetworkHealthWithoutTheStoresStateIsMemoryOnly() {
            NetworkHealth old = new NetworkHealth(1, 1, 1, 0, 0.8, 0.9, 100, 0.9, "default", false, 0, Networks.AT);

            assertThat(evaluate(old).get(1).message()).startsWith("no durable store (backend memory)");
        }
    }
}
