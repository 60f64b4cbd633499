package org.warden.policy.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.warden.policy.testkit.TestConfigurations.registeredStatus;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.PenaltyType;
import org.warden.api.policy.ConfigurablePolicy;
import org.warden.api.policy.WardenPolicy;
import org.warden.policy.testkit.ComponentDescriptors;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.RecordingBundleContext;
import org.warden.policy.testkit.TestStats;

/** A what-if's variant of the component's policy: the configuration in force with overrides, nothing changed. */
class DefaultPolicyComponentWhatIfTest {
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");
    private final LogRecorder log = new LogRecorder();
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final DefaultPolicyComponent component =
            new DefaultPolicyComponent(log.logger(), Clock.fixed(T0, ZoneOffset.UTC));

    private static DefaultPolicySettings settingsOf(WardenPolicy variant) {
        return ((DefaultPolicy) variant).settings();
    }

    @Test
    void anOverrideChangesTheVariantsJudgementNotTheComponents() {
        component.activate(bundle.context(), Configs.properties());
        TestStats reported = TestStats.newcomer(T0).jobs(4, 1, T0).maliciousReports(3).build();

        WardenPolicy variant = component.withOverrides(Map.of("minReputationThreshold", "0.9",
                "enableAutoBan", "false", "timeoutPenaltySeverity", "0.2"));

        assertThat(variant).isInstanceOf(DefaultPolicy.class);
        assertThat(variant.eligibilityThreshold()).isEqualTo(0.9);
        assertThat(variant.autoBan(reported, T0)).isEmpty();
        assertThat(variant.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.2);
        // the component judges as before
        assertThat(component.eligibilityThreshold()).isEqualTo(0.3);
        assertThat(component.autoBan(reported, T0)).isPresent();
        assertThat(component.defaultSeverity(PenaltyType.JOB_TIMEOUT)).isEqualTo(0.8);
        assertThat(component.settings()).isEqualTo(DefaultPolicySettings.SEED);
    }

    @Test
    void aVariantStartsFromTheConfigurationInForceAndChangesOnlyTheKeysOverridden() {
        component.activate(bundle.context(), Configs.properties(Map.of("healthyThreshold", "0.7", "vettingJobs", 4)));

        WardenPolicy variant = component.withOverrides(Map.of("successRateWeight", "0.5"));

        assertThat(settingsOf(variant)).isEqualTo(Configs.settings(
                Map.of("healthyThreshold", 0.7, "vettingJobs", 4, "successRateWeight", 0.5)));
    }

    @Test
    void aRefusedValueIsNamedAndNothingChangesIsSavedOrIsReported(@TempDir Path karafData) {
        RecordingBundleContext inKaraf = new RecordingBundleContext().withProperty("karaf.data", karafData.toString());
        component.activate(inKaraf.context(), Configs.properties("minReputationThreshold", "0.6"));
        Path kept = karafData.resolve("warden").resolve("org.warden.policy.default.properties");
        String keptBefore = contentOf(kept);
        DefaultPolicySettings before = component.settings();
        List<Call> logged = log.calls();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("minReputationThreshold", "NaN")))
                .withMessage("invalid default policy settings: minReputationThreshold must be in [0, 1], was NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("minReputationThreshold", "1.5")))
                .withMessage("invalid default policy settings: minReputationThreshold must be in [0, 1], was 1.5");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("vettingJobs", "2.5")))
                .withMessage("vettingJobs must be a whole number in [-2147483648, 2147483647], was '2.5'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("enableAutoBan", "yes")))
                .withMessage("enableAutoBan must be true or false, was 'yes'");

        assertThat(component.settings()).isSameAs(before);
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(log.calls()).as("nothing logged: a what-if is not a configuration").isEqualTo(logged);
        assertThat(registeredStatus(inKaraf).refusals()).as("nor refused for the health check").isEmpty();
        assertThat(contentOf(kept)).as("nor saved").isEqualTo(keptBefore);
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownKeys() {
        component.activate(bundle.context(), Configs.properties());

        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("minReputation", "0.9")))
                .withMessageStartingWith("unknown key minReputation for policy default: known keys are "
                        + "autoBanDurationHours, autoBanMaliciousReports, consistencyWeight,")
                .withMessageContaining(" minReputationThreshold,")
                .withMessageEndingWith(", successRateWeight, timeoutPenaltySeverity, vettingJobs");
    }

    @Test
    void aVariantAfterAConfigurationChangeStartsFromTheNewConfiguration() {
        component.activate(bundle.context(), Configs.properties("minReputationThreshold", 0.6));
        WardenPolicy before = component.withOverrides(Map.of("healthyThreshold", "0.8"));

        component.modified(Configs.properties(Map.of("minReputationThreshold", 0.4, "failureMaxStreak", 5)));
        WardenPolicy after = component.withOverrides(Map.of("healthyThreshold", "0.8"));

        assertThat(before.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(settingsOf(after)).isEqualTo(Configs.settings(
                Map.of("minReputationThreshold", 0.4, "failureMaxStreak", 5, "healthyThreshold", 0.8)));
    }

    @Test
    void registeredAsAWardenPolicyOnlyWhichTheEngineAsksForItsVariants() {
        assertThat(ComponentDescriptors.provided(DefaultPolicyComponent.class, DefaultPolicyComponent.PID))
                .containsExactly(WardenPolicy.class.getName());
        assertThat(component).isInstanceOf(ConfigurablePolicy.class);
    }

    private static String contentOf(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
