package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.warden.engine.EngineConfigs.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;
import org.warden.engine.core.EngineSettings;

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
}
