package org.warden.policy.bayesian;

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
import org.warden.api.policy.Horizon;
import org.warden.api.policy.WardenPolicy;
import org.warden.policy.testkit.ComponentDescriptors;
import org.warden.policy.testkit.LogRecorder;
import org.warden.policy.testkit.LogRecorder.Call;
import org.warden.policy.testkit.RecordingBundleContext;
import org.warden.policy.testkit.TestStats;

/** A what-if's variant of the component's policy: the configuration in force with overrides, nothing changed. */
class BayesianPolicyComponentWhatIfTest {
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");
    private final LogRecorder log = new LogRecorder();
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final BayesianPolicyComponent component =
            new BayesianPolicyComponent(log.logger(), Clock.fixed(T0, ZoneOffset.UTC));

    private static BayesianPolicySettings settingsOf(WardenPolicy variant) {
        return ((BayesianPolicy) variant).settings();
    }

    @Test
    void anOverrideChangesTheVariantsJudgementNotTheComponents() {
        component.activate(bundle.context(), Configs.properties());
        TestStats reported = TestStats.newcomer(T0).jobs(4, 1, T0).maliciousReports(1).build();

        WardenPolicy variant = component.withOverrides(Map.of("suspensionThreshold", "0.9",
                "banMaliciousReports", "3"));

        assertThat(variant).isInstanceOf(BayesianPolicy.class);
        assertThat(variant.eligibilityThreshold()).isEqualTo(0.9);
        assertThat(variant.autoBan(reported, T0)).isEmpty();
        // the component judges as before
        assertThat(component.eligibilityThreshold()).isEqualTo(0.6);
        assertThat(component.autoBan(reported, T0)).isPresent();
        assertThat(component.settings()).isEqualTo(BayesianPolicySettings.DEFAULTS);
    }

    @Test
    void aVariantStartsFromTheConfigurationInForceAndChangesOnlyTheKeysOverridden() {
        component.activate(bundle.context(), Configs.properties(Map.of("healthyThreshold", "0.7", "vettingJobs", 4)));

        WardenPolicy variant = component.withOverrides(Map.of("forgettingHorizon", "day"));

        assertThat(settingsOf(variant)).isEqualTo(Configs.settings(
                Map.of("healthyThreshold", 0.7, "vettingJobs", 4, "forgettingHorizon", Horizon.DAY)));
    }

    @Test
    void aRefusedValueIsNamedAndNothingChangesIsSavedOrIsReported(@TempDir Path karafData) {
        RecordingBundleContext inKaraf = new RecordingBundleContext().withProperty("karaf.data", karafData.toString());
        component.activate(inKaraf.context(), Configs.properties("suspensionThreshold", "0.7"));
        Path kept = karafData.resolve("warden").resolve("org.warden.policy.bayesian.properties");
        String keptBefore = contentOf(kept);
        BayesianPolicySettings before = component.settings();
        List<Call> logged = log.calls();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("confidenceZ", "NaN")))
                .withMessage("invalid bayesian policy settings: confidenceZ must be in [0, 10.0], was NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("banThreshold", "0.8")))
                .withMessage("invalid bayesian policy settings: banThreshold must not exceed suspensionThreshold "
                        + "(suspension before ban), was 0.8 > 0.7");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("forgettingHorizon", "fortnight")))
                .withMessage("forgettingHorizon must be one of [HOUR, DAY, WEEK, MONTH], was 'fortnight'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("vettingJobs", "2.5")))
                .withMessage("vettingJobs must be a whole number in [-2147483648, 2147483647], was '2.5'");

        assertThat(component.settings()).isSameAs(before);
        assertThat(component.eligibilityThreshold()).isEqualTo(0.7);
        assertThat(log.calls()).as("nothing logged: a what-if is not a configuration").isEqualTo(logged);
        assertThat(registeredStatus(inKaraf).refusals()).as("nor refused for the health check").isEmpty();
        assertThat(contentOf(kept)).as("nor saved").isEqualTo(keptBefore);
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownKeys() {
        component.activate(bundle.context(), Configs.properties());

        assertThatIllegalArgumentException()
                .isThrownBy(() -> component.withOverrides(Map.of("minReputation", "0.9")))
                .withMessage("unknown key minReputation for policy bayesian: known keys are "
                        + "acceptableSuccessRate, banDurationHours, banMaliciousReports, banMinJobs, banThreshold, "
                        + "confidenceZ, explorationShare, failingSuccessRate, falseSuspensionRate, forgettingHorizon, "
                        + "healthyThreshold, maxTimeToEstimateRatio, priorAlpha, priorBeta, service.ranking, "
                        + "suspensionThreshold, vettingJobs");
    }

    @Test
    void aVariantAfterAConfigurationChangeStartsFromTheNewConfiguration() {
        component.activate(bundle.context(), Configs.properties("suspensionThreshold", 0.7));
        WardenPolicy before = component.withOverrides(Map.of("healthyThreshold", "0.8"));

        component.modified(Configs.properties(Map.of("suspensionThreshold", 0.5, "banMinJobs", 30)));
        WardenPolicy after = component.withOverrides(Map.of("healthyThreshold", "0.8"));

        assertThat(before.eligibilityThreshold()).isEqualTo(0.7);
        assertThat(settingsOf(after)).isEqualTo(Configs.settings(
                Map.of("suspensionThreshold", 0.5, "banMinJobs", 30, "healthyThreshold", 0.8)));
    }

    @Test
    void registeredAsAWardenPolicyOnlyWhichTheEngineAsksForItsVariants() {
        assertThat(ComponentDescriptors.provided(BayesianPolicyComponent.class, BayesianPolicyComponent.PID))
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
