package org.warden.policy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;

class TestConfigurationsTest {

    @Retention(RetentionPolicy.RUNTIME)
    public @interface Config {
        int jobs() default 3;

        String name() default "seed";
    }

    @Test
    void anAnnotationHasTheGivenValuesElseItsDefaults() {
        Config config = TestConfigurations.annotation(Config.class, Map.of("jobs", 7));
        assertThat(config.jobs()).isEqualTo(7);
        assertThat(config.name()).isEqualTo("seed");
        assertThat(config.annotationType()).isEqualTo(Config.class);
        assertThat(config).isEqualTo(config).isNotEqualTo(TestConfigurations.annotation(Config.class, Map.of()));
        assertThat(config.toString()).isEqualTo("Config{jobs=7}");
    }

    @Test
    void aRuntimeExceptionGivenAsAValueIsThrownWhenItsKeyIsRead() {
        IllegalArgumentException unreadable = new IllegalArgumentException("cannot convert");
        Config config = TestConfigurations.annotation(Config.class, Map.of("jobs", unreadable));
        assertThat(config.name()).isEqualTo("seed");
        assertThatThrownBy(config::jobs).isSameAs(unreadable);

        Map<String, Object> properties = TestConfigurations.properties(Config.class, Map.of("jobs", unreadable));
        assertThatThrownBy(() -> properties.get("jobs")).isSameAs(unreadable);
        assertThat(properties.keySet()).containsExactly("jobs");
    }

    @Test
    void propertiesHoldOnlyTheKeysGivenWithTheirValuesAsGiven() {
        Map<String, Object> properties = TestConfigurations.properties(Config.class, Map.of("jobs", "2.5"));
        assertThat(properties).containsExactly(Map.entry("jobs", "2.5"));
        assertThat(properties.get("name")).isNull();
        assertThat(TestConfigurations.properties(Config.class, Map.of())).isEmpty();
    }

    @Test
    void aKeyTheAnnotationLacksIsRejected() {
        assertThatThrownBy(() -> TestConfigurations.annotation(Config.class, Map.of("job", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no configuration key job");
        assertThatThrownBy(() -> TestConfigurations.properties(Config.class, Map.of("nmae", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no configuration key nmae");
    }

    @Test
    void theRegisteredStatusIsTheOneRegisteredAndNotUnregistered() {
        RecordingBundleContext bundle = new RecordingBundleContext();
        assertThatThrownBy(() -> TestConfigurations.registeredStatus(bundle))
                .isInstanceOf(IllegalStateException.class);

        ConfigurationStatus status = () -> List.<ConfigurationRefusal>of();
        var registration = bundle.context().registerService(ConfigurationStatus.class, status, null);
        assertThat(TestConfigurations.registeredStatus(bundle)).isSameAs(status);

        bundle.context().registerService(ConfigurationStatus.class, List::of, null);
        assertThatThrownBy(() -> TestConfigurations.registeredStatus(bundle))
                .isInstanceOf(IllegalStateException.class);
        registration.unregister();
    }
}
