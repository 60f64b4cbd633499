package org.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.policy.testkit.LogRecorder;

/**
 * The component as SCR drives it, on a fake Warden that finds no bidder eligible (so the loop runs without
 * outcomes): which population is in force after activation and changes, and the loop ending with the scenario.
 */
class DemoDistributorTest {
    @TempDir
    Path data;

    private final LogRecorder log = new LogRecorder();
    private final AtomicLong ranked = new AtomicLong();
    private final Object warden = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {
            HealthService.class, ReputationService.class, PenaltyService.class, SelectionService.class},
            (p, method, args) -> {
                if (method.isDefault()) {
                    return java.lang.reflect.InvocationHandler.invokeDefault(p, method, args);
                }
                return switch (method.getName()) {
                    case "reportHealth" -> null;
                    case "rank" -> {
                        ranked.incrementAndGet();
                        yield List.of();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            });
    private final DemoDistributor demo = new DemoDistributor((HealthService) warden, (ReputationService) warden,
            (PenaltyService) warden, (SelectionService) warden);

    @AfterEach
    void stop() throws InterruptedException {
        demo.deactivate();
    }

    private static DemoConfig config(int jobsPerSecond, String scenario) {
        return new DemoConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DemoConfig.class;
            }

            @Override
            public int jobsPerSecond() {
                return jobsPerSecond;
            }

            @Override
            public String scenario() {
                return scenario;
            }
        };
    }

    private void scenarioFile(String name, int workers, int jobs) throws IOException {
        Files.writeString(data.resolve(name), "{\"name\": \"" + name + "\", \"seed\": 3, \"jobs\": " + jobs
                + ", \"groups\": [{\"name\": \"h\", \"count\": " + workers + ", \"behaviour\": \"honest\"}]}");
    }

    @Test
    void aRefusedScenarioKeepsThePopulationInForce() throws Exception {
        scenarioFile("a.json", 9, 1_000_000);
        demo.start(new DemoScenarios(data, log.logger()), config(20, "a.json"), Map.of());
        assertThat(demo.stats().workers()).isEqualTo(9);
        assertThat(demo.stats().running()).isTrue();

        demo.modified(config(20, "missing.json"), Map.of());
        assertThat(demo.stats().workers()).isEqualTo(9); // the last good one
        assertThat(log.calls()).singleElement().satisfies(c -> assertThat(c.text())
                .contains("scenario 'missing.json' refused, the demo keeps its population (a.json, 9 workers)"));

        demo.modified(config(50, ""), Map.of());
        assertThat(demo.stats().workers()).isEqualTo(200); // the shipped one
        assertThat(demo.stats().jobsPerSecond()).isEqualTo(50);
        assertThat(demo.stats().running()).isTrue();
    }

    @Test
    void aScenarioRefusedAtActivationLeavesTheShippedPopulation() {
        demo.start(new DemoScenarios(data, log.logger()), config(20, "../outside.json"), Map.of());
        assertThat(demo.stats().workers()).isEqualTo(200);
        assertThat(log.calls()).singleElement().satisfies(c -> assertThat(c.level()).isEqualTo("error"));
    }

    @Test
    void theLoopStopsAfterTheScenariosJobs() throws Exception {
        scenarioFile("short.json", 3, 25);
        demo.start(new DemoScenarios(data, log.logger()), config(10_000, "short.json"), Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> !demo.stats().running());
        assertThat(demo.stats().jobs()).isEqualTo(25);
        assertThat(demo.stats().unassigned()).isEqualTo(25); // nobody eligible with this fake
        assertThat(ranked.get()).isEqualTo(25);
        assertThat(demo.stats().failedCalls()).isZero();
    }

    @Test
    void settingsOfEarlierVersionsAreNamedInAWarning() {
        demo.start(new DemoScenarios(data, log.logger()), config(20, ""),
                Map.of("workers", 500, "maliciousShare", 0.2, "jobsPerSecond", 20));
        assertThat(log.calls()).extracting(LogRecorder.Call::level).containsOnly("warn");
        assertThat(log.calls()).extracting(LogRecorder.Call::text).hasSize(2)
                .anySatisfy(t -> assertThat(t).startsWith("the demo's setting 'workers' is no longer read"))
                .anySatisfy(t -> assertThat(t).startsWith("the demo's setting 'maliciousShare' is no longer read"));
    }
}
