package org.warden.api.policy.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Overrides put over a raw configuration, refusing a key that is not the component's. */
class ConfigOverridesTest {

    /** A component's typed configuration, with keys named by the Declarative Services rules. */
    @interface Config {
        double share() default 0.1;

        int size() default 5;

        String policy_target() default "(any)";

        int service_ranking() default 0;
    }

    @Test
    void theKeysAreTheConfigurationMethodsByTheDeclarativeServicesRulesInOrder() {
        assertThat(ConfigOverrides.keys(Config.class))
                .containsExactly("policy.target", "service.ranking", "share", "size");
    }

    @Test
    void overridesArePutOverThePropertiesInANewMapLeavingBothUnchanged() {
        Map<String, Object> properties = new HashMap<>(Map.of("share", 0.3, "size", 7, "service.pid", "p"));
        Map<String, String> overrides = new HashMap<>(Map.of("size", "9", "policy.target", "(a=b)"));

        Map<String, Object> merged = ConfigOverrides.over(properties, overrides, Config.class, "policy p");

        assertThat(merged).isEqualTo(Map.of("share", 0.3, "size", "9", "policy.target", "(a=b)", "service.pid", "p"));
        assertThat(properties).isEqualTo(Map.of("share", 0.3, "size", 7, "service.pid", "p"));
        assertThat(overrides).isEqualTo(Map.of("size", "9", "policy.target", "(a=b)"));
    }

    @Test
    void everyUnknownKeyIsNamedWithTheKnownKeys() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConfigOverrides.over(Map.of(), Map.of("sizes", "1", "Share", "0.2", "size", "2"),
                        Config.class, "policy p"))
                .withMessage("unknown keys Share, sizes for policy p: known keys are policy.target, service.ranking, "
                        + "share, size");
    }

    @Test
    void theFrameworksKeysAreAcceptedAndLeftOutAsTheyAreNotSettings() {
        Map<String, Object> merged = ConfigOverrides.over(Map.of("service.pid", "p"),
                Map.of("service.pid", "other", "component.name", "c", "felix.fileinstall.filename", "f", "size", "3"),
                Config.class, "policy p");

        assertThat(merged).isEqualTo(Map.of("service.pid", "p", "size", "3"));
    }

    @Test
    void aKeyWithoutAValueIsRefused() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("size", null);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConfigOverrides.over(Map.of(), overrides, Config.class, "policy p"))
                .withMessage("size for policy p must have a value");
    }

    /** An interface the compiler takes for an annotation type, which is not one. */
    interface NotAnAnnotation extends java.lang.annotation.Annotation {
        int size();
    }

    @Test
    void onlyAnAnnotationNamesKeys() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigOverrides.keys(NotAnAnnotation.class))
                .withMessageEndingWith("NotAnAnnotation is not an annotation type");
    }
}
