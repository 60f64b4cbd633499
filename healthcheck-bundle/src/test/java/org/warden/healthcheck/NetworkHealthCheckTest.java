package org.warden.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.Result.Status;
import org.apache.felix.hc.api.ResultLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.StoreHealth;
import org.warden.api.WorkerHealth;
import org.warden.api.policy.support.LastAcceptedConfigurations;
import org.warden.policy.testkit.LogRecorder;

/** The component as Declarative Services drives it, without a framework, over a stub HealthService. */
class NetworkHealthCheckTest {

    /** One call to the logger: its level and the message as the log shows it. */
    record LogCall(String level, String text) {
    }

    private final LogRecorder recorder = new LogRecorder();
    private final Logger logger = recorder.logger();

    /** Every call to the logger so far, oldest first. */
    private List<LogCall> log() {
        return recorder.calls().stream().map(c -> new LogCall(c.level(), c.text())).toList();
    }

    /** What the stub engine answers; a RuntimeException is thrown instead. */
    private Object answer = Networks.healthy().build();

    private final HealthService engine = new HealthService() {
        @Override
        public WorkerHealth reportHealth(String workerId, HealthMetrics metrics) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<WorkerHealth> health(String workerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NetworkHealth networkHealth() {
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return (NetworkHealth) answer;
        }
    };

    private List<LogCall> errors() {
        return log().stream().filter(c -> c.level().equals("error")).toList();
    }

    private NetworkHealthCheck activated(Map<String, Object> properties) {
        NetworkHealthCheck check = new NetworkHealthCheck(properties, logger);
        check.bindHealthService(engine);
        return check;
    }

    private static List<String> lines(Result result) {
        List<String> lines = new ArrayList<>();
        for (ResultLog.Entry e : result) {
            lines.add(e.getStatus() + " " + e.getMessage());
        }
        return lines;
    }

    @Test
    void withoutConfigurationTheDefaultsAreInForce() {
        NetworkHealthCheck check = activated(Configs.properties());

        assertThat(check.thresholds()).isEqualTo(Thresholds.DEFAULTS);
        assertThat(errors()).isEmpty();
        assertThat(log()).containsExactly(new LogCall("info", "Network health check thresholds in force: "
                + "criticalScore=0.3, warnScore=0.6, criticalHealthyShare=0.25, warnBannedShare=0.2, criticalBannedShare=0.5, "
                + "storeBacklogWarn=100000"));
    }

    @Test
    void aHealthyNetworkIsOkWithTheSummaryAndTheReason() {
        Result result = activated(Configs.properties()).execute();

        assertThat(result.getStatus()).isEqualTo(Status.OK);
        assertThat(lines(result)).hasSize(3);
        assertThat(lines(result).get(0)).startsWith("OK 10 workers known, 10 active, 10 healthy, 0 banned;");
        assertThat(lines(result).get(1)).isEqualTo("OK durable store h2 available (node node-1): 0 records wait to be "
                + "written, last commit at 2026-11-28T11:59:59Z");
        assertThat(lines(result).get(2)).startsWith("OK network OK: health score 0.910 >= 0.6");
    }

    @Test
    void eachStatusReachesTheResultWithItsReason() {
        NetworkHealthCheck check = activated(Configs.properties());

        answer = Networks.healthy().fallback().build();
        Result warn = check.execute();
        assertThat(warn.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(warn).get(2)).startsWith("WARN no policy is in force");

        answer = Networks.healthy().workers(10, 4, 4, 6).build();
        Result critical = check.execute();
        assertThat(critical.getStatus()).isEqualTo(Status.CRITICAL);
        assertThat(lines(critical).get(2)).isEqualTo("CRITICAL 6 of 10 known workers are banned (60.0%), above the "
                + "critical share 50.0% (criticalBannedShare)");
    }

    @Test
    void anUnavailableStoreIsCriticalWithItsProblemAndBacklog() {
        NetworkHealthCheck check = activated(Configs.properties());
        answer = Networks.healthy().store(new StoreHealth("h2", "node-1", false, 1234, null,
                "org.h2.jdbc.JdbcSQLNonTransientConnectionException: Database may be already in use")).build();

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.CRITICAL);
        assertThat(lines(result)).hasSize(2);
        assertThat(lines(result).get(1)).isEqualTo("CRITICAL durable store h2 unavailable: "
                + "org.h2.jdbc.JdbcSQLNonTransientConnectionException: Database may be already in use; 1234 records "
                + "wait to be written (serving from memory, retrying; bans and penalties are refused until it is back; "
                + "last commit none yet)");

        answer = Networks.healthy().build();
        assertThat(check.execute().getStatus()).as("the store is back").isEqualTo(Status.OK);
    }

    @Test
    void theStoreBacklogThresholdComesFromTheConfiguration() {
        NetworkHealthCheck check = activated(Configs.properties());
        answer = Networks.healthy().store(new StoreHealth("postgresql", "node-2", true, 5_000, Networks.AT, null))
                .build();
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);

        check.modified(Configs.properties("storeBacklogWarn", 1_000L));
        assertThat(check.thresholds().storeBacklogWarn()).isEqualTo(1_000);
        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(result)).contains("WARN durable store postgresql: 5000 records wait to be written, above the "
                + "warning threshold 1000 (storeBacklogWarn); the writer falls behind (last commit at "
                + "2026-11-28T12:00:00Z)");

        check.modified(Configs.properties("storeBacklogWarn", -1L));
        assertThat(check.thresholds().storeBacklogWarn()).as("refused: the one in force stays").isEqualTo(1_000);
        assertThat(errors()).containsExactly(new LogCall("error", "Configuration org.warden.healthcheck.network "
                + "refused: storeBacklogWarn must be at least 0, was -1. The thresholds in force stay: criticalScore=0.3, "
                + "warnScore=0.6, criticalHealthyShare=0.25, warnBannedShare=0.2, criticalBannedShare=0.5, "
                + "storeBacklogWarn=1000"));
    }

    @Test
    void memoryOnlyIsOkAndSaysSo() {
        NetworkHealthCheck check = activated(Configs.properties());
        answer = Networks.healthy().store(StoreHealth.MEMORY).build();

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.OK);
        assertThat(lines(result).get(1)).isEqualTo("OK no durable store (backend memory): the record (worker "
                + "statistics, penalties, bans) is in memory only and lost on restart; see the configuration "
                + "org.warden.store");
    }

    @Test
    void policyFaultsWarnOnceOnTheCheckAfterTheyGrew() {
        NetworkHealthCheck check = activated(Configs.properties());
        answer = Networks.healthy().faults(0).build();
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);

        answer = Networks.healthy().faults(4).build();
        Result grew = check.execute();
        assertThat(grew.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(grew)).contains("WARN the policy failed 4 time(s) since the last check (4 since the engine "
                + "started): the fallback answered those calls; see the engine's log");

        assertThat(check.execute().getStatus()).as("no new fault since").isEqualTo(Status.OK);

        answer = Networks.healthy().faults(6).build();
        assertThat(lines(check.execute())).anyMatch(l -> l.startsWith("WARN the policy failed 2 time(s)"));

        // a smaller count: the engine restarted and counts from 0 again; its 1 fault is new
        answer = Networks.healthy().faults(1).build();
        assertThat(lines(check.execute())).anyMatch(l -> l.startsWith("WARN the policy failed 1 time(s)"));
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void withoutTheEngineTheCheckIsCritical() {
        NetworkHealthCheck check = activated(Configs.properties());
        check.unbindHealthService(engine);

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.CRITICAL);
        assertThat(lines(result)).containsExactly("CRITICAL the Warden engine is not running: no "
                + "org.warden.api.HealthService service to read the network health from");

        check.bindHealthService(engine);
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void unbindingAnotherServiceKeepsTheOneBound() {
        NetworkHealthCheck check = activated(Configs.properties());
        HealthService older = new HealthService() {
            @Override
            public WorkerHealth reportHealth(String workerId, HealthMetrics metrics) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<WorkerHealth> health(String workerId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public NetworkHealth networkHealth() {
                throw new UnsupportedOperationException();
            }
        };
        check.unbindHealthService(older);
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void aRefusedEngineConfigurationWarnsWhileTheStatusServiceReportsIt() {
        NetworkHealthCheck check = activated(Configs.properties());
        ConfigurationRefusal refused = new ConfigurationRefusal("org.warden.engine",
                "healthCheckIntervalSeconds must be in [1, 31536000], was -5", "the settings last accepted",
                Instant.parse("2026-11-28T11:00:00Z"));
        List<ConfigurationRefusal> refusals = new ArrayList<>(List.of(refused));
        ConfigurationStatus status = () -> List.copyOf(refusals);
        check.bindConfigurationStatus(status);

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(result)).contains("WARN configuration org.warden.engine refused since 2026-11-28T11:00:00Z: "
                + "healthCheckIntervalSeconds must be in [1, 31536000], was -5; the settings last accepted apply until "
                + "the value is fixed in etc/org.warden.engine.cfg");

        refusals.clear();
        assertThat(check.execute().getStatus()).as("the value fixed").isEqualTo(Status.OK);

        refusals.add(refused);
        check.unbindConfigurationStatus(() -> List.of());
        assertThat(check.execute().getStatus()).as("another service unbound: this one stays").isEqualTo(Status.WARN);
        check.unbindConfigurationStatus(status);
        assertThat(check.execute().getStatus()).as("no status service: nothing known refused").isEqualTo(Status.OK);
    }

    @Test
    void aStatusServiceThatFailsToAnswerIsAHealthCheckError() {
        NetworkHealthCheck check = activated(Configs.properties());
        check.bindConfigurationStatus(() -> {
            throw new IllegalStateException("engine stopping");
        });

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.HEALTH_CHECK_ERROR);
        assertThat(lines(result)).containsExactly("HEALTH_CHECK_ERROR the Warden engine failed to report its refused "
                + "configurations: java.lang.IllegalStateException: engine stopping");
    }

    @Test
    void anEngineThatFailsToAnswerIsAHealthCheckError() {
        NetworkHealthCheck check = activated(Configs.properties());
        answer = new IllegalStateException("store closed");

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.HEALTH_CHECK_ERROR);
        assertThat(lines(result)).containsExactly("HEALTH_CHECK_ERROR the Warden engine failed to report the network "
                + "health: java.lang.IllegalStateException: store closed");
    }

    @Test
    void aValidConfigurationChangesTheThresholds() {
        NetworkHealthCheck check = activated(Configs.properties());
        answer = Networks.healthy().score(0.7).build();
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);

        check.modified(Configs.properties(Map.of("warnScore", 0.75, "criticalScore", 0.5)));

        assertThat(check.thresholds()).isEqualTo(new Thresholds(0.5, 0.75, 0.25, 0.2, 0.5, 100_000));
        assertThat(errors()).isEmpty();
        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(result)).anyMatch(l -> l.startsWith(
                "WARN network health score 0.700 is below the warning threshold 0.75 (warnScore)"));
    }

    @Test
    void anInvalidConfigurationIsRefusedAndTheThresholdsInForceStay() {
        NetworkHealthCheck check = activated(Configs.properties("warnScore", 0.7));
        Thresholds before = check.thresholds();
        assertThat(before.warnScore()).isEqualTo(0.7);

        check.modified(Configs.properties(Map.of("criticalScore", Double.NaN, "warnBannedShare", 0.9)));

        assertThat(check.thresholds()).isSameAs(before);
        assertThat(errors()).containsExactly(new LogCall("error", "Configuration org.warden.healthcheck.network "
                + "refused: criticalScore must be in [0, 1], was NaN. The thresholds in force stay: criticalScore=0.3, "
                + "warnScore=0.7, criticalHealthyShare=0.25, warnBannedShare=0.2, criticalBannedShare=0.5, "
                + "storeBacklogWarn=100000"));
    }

    @Test
    void anInvalidConfigurationAtActivationLeavesTheDefaults() {
        NetworkHealthCheck check = activated(Configs.properties(Map.of("warnScore", 0.1)));

        assertThat(check.thresholds()).isEqualTo(Thresholds.DEFAULTS);
        assertThat(errors()).containsExactly(new LogCall("error", "Configuration org.warden.healthcheck.network "
                + "refused: warnScore 0.1 must be at least criticalScore 0.3 (a score below the warning threshold "
                + "warns before it is critical). The defaults are used instead: criticalScore=0.3, warnScore=0.6, "
                + "criticalHealthyShare=0.25, warnBannedShare=0.2, criticalBannedShare=0.5, storeBacklogWarn=100000"));
        // the check still works; it WARNs (rather than being OK, as before issue 13) that its own file is refused
        Result result = check.execute();
        assertThat(result.getStatus()).as("the check still works").isEqualTo(Status.WARN);
        assertThat(lines(result)).filteredOn(l -> l.startsWith("WARN")).singleElement().satisfies(l -> assertThat(l)
                .startsWith("WARN configuration org.warden.healthcheck.network refused since ")
                .endsWith(": warnScore 0.1 must be at least criticalScore 0.3 (a score below the warning threshold "
                        + "warns before it is critical); the built-in defaults apply until the value is fixed in "
                        + "etc/org.warden.healthcheck.network.cfg"));
    }

    @Test
    void aValueDeclarativeServicesCannotConvertIsRefusedToo() {
        NetworkHealthCheck check = activated(Configs.properties());

        check.modified(Configs.properties("criticalScore", new NumberFormatException("For input string: \"lots\"")));

        assertThat(check.thresholds()).isEqualTo(Thresholds.DEFAULTS);
        assertThat(errors()).singleElement().satisfies(e -> assertThat(e.text()).startsWith(
                "Configuration org.warden.healthcheck.network could not be read. The thresholds in force stay: "
                        + "criticalScore=0.3").contains("NumberFormatException"));
    }

    @Test
    void everyStatusServiceIsReadAndEachRefusalWarnsInTheOrderOfItsPid() {
        NetworkHealthCheck check = activated(Configs.properties());
        Instant since = Instant.parse("2026-11-28T11:00:00Z");
        ConfigurationStatus engineStatus = () -> List.of(new ConfigurationRefusal("org.warden.store",
                "asyncWindowMs must be a whole number, was 'abc'", "the settings of the store in use", since));
        ConfigurationStatus policyStatus = () -> List.of(new ConfigurationRefusal("org.warden.policy.default",
                "minReputationThreshold must be a number, was 'lots'", "the settings last accepted", since));
        check.bindConfigurationStatus(engineStatus);
        check.bindConfigurationStatus(policyStatus);
        check.bindConfigurationStatus(List::of); // a policy whose configuration is accepted

        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(result)).filteredOn(l -> l.startsWith("WARN")).containsExactly(
                "WARN configuration org.warden.policy.default refused since 2026-11-28T11:00:00Z: "
                        + "minReputationThreshold must be a number, was 'lots'; the settings last accepted apply "
                        + "until the value is fixed in etc/org.warden.policy.default.cfg",
                "WARN configuration org.warden.store refused since 2026-11-28T11:00:00Z: asyncWindowMs must be a "
                        + "whole number, was 'abc'; the settings of the store in use apply until the value is fixed "
                        + "in etc/org.warden.store.cfg");

        check.unbindConfigurationStatus(policyStatus);
        assertThat(lines(check.execute())).filteredOn(l -> l.startsWith("WARN")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("WARN configuration org.warden.store refused"));
        check.unbindConfigurationStatus(engineStatus);
        assertThat(check.execute().getStatus()).isEqualTo(Status.OK);
    }

    @Test
    void aValueThatIsNotANumberIsRefusedNamingItsKeyAndTheCheckWarnsUntilItIsFixed() {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");
        NetworkHealthCheck check = new NetworkHealthCheck(Configs.properties("warnScore", "0.7"), logger,
                Clock.fixed(now, ZoneOffset.UTC));
        check.bindHealthService(engine);
        Thresholds before = check.thresholds();

        // as config:property-set writes it: text
        check.modified(Configs.properties(Map.of("warnScore", "0.7", "storeBacklogWarn", "lots")));

        assertThat(check.thresholds()).isSameAs(before);
        assertThat(errors()).containsExactly(new LogCall("error", "Configuration org.warden.healthcheck.network "
                + "refused: storeBacklogWarn must be a whole number in [-9223372036854775808, 9223372036854775807], "
                + "was 'lots'. The thresholds in force stay: criticalScore=0.3, warnScore=0.7, "
                + "criticalHealthyShare=0.25, warnBannedShare=0.2, criticalBannedShare=0.5, storeBacklogWarn=100000"));
        Result result = check.execute();
        assertThat(result.getStatus()).isEqualTo(Status.WARN);
        assertThat(lines(result)).contains("WARN configuration org.warden.healthcheck.network refused since "
                + "2026-12-06T03:00:00Z: storeBacklogWarn must be a whole number in [-9223372036854775808, "
                + "9223372036854775807], was 'lots'; the settings last accepted apply until the value is fixed in "
                + "etc/org.warden.healthcheck.network.cfg");

        check.modified(Configs.properties(Map.of("warnScore", "0.7", "storeBacklogWarn", "500")));
        assertThat(check.thresholds().storeBacklogWarn()).isEqualTo(500);
        assertThat(check.execute().getStatus()).as("the value fixed").isEqualTo(Status.OK);
    }

    @Test
    void aValueRefusedAtTheNextBootLeavesTheThresholdsLastAcceptedInForceAndTheCheckSaysSo(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        NetworkHealthCheck first = new NetworkHealthCheck(Configs.properties("warnScore", "0.7"), logger,
                Clock.systemUTC(), kept);
        assertThat(first.thresholds().warnScore()).isEqualTo(0.7);

        // the next boot, the file holding a refused value
        Instant now = Instant.parse("2026-12-06T04:00:00Z");
        NetworkHealthCheck afterRestart = new NetworkHealthCheck(Configs.properties("warnScore", "NaN"), logger,
                Clock.fixed(now, ZoneOffset.UTC), kept);
        afterRestart.bindHealthService(engine);

        assertThat(afterRestart.thresholds()).isEqualTo(first.thresholds());
        assertThat(lines(afterRestart.execute())).anySatisfy(l -> assertThat(l).startsWith(
                "WARN configuration org.warden.healthcheck.network refused since 2026-12-06T04:00:00Z: warnScore must "
                        + "be in [0, 1], was NaN; the settings last accepted (saved ").contains(
                        data.resolve("org.warden.healthcheck.network.properties") + ") apply until the value is fixed"));
    }
}
