package org.warden.policy.strict;

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
import org.warden.api.policy.ConfigurablePolicy;
import org.warden.api.policy.NetworkStatistics;
import org.warden.api.policy.WardenPolicy;
import org.warden.policy.testkit.ComponentDescriptors;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.RecordingBundleContext;
import org.warden.policy.testkit.TestStats;

/** A what-if's variant of the component's policy: the configuration in force with overrides, nothing changed. */
class StrictPolicyComponentWhatIfTest {
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");
    private final LogRecorder log = new LogRecorder();
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final StrictPolicyComponent component =
            new StrictPolicyComponent(log.logger(), Clock.fixed(T0, ZoneOffset.UTC));

    private static StrictPolicySettings settingsOf(WardenPolicy variant) {
        return ((StrictPolicy) variant).settings();
    }

    @Test
    void anOverrideChangesTheVariantsJudgementNotTheComponents() {
        component.activate(bundle.context(), Configs.properties());
        TestStats reported = TestStats.newcomer(T0).jobs(4, 1, T0).maliciousReports(1).build();

        WardenPolicy variant = component.withOverrides(Map.of("minReputation", "0.9", "maliciousReports", "3"));

        assertThat(variant).isInstanceOf(StrictPolicy.class);
        assertThat(variant.eligibilityThreshold()).isEqualTo(0.9);
        assertThat(variant.autoBan(reported, NetworkStatistics.EMPTY, T0)).isEmpty();
        // the component judges as before
        assertThat(component.eligibilityThreshold()).isEqualTo(0.5);
        assertThat(component.autoBan(reported, NetworkStatistics.EMPTY, T0)).isPresent();
        assertThat(component.settings()).isEqualTo(StrictPolicySettings.DEFAULTS);
    }

    @Test
    void aVariantStartsFromTheConfigurationInForceAndChangesOnlyTheKeysOverridden() {
        component.activate(bundle.context(), Configs.properties(Map.of("healthyThreshold", "0.7", "probationJobs", 4)));

        WardenPolicy variant = component.withOverrides(Map.of("probationCap", "0.4"));

        assertThat(settingsOf(variant)).isEqualTo(Configs.settings(
                Map.of("healthyThreshold", 0.7, "probationJobs", 4, "probationCap", 0.4)));
    }

    @Test
    void aRefusedValueIsNamedAndNothingChangesIsSavedOrIsReported(@TempDir Path karafData) {
        RecordingBundleContext inKaraf = new RecordingBundleContext().withProperty("karaf.data", karafData.toString());
        component.activate(inKaraf.context(), Configs.properties("minReputation", "0.6"));
        Path kept = karafData.resolve("warden").resolve("org.warden.policy.strict.properties");
        String keptBefore = contentOf(kept);
        StrictPolicySettings before = component.settings();
        List<Call> logged = log.calls();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("minReputation", "NaN")))
                .withMessage("invalid strict policy settings: minReputation must be in [0, 1], was NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("falseEjectionRate", "0.6")))
                .withMessage("invalid strict policy settings: falseEjectionRate must be in (0, 0.5], was 0.6");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("maxEjectionTimeMinutes", "10")))
                .withMessageStartingWith("invalid strict policy settings: maxEjectionTimeMinutes must be in "
                        + "[baseEjectionTimeMinutes (30)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("consecutiveFailures", "five")))
                .withMessage("consecutiveFailures must be a whole number in [-2147483648, 2147483647], was 'five'");

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
                .isThrownBy(() -> component.withOverrides(Map.of("minReputationThreshold", "0.9")))
                .withMessage("unknown key minReputationThreshold for policy strict: known keys are "
                        + "acceptableSuccessRate, baseEjectionTimeMinutes, consecutiveFailures, ejectionSuccessRate, "
                        + "falseEjectionRate, healthyThreshold, maliciousReports, maxEjectionTimeMinutes, "
                        + "minReputation, minimumHosts, probationCap, probationJobs, requestVolume, service.ranking");
    }

    @Test
    void aVariantAfterAConfigurationChangeStartsFromTheNewConfiguration() {
        component.activate(bundle.context(), Configs.properties("minReputation", 0.6));
        WardenPolicy before = component.withOverrides(Map.of("healthyThreshold", "0.8"));

        component.modified(Configs.properties(Map.of("minReputation", 0.4, "consecutiveFailures", 3)));
        WardenPolicy after = component.withOverrides(Map.of("healthyThreshold", "0.8"));

        assertThat(before.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(settingsOf(after)).isEqualTo(Configs.settings(
                Map.of("minReputation", 0.4, "consecutiveFailures", 3, "healthyThreshold", 0.8)));
    }

    @Test
    void registeredAsAWardenPolicyOnlyWhichTheEngineAsksForItsVariants() {
        assertThat(ComponentDescriptors.provided(StrictPolicyComponent.class, StrictPolicyComponent.PID))
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
