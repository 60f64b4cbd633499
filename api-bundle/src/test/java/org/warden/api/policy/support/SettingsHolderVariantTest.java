package org.warden.api.policy.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

/** A variant of what a component builds: its configuration in force with overrides, changing nothing in force. */
class SettingsHolderVariantTest {
    private static final String PID = "org.example.limits";

    /** The component's typed configuration, as its @ObjectClassDefinition annotation declares it. */
    @interface Config {
        int max() default 10;

        double share() default 0.5;

        boolean strict() default false;

        int service_ranking() default 0;
    }

    /** Settings as a component's are: validated on the way in. */
    record Limits(int max, double share, boolean strict) {
        Limits {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("invalid limits: share must be in [0, 1], was " + share);
            }
        }

        /** The component's reader: Warden's conversion, then the settings' check. */
        static Limits read(Map<String, ?> properties) {
            Config c = ConfigValues.typed(Config.class, properties);
            return new Limits(c.max(), c.share(), c.strict());
        }
    }

    /** What a component builds from its settings, as a policy from its settings. */
    record Built(Limits from) {
    }

    private static final Limits DEFAULTS = Limits.read(Map.of());

    private final Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final SettingsHolder<Limits, Built> holder = new SettingsHolder<>(PID, "Limits", DEFAULTS, Built::new,
            new SubstituteLogger("test", events, false));

    private Built variant(Map<String, String> overrides) {
        return holder.variant(overrides, Config.class, "policy limits", Limits::read);
    }

    @Test
    void aVariantIsTheConfigurationInForceWithTheOverridesPutOverIt() {
        holder.apply(Map.of("max", 3, "share", 0.25, "service.pid", PID), Limits::read, "x",
                LastAcceptedConfigurations.none());
        Built inForce = holder.current();

        // text, as typed in the shell; converted as Config Admin's text values are
        Built variant = variant(Map.of("share", " 0.75", "strict", "TRUE"));

        assertThat(variant.from()).isEqualTo(new Limits(3, 0.75, true));
        assertThat(variant).isNotSameAs(inForce);
        assertThat(holder.current()).isSameAs(inForce);
        assertThat(holder.settings()).isEqualTo(new Limits(3, 0.25, false));
    }

    @Test
    void withoutOverridesAVariantJudgesAsTheOneInForceButIsANewOne() {
        holder.apply(Map.of("max", "4"), Limits::read, "x", LastAcceptedConfigurations.none());

        Built variant = variant(Map.of());

        assertThat(variant).isEqualTo(holder.current()).isNotSameAs(holder.current());
    }

    @Test
    void beforeAnyConfigurationAVariantStartsFromTheDefaults() {
        assertThat(variant(Map.of("max", "2")).from()).isEqualTo(new Limits(2, 0.5, false));
    }

    @Test
    void aRefusedValueIsNamedAndNothingChangesNothingIsLoggedSavedOrReported(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        holder.apply(Map.of("max", 3), Limits::read, "x", kept);
        Built inForce = holder.current();
        events.clear();

        assertThatIllegalArgumentException().isThrownBy(() -> variant(Map.of("max", "lots")))
                .withMessage("max must be a whole number in [-2147483648, 2147483647], was 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> variant(Map.of("share", "NaN")))
                .withMessage("invalid limits: share must be in [0, 1], was NaN");
        assertThatIllegalArgumentException().isThrownBy(() -> variant(Map.of("share", "1.5")))
                .withMessage("invalid limits: share must be in [0, 1], was 1.5");
        assertThatIllegalArgumentException().isThrownBy(() -> variant(Map.of("strict", "yes")))
                .withMessage("strict must be true or false, was 'yes'");

        assertThat(holder.current()).isSameAs(inForce);
        assertThat(events).as("a what-if is not a configuration: nothing logged").isEmpty();
        assertThat(holder.status().refusals()).as("nor reported to the health check").isEmpty();
        assertThat(kept.read(PID).orElseThrow().properties()).as("nor saved").isEqualTo(Map.of("max", "3"));
    }

    @Test
    void anAcceptedVariantIsNotSavedEither(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        holder.apply(Map.of("max", 3), Limits::read, "x", kept);
        events.clear();

        assertThat(variant(Map.of("max", "8")).from().max()).isEqualTo(8);

        assertThat(kept.read(PID).orElseThrow().properties()).isEqualTo(Map.of("max", "3"));
        assertThat(holder.settings().max()).isEqualTo(3);
        assertThat(events).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownKeys() {
        assertThatIllegalArgumentException().isThrownBy(() -> variant(Map.of("maxx", "3", "share", "0.1")))
                .withMessage("unknown key maxx for policy limits: known keys are max, service.ranking, share, strict");
    }

    @Test
    void aVariantAfterAConfigurationChangeStartsFromTheNewConfiguration() {
        holder.apply(Map.of("max", 3), Limits::read, "x", LastAcceptedConfigurations.none());
        holder.apply(Map.of("max", 5, "strict", true), Limits::read, "x", LastAcceptedConfigurations.none());

        assertThat(variant(Map.of("share", "0.1")).from()).isEqualTo(new Limits(5, 0.1, true));
    }

    @Test
    void aRefusedConfigurationLeavesTheVariantsStartingFromTheOneInForce() {
        holder.apply(Map.of("max", 3), Limits::read, "x", LastAcceptedConfigurations.none());
        holder.apply(Map.of("max", 5, "share", 2.0), Limits::read, "x", LastAcceptedConfigurations.none());

        assertThat(variant(Map.of()).from()).isEqualTo(new Limits(3, 0.5, false));
    }

    @Test
    void atABootOnARefusedFileTheVariantsStartFromTheSavedConfigurationInForce(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        kept.save(PID, Map.of("max", 7));

        holder.apply(Map.of("max", 5, "share", "much"), Limits::read, "x", kept);

        assertThat(holder.settings().max()).isEqualTo(7);
        assertThat(variant(Map.of("share", "0.2")).from()).isEqualTo(new Limits(7, 0.2, false));
    }

    @Test
    void settingsReadFromNoPropertiesHaveNoVariant() {
        holder.apply(() -> new Limits(4, 0.5, false), "x");

        assertThatIllegalStateException().isThrownBy(() -> variant(Map.of("max", "2")))
                .withMessageContaining(PID);
    }
}
