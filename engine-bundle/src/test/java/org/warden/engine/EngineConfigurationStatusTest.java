package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.engine.EngineConfigs.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentException;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.policy.support.LastAcceptedConfigurations;

/**
 * The engine tells which configuration it refuses (for the health check's WARN): a refused configuration, at
 * activation or in a change, is a refusal of {@code org.warden.engine} with its reason and what applies instead,
 * until an accepted one arrives.
 */
class EngineConfigurationStatusTest {

    private static final String NEGATIVE_INTERVAL = "healthCheckIntervalSeconds must be in [1, 31536000], was -5";

    private final Fixtures f = new Fixtures();
    private final WardenEngine engine = f.engine;

    @TempDir
    Path data;

    @Test
    void aRefusedChangeIsARefusalUntilAnAcceptedOneArrives() {
        assertThat(engine.refusals()).as("nothing refused yet").isEmpty();

        engine.modified(config(Map.of("healthCheckIntervalSeconds", -5L)), Map.of());
        assertThat(engine.refusals()).containsExactly(new ConfigurationRefusal(WardenEngine.PID, NEGATIVE_INTERVAL,
                "the settings last accepted", Fixtures.T0));

        // another bad edit: its reason now, but refused since the first one (no configuration applied in between)
        f.clock.advance(Duration.ofMinutes(5));
        engine.modified(config(Map.of("banBudgetShare", new ComponentException("Could not convert abc to double"))), Map.of());
        assertThat(engine.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("banBudgetShare has a value of the wrong type (Could not convert abc to double)");
            assertThat(r.since()).isEqualTo(Fixtures.T0);
        });

        engine.modified(config(Map.of("healthCheckIntervalSeconds", 30L)), Map.of());
        assertThat(engine.refusals()).as("the value fixed").isEmpty();

        // a new refusal starts a new time
        engine.modified(config(Map.of("healthCheckIntervalSeconds", -5L)), Map.of());
        assertThat(engine.refusals()).singleElement().extracting(ConfigurationRefusal::since)
                .isEqualTo(Fixtures.T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aPinnedPolicyNotInstalledIsReportedWithARefusalAsTheOneEntryOfThePid() {
        f.with("a", new StubPolicy());
        engine.modified(config(Map.of("policy", "strict")), Map.of());
        assertThat(engine.refusals()).containsExactly(new ConfigurationRefusal(WardenEngine.PID,
                "policy strict is configured but not installed", "policy a", Fixtures.T0));

        f.clock.advance(Duration.ofMinutes(5));
        engine.modified(config(Map.of("policy", "strict", "healthCheckIntervalSeconds", -5L)), Map.of());
        assertThat(engine.refusals()).containsExactly(new ConfigurationRefusal(WardenEngine.PID,
                NEGATIVE_INTERVAL + "; policy strict is configured but not installed",
                "the settings last accepted, with policy a", Fixtures.T0));

        engine.bindPolicy(new StubPolicy(), Map.of(org.warden.api.policy.WardenPolicy.NAME_PROPERTY, "strict"));
        assertThat(engine.insight().policyInForce()).isEqualTo("strict");
        assertThat(engine.refusals()).containsExactly(new ConfigurationRefusal(WardenEngine.PID, NEGATIVE_INTERVAL,
                "the settings last accepted", Fixtures.T0.plus(Duration.ofMinutes(5))));
        engine.modified(config(Map.of("policy", "strict")), Map.of());
        assertThat(engine.refusals()).isEmpty();
    }

    @Test
    void theListHandedOutDoesNotChangeAfterwards() {
        engine.modified(config(Map.of("healthCheckIntervalSeconds", -5L)), Map.of());
        var seen = engine.refusals();
        engine.modified(config(Map.of()), Map.of());
        assertThat(seen).hasSize(1);
        assertThat(engine.refusals()).isEmpty();
    }

    @Test
    void activationSaysWhatItRefusedAndWhatAppliesInstead() {
        LastAcceptedSettings last = new LastAcceptedSettings(LastAcceptedConfigurations.in(data.resolve("warden")));
        EngineConfig refused = config(Map.of("healthCheckIntervalSeconds", -5L));

        EngineConfigReader.Reading withNothingKept = EngineConfigReader.read(refused, last);
        assertThat(withNothingKept.refusal()).isEqualTo(NEGATIVE_INTERVAL);
        assertThat(withNothingKept.inForce()).isEqualTo("the built-in defaults");

        EngineConfigReader.Reading accepted = EngineConfigReader.read(config(Map.of("healthCheckIntervalSeconds", 30L)), last);
        assertThat(accepted.refusal()).isNull();
        assertThat(accepted.inForce()).isNull();

        EngineConfigReader.Reading afterRestart = EngineConfigReader.read(refused, last);
        assertThat(afterRestart.refusal()).isEqualTo(NEGATIVE_INTERVAL);
        assertThat(afterRestart.inForce()).isEqualTo("the settings last accepted (" + last.file() + ")");
        assertThat(afterRestart.settings()).isEqualTo(accepted.settings());
    }
}
