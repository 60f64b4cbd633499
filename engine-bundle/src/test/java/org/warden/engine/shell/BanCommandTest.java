package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.warden.api.HealthMetrics;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/**
 * {@code warden:ban --duration}: a duration no store can hold makes the command fail with one {@code Error:} line
 * (nothing on stdout or stderr besides), and nothing is banned.
 */
class BanCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-05T09:25:00Z");
    private final WardenEngine engine = new WardenEngine(Clock.fixed(NOW, ZoneOffset.UTC), new InMemoryWorkerStore(),
            EngineSettings.DEFAULTS, EventSink.NONE);

    BanCommandTest() {
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
        engine.reportHealth("w1", HealthMetrics.of(150, 20, 30, 40, 20));
    }

    private ShellRun.Output ban(String duration, String id, String... reason) throws Exception {
        BanCommand command = new BanCommand();
        command.duration = duration;
        command.id = id;
        command.reason = List.of(reason);
        return ShellRun.run(ShellRun.inject(command, "penalties", engine));
    }

    @Test
    void fourHundredBillionDaysIsOneErrorLineAndNoBan() throws Exception {
        ShellRun.Output output = ban("400000000000d", "w1", "reason");
        assertThat(output.out()).isEmpty();
        assertThat(output.err()).isEmpty();
        assertThat(output.refusal()).isEqualTo("Error: duration must be at most 36500d (100 years; for good, give no "
                + "--duration), was 400000000000d" + System.lineSeparator());
        assertThat(engine.bans("w1")).isEmpty();
        assertThat(engine.reputation("w1").orElseThrow().banned()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "36501d", "876001h", "99999999999999999999d", "9223372036854775807d", "P36501D",
            "PT9999999999999999999H", "PT2562047788015215H30M8S" })
    void everyDurationBeyondAHundredYearsIsRefusedAsTyped(String duration) throws Exception {
        ShellRun.Output output = ban(duration, "w1", "too", "long");
        assertThat(output.out()).isEmpty();
        assertThat(output.refusal()).isEqualTo("Error: duration must be at most 36500d (100 years; for good, give no "
                + "--duration), was " + duration + System.lineSeparator());
        assertThat(engine.bans("w1")).isEmpty();
    }

    @Test
    void aHundredYearsIsTheLongestBan() throws Exception {
        ShellRun.Output output = ban("36500d", "w1", "forged", "results");
        assertThat(output.refusal()).isNull();
        assertThat(output.err()).isEmpty();
        assertThat(output.out()).isEqualTo("Banned w1 until " + NOW.plus(Duration.ofDays(36_500))
                + System.lineSeparator());
    }

    @Test
    void theApiRefusesTheSameDurationNamingIt() {
        assertThatThrownBy(() -> engine.ban("w1", "reason", Duration.ofDays(400_000_000_000L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duration must be at most 36500 days");
        assertThat(engine.bans("w1")).isEmpty();
    }

    @Test
    void aBidiOverrideInTheIdIsOneErrorLine() throws Exception {
        ShellRun.Output output = ban(null, "w\u202E1", "reason");
        assertThat(output.refusal()).isEqualTo("Error: workerId contains U+202E (a bidi control) at index 1"
                + System.lineSeparator());
    }
}
