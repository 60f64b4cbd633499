package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.warden.engine.EngineConfigs.config;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentException;
import org.warden.engine.core.EngineSettings;
import org.warden.api.policy.support.LastAcceptedConfigurations;

/**
 * The engine's configuration as SCR hands it over: a value SCR cannot convert to its setting's type makes the
 * accessor throw (as Felix SCR's proxy does, with a {@link ComponentException} that does not name the key); Warden
 * refuses it naming the key. {@code -0.0} reads as 0.
 */
class EngineConfigTest {

    @Test
    void aValueScrCannotConvertIsRefusedNamingTheKey() {
        ComponentException scr = new ComponentException("Could not convert abc to double");
        assertThatThrownBy(() -> EngineConfigReader.settingsOf(config(Map.of("banBudgetShare", scr))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("banBudgetShare has a value of the wrong type (Could not convert abc to double)")
                .hasCause(scr);
        assertThatThrownBy(() -> EngineConfigReader.settingsOf(config(Map.of("penaltyHistorySize",
                new NumberFormatException("For input string: \"ten\"")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("penaltyHistorySize has a value of the wrong type");
    }

    @Test
    void minusZeroIsZero() {
        EngineSettings settings = EngineConfigReader.settingsOf(config(Map.of("banBudgetShare", -0.0,
                "networkMinVolume", -0.0)));
        assertThat(Double.doubleToRawLongBits(settings.banBudgetShare())).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Double.doubleToRawLongBits(settings.networkMinVolume())).isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void theDefaultsAreTheEngineDefaults() {
        EngineSettings settings = EngineConfigReader.settingsOf(config(Map.of()));
        assertThat(settings.banBudgetShare()).isEqualTo(EngineSettings.DEFAULT_BAN_BUDGET_SHARE);
        assertThat(settings.penaltyHistorySize()).isEqualTo(10);
    }

    @Test
    void thePolicyNamesAreRead() {
        EngineConfigReader.Accepted accepted = EngineConfigReader.accept(config(Map.of("policy", "default",
                "shadowPolicy", "bayesian-2.1_x")), Map.of());
        assertThat(accepted.names()).isEqualTo(new PolicyNames("default", "bayesian-2.1_x"));
        assertThat(EngineConfigReader.accept(config(Map.of()), Map.of()).names()).as("automatic, no shadow")
                .isEqualTo(PolicyNames.DEFAULTS);
    }

    @Test
    void aMalformedPolicyNameIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of("policy", "(((bad")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy must be a policy name (letters, digits, '.', '_' or '-', at most 64) or empty, "
                        + "was '(((bad'");
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of("shadowPolicy", "x".repeat(65))), Map.of()))
                .hasMessageStartingWith("shadowPolicy must be a policy name");
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of("policy", "two words")), Map.of()))
                .hasMessageStartingWith("policy must be a policy name");
        assertThat(EngineConfigReader.accept(config(Map.of("policy", "x".repeat(64))), Map.of()).names().policy())
                .hasSize(64);
    }

    @Test
    void theRetiredFilterKeysAreRefusedSayingWhatToSetInstead() {
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of()),
                Map.of("policy.target", "(warden.policy.name=default)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy.target is no longer read: set policy=default instead, and remove policy.target");
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of()), Map.of("policy.target", "(((bad")))
                .hasMessage("policy.target is no longer read: set policy=<name> (the warden.policy.name of an "
                        + "installed policy; empty: the highest-ranked policy) instead, and remove policy.target");
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of()),
                Map.of("policy.target", "(warden.policy.name=*)")))
                .hasMessage("policy.target is no longer read: set policy= (empty: the highest-ranked policy) "
                        + "instead, and remove policy.target");
        assertThatThrownBy(() -> EngineConfigReader.accept(config(Map.of()),
                Map.of("shadow.target", "(warden.policy.name=bayesian)")))
                .hasMessage("shadow.target is no longer read: set shadowPolicy=bayesian instead, and remove "
                        + "shadow.target");
    }

    @Test
    void aRefusedNameAtBootLeavesTheLastAcceptedPolicyNamesInForce(@TempDir Path data) {
        LastAcceptedSettings last = new LastAcceptedSettings(LastAcceptedConfigurations.in(data));
        EngineConfigReader.read(config(Map.of("policy", "strict", "shadowPolicy", "bayesian")), last);

        EngineConfigReader.Reading reading = EngineConfigReader.read(config(Map.of("policy", "(((bad")), last);
        assertThat(reading.refusal()).startsWith("policy must be a policy name");
        assertThat(reading.accepted().names()).isEqualTo(new PolicyNames("strict", "bayesian"));

        EngineConfigReader.Reading retired = EngineConfigReader.read(config(Map.of()),
                Map.of("policy.target", "(warden.policy.name=default)"), last);
        assertThat(retired.refusal()).startsWith("policy.target is no longer read");
        assertThat(retired.accepted().names()).isEqualTo(new PolicyNames("strict", "bayesian"));
    }
}
