package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.warden.engine.Fixtures.GOOD;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;

/** Every bad input is refused with an IllegalArgumentException naming the argument, and changes nothing. */
class BadInputTest {

    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
    private static final String LONG = "x".repeat(1000);

    private final Fixtures f = new Fixtures();
    private final StubPolicy stub = new StubPolicy();
    private final WardenEngine engine = f.with("stub", stub).engine;

    @BeforeEach
    void someState() {
        engine.reportHealth("w1", GOOD);
        engine.recordOutcome(Fixtures.ok("w1"));
        engine.applyPenalty("w1", PenaltyType.SPAM, 0.2, "spam", null);
        engine.reportHealth("w2", GOOD);
        engine.ban("w2", "cheat", null);
    }

    interface Call {
        void run(WardenEngine e);
    }

    static Stream<Arguments> badInputs() {
        List<Arguments> a = new ArrayList<>();
        add(a, "null worker id", e -> e.reportHealth(null, GOOD), "workerId must not be null");
        add(a, "empty worker id", e -> e.reportHealth("", GOOD), "workerId must not be blank");
        add(a, "blank worker id", e -> e.reportHealth("   ", GOOD), "workerId must not be blank");
        add(a, "1,000-character worker id", e -> e.reportHealth(LONG, GOOD), "workerId is 1000 characters long");
        add(a, "NUL in worker id", e -> e.reportHealth("w\u0000", GOOD), "workerId must not contain control characters");
        add(a, "newline in worker id", e -> e.recordOutcome(JobOutcome.of("w\n1", true, 1, BigInteger.ONE, null)), "workerId must not contain control");
        add(a, "null metrics", e -> e.reportHealth("w1", null), "metrics must not be null");
        add(a, "NaN CPU", e -> e.reportHealth("w1", HealthMetrics.of(1, Double.NaN, 1, 1, 1)), "cpuUsagePercent must be a finite number");
        add(a, "+infinite memory", e -> e.reportHealth("w1", HealthMetrics.of(1, 1, Double.POSITIVE_INFINITY, 1, 1)), "memoryUsagePercent must be a finite");
        add(a, "-infinite disk", e -> e.reportHealth("w1", HealthMetrics.of(1, 1, 1, Double.NEGATIVE_INFINITY, 1)), "diskUsagePercent must be a finite");
        add(a, "CPU over 100 %", e -> e.reportHealth("w1", HealthMetrics.of(1, 100.5, 1, 1, 1)), "cpuUsagePercent must be a percentage in [0, 100]");
        add(a, "negative memory", e -> e.reportHealth("w1", HealthMetrics.of(1, 1, -1, 1, 1)), "memoryUsagePercent must be a percentage");
        add(a, "negative response time", e -> e.reportHealth("w1", HealthMetrics.of(-1, 1, 1, 1, 1)), "responseTimeMs must not be negative");
        add(a, "negative latency", e -> e.reportHealth("w1", HealthMetrics.of(1, 1, 1, 1, -5)), "networkLatencyMs must not be negative");
        add(a, "GPU over 100 %", e -> e.reportHealth("w1", new HealthMetrics(1, 1, 1, 1, 1, null, 101.0, null, 0)), "gpuUtilizationPercent must be a percentage");
        add(a, "NaN temperature", e -> e.reportHealth("w1", new HealthMetrics(1, 1, 1, 1, 1, null, null, Double.NaN, 0)), "temperatureCelsius must be a finite");
        add(a, "1000 °C", e -> e.reportHealth("w1", new HealthMetrics(1, 1, 1, 1, 1, null, null, 1000.0, 0)), "temperatureCelsius must be in [-50, 150]");
        add(a, "negative bandwidth", e -> e.reportHealth("w1", new HealthMetrics(1, 1, 1, 1, 1, -1.0, null, null, 0)), "bandwidthMbps must not be negative");
        add(a, "negative error count", e -> e.reportHealth("w1", new HealthMetrics(1, 1, 1, 1, 1, null, null, null, -1)), "errorCount must not be negative");
        add(a, "null outcome", e -> e.recordOutcome(null), "outcome must not be null");
        add(a, "negative execution time", e -> e.recordOutcome("w1", true, -1, BigInteger.ONE, null), "executionTimeMs must not be negative");
        add(a, "negative earnings", e -> e.recordOutcome("w1", true, 1, BigInteger.valueOf(-1), null), "earnings must not be negative");
        add(a, "earnings of 2^128", e -> e.recordOutcome("w1", true, 1, TWO_128, null), "earnings must be below 2^128");
        add(a, "null earnings", e -> e.recordOutcome("w1", true, 1, null, null), "earnings must not be null");
        add(a, "quality 1.5", e -> e.recordOutcome("w1", true, 1, BigInteger.ONE, 1.5), "resultQuality must be in [0, 1]");
        add(a, "NaN quality", e -> e.recordOutcome("w1", true, 1, BigInteger.ONE, Double.NaN), "resultQuality must be a finite number");
        add(a, "zero estimate", e -> e.recordOutcome(new JobOutcome("w1", true, 1, BigInteger.ONE, null, 0L, null)), "estimatedTimeMs must be positive");
        add(a, "severity 1.5", e -> e.applyPenalty("w1", PenaltyType.SPAM, 1.5, "r", null), "severity must be in [0, 1], was 1.5");
        add(a, "NaN severity", e -> e.applyPenalty("w1", PenaltyType.SPAM, Double.NaN, "r", null), "severity must be a finite number");
        add(a, "negative severity", e -> e.applyPenalty("w1", PenaltyType.SPAM, -0.1, "r", null), "severity must be in [0, 1]");
        add(a, "infinite severity", e -> e.applyPenalty("w1", PenaltyType.SPAM, Double.POSITIVE_INFINITY, "r", null), "severity must be a finite");
        add(a, "null penalty type", e -> e.applyPenalty("w1", null, 0.5, "r", null), "type must not be null");
        add(a, "empty reason", e -> e.applyPenalty("w1", PenaltyType.SPAM, 0.5, "", null), "reason must not be blank");
        add(a, "1,025-character reason", e -> e.applyPenalty("w1", PenaltyType.SPAM, 0.5, "r".repeat(1025), null), "reason is 1025 characters long");
        add(a, "BEL in reason", e -> e.applyPenalty("w1", PenaltyType.SPAM, 0.5, "ding\u0007", null), "reason must not contain control characters");
        add(a, "control character in job id", e -> e.applyPenalty("w1", PenaltyType.SPAM, 0.5, "r", "j\t1"), "jobId must not contain control");
        add(a, "penalty for an unknown worker", e -> e.applyPenalty("ghost", PenaltyType.SPAM, 0.5, "r", null), "workerId: unknown worker 'ghost'");
        add(a, "malicious report for an unknown worker", e -> e.reportMalicious("ghost", "forged"), "workerId: unknown worker 'ghost'");
        add(a, "malicious report without reason", e -> e.reportMalicious("w1", " "), "reason must not be blank");
        add(a, "negative ban duration", e -> e.ban("w1", "r", Duration.ofMinutes(-1)), "duration must be positive");
        add(a, "zero ban duration", e -> e.ban("w1", "r", Duration.ZERO), "duration must be positive");
        add(a, "ban of an unknown worker", e -> e.ban("ghost", "r", null), "workerId: unknown worker 'ghost'");
        add(a, "unban of an unknown worker", e -> e.unban("ghost", "r"), "workerId: unknown worker 'ghost'");
        add(a, "unban without reason", e -> e.unban("w2", null), "reason must not be null");
        add(a, "null bid list", e -> e.rank("j", null), "bids must not be null");
        add(a, "null bid", e -> e.rank("j", Arrays.asList(Bid.of("w1", 1, 1), null)), "bids[1] must not be null");
        add(a, "two bids of one worker", e -> e.rank("j", List.of(Bid.of("w1", 1, 1), Bid.of("w1", 2, 2))), "bids[1]: worker 'w1' bids twice");
        add(a, "negative bid", e -> e.rank("j", List.of(new Bid("w1", BigInteger.valueOf(-1), 1))), "amount must not be negative");
        add(a, "bid of 2^128", e -> e.rank("j", List.of(new Bid("w1", TWO_128, 1))), "amount must be below 2^128");
        add(a, "negative estimate", e -> e.rank("j", List.of(Bid.of("w1", 1, -1))), "estimatedCompletionMs must not be negative");
        add(a, "blank job id", e -> e.rank(" ", List.of()), "jobId must not be blank");
        add(a, "null id lookup", e -> e.health(null), "workerId must not be null");
        add(a, "huge id lookup", e -> e.eligibility(LONG), "workerId is 1000 characters long");
        return a.stream();
    }

    private static void add(List<Arguments> a, String name, Call call, String message) {
        a.add(Arguments.of(name, call, message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedNamingTheArgumentAndChangesNothing(String name, Call call, String message) {
        String before = snapshot();
        List<String> eventsBefore = List.copyOf(f.topics);
        assertThatThrownBy(() -> call.run(engine)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.topics).isEqualTo(eventsBefore);
    }

    /** Everything a caller can observe of the workers. */
    private String snapshot() {
        StringBuilder sb = new StringBuilder();
        engine.workerIds().stream().sorted().forEach(id -> sb.append(id).append(' ')
                .append(engine.reputation(id).orElseThrow()).append(' ')
                .append(engine.health(id).orElseThrow()).append(' ')
                .append(engine.penalties(id)).append(' ')
                .append(engine.bans(id)).append('\n'));
        return sb.toString();
    }
}
