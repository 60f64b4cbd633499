package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.engine.EngineConfigs.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentException;
import org.warden.engine.core.EngineSettings;
import org.warden.api.policy.support.LastAcceptedConfigurations;

/**
 * At activation, a refused configuration (a value left in {@code etc/org.warden.engine.cfg}) puts the settings last
 * accepted in force, kept under {@code ${karaf.data}/warden}, rather than the built-in defaults.
 */
class LastAcceptedSettingsTest {

    @TempDir
    Path data;

    private static final EngineConfig REFUSED = config(Map.of("banBudgetShare",
            new ComponentException("java.lang.NumberFormatException: For input string: \"abc\"")));

    @Test
    void anAcceptedConfigurationIsKeptAndUsedWhenTheNextOneIsRefused() throws Exception {
        LastAcceptedSettings last = new LastAcceptedSettings(LastAcceptedConfigurations.in(data.resolve("warden")));
        EngineSettings accepted = EngineConfigReader.read(config(Map.of("banBudgetShare", 0.25,
                "penaltyHistorySize", 3, "healthCheckIntervalSeconds", 30L)), last).settings();
        assertThat(accepted.banBudgetShare()).isEqualTo(0.25);
        assertThat(Files.isRegularFile(last.file())).isTrue();

        EngineSettings afterRestart = EngineConfigReader.read(REFUSED, last).settings();
        assertThat(afterRestart).isEqualTo(accepted);
        assertThat(afterRestart).isNotEqualTo(EngineSettings.DEFAULTS);
    }

    @Test
    void withNothingKeptARefusedConfigurationGivesTheDefaults() {
        LastAcceptedSettings none = new LastAcceptedSettings(LastAcceptedConfigurations.in(data.resolve("warden")));
        assertThat(EngineConfigReader.read(REFUSED, none).settings()).isEqualTo(EngineSettings.DEFAULTS);
        assertThat(Files.exists(none.file())).as("a refused configuration is not kept").isFalse();
    }

    @Test
    void outsideKarafNothingIsKept() {
        LastAcceptedSettings nowhere = new LastAcceptedSettings(LastAcceptedConfigurations.none());
        assertThat(EngineConfigReader.read(config(Map.of("banBudgetShare", 0.25)), nowhere).settings().banBudgetShare())
                .isEqualTo(0.25);
        assertThat(EngineConfigReader.read(REFUSED, nowhere).settings()).isEqualTo(EngineSettings.DEFAULTS);
    }
}
