package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.warden.api.HealthMetrics;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/**
 * {@code warden:penalize}: every refusal makes the command fail (Karaf's {@code CommandException}, so
 * {@code bin/client} exits 1) with its one {@code Error:} line and nothing else printed, and records nothing;
 * a severity of {@code -0.0} is a severity of 0.
 */
class PenalizeCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-05T21:00:00Z");
    private final WardenEngine engine = new WardenEngine(Clock.fixed(NOW, ZoneOffset.UTC), new InMemoryWorkerStore(),
            EngineSettings.DEFAULTS, EventSink.NONE);

    PenalizeCommandTest() {
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
        engine.reportHealth("w1", HealthMetrics.of(150, 20, 30, 40, 20));
    }

    private ShellRun.Output penalize(String id, String type, String severity) throws Exception {
        PenalizeCommand command = new PenalizeCommand();
        command.id = id;
        command.type = type;
        command.severity = severity;
        command.reason = List.of("test", "reason");
        return ShellRun.run(ShellRun.inject(command, "penalties", engine));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "w1|JOB_FAILURE|1,5|Error: severity must be a number in [0, 1], was 1,5",
            "w1|job_timeout|1.5|Error: severity must be in [0, 1], was 1.5",
            "w1|job_timeout|NaN|Error: severity must be a finite number, was NaN",
            "w1|bogus|0.5|Error: type must be one of job_timeout, job_failure, malicious_behavior, poor_performance, "
                    + "network_issues, resource_abuse, invalid_result, spam, ban, was bogus",
            "nobody|job_timeout|0.5|Error: workerId: unknown worker 'nobody'" })
    void aRefusalFailsWithItsOneLineAndRecordsNothing(String id, String type, String severity, String line)
            throws Exception {
        ShellRun.Output output = penalize(id, type, severity);
        assertThat(output.refusal()).isEqualTo(line + System.lineSeparator());
        assertThat(output.out()).isEmpty();
        assertThat(output.err()).isEmpty();
        assertThat(engine.penalties("w1")).isEmpty();
    }

    @Test
    void minusZeroIsASeverityOfZero() throws Exception {
        ShellRun.Output output = penalize("w1", "job_failure", "-0.0");
        assertThat(output.refusal()).isNull();
        assertThat(output.out()).isEqualTo("Penalized w1: job_failure, severity 0.000" + System.lineSeparator());
        double kept = engine.penalties("w1").get(0).severity();
        assertThat(Double.doubleToRawLongBits(kept)).as("+0.0, not -0.0").isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void aGoodPenaltySucceedsSilentlyOnStderr() throws Exception {
        ShellRun.Output output = penalize("w1", "Job_Timeout", "0.4");
        assertThat(output.refusal()).isNull();
        assertThat(output.err()).isEmpty();
        assertThat(output.out()).isEqualTo("Penalized w1: job_timeout, severity 0.400" + System.lineSeparator());
        assertThat(engine.penalties("w1")).hasSize(1);
    }
}
