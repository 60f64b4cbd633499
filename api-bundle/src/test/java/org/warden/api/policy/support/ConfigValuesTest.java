package org.warden.api.policy.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.warden.api.policy.Horizon;

/** A raw configuration read as Config Admin and Karaf's config:property-set hand it over, and refused naming keys. */
class ConfigValuesTest {

    /** A component's typed configuration, as an @ObjectClassDefinition annotation declares it. */
    @interface Config {
        double share() default 0.1;

        long windowMs() default 100;

        int size() default 5;

        boolean enabled() default true;

        String name() default "none";

        Horizon horizon() default Horizon.WEEK;

        String policy_target() default "(any)";

        String _password() default "";
    }

    private static Map<String, Object> props(Object... keysAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void anAbsentKeyHasItsDefault() {
        Config c = ConfigValues.typed(Config.class, Map.of());
        assertThat(c.share()).isEqualTo(0.1);
        assertThat(c.windowMs()).isEqualTo(100);
        assertThat(c.size()).isEqualTo(5);
        assertThat(c.enabled()).isTrue();
        assertThat(c.name()).isEqualTo("none");
        assertThat(c.horizon()).isEqualTo(Horizon.WEEK);
        assertThat(c.annotationType()).isEqualTo(Config.class);
    }

    @Test
    void textAsConfigPropertySetWritesItIsConverted() {
        Config c = ConfigValues.typed(Config.class, props("share", " 0.25 ", "windowMs", "250", "size", "7",
                "enabled", "FALSE", "name", "x y", "horizon", "day", "policy.target", "(a=b)", ".password", "s3"));
        assertThat(c.share()).isEqualTo(0.25);
        assertThat(c.windowMs()).isEqualTo(250);
        assertThat(c.size()).isEqualTo(7);
        assertThat(c.enabled()).isFalse();
        assertThat(c.name()).isEqualTo("x y");
        assertThat(c.horizon()).isEqualTo(Horizon.DAY);
        assertThat(c.policy_target()).as("_ reads .").isEqualTo("(a=b)");
        assertThat(c._password()).isEqualTo("s3");
    }

    @Test
    void typedValuesAndOneElementArraysAreTaken() {
        Config c = ConfigValues.typed(Config.class, props("share", 1, "windowMs", 2.0, "size", 3L,
                "enabled", Boolean.FALSE, "name", new String[] {"only"}, "horizon", Horizon.MONTH,
                "policy.target", List.of("(x=y)")));
        assertThat(c.share()).isEqualTo(1.0);
        assertThat(c.windowMs()).as("a whole double").isEqualTo(2);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.enabled()).isFalse();
        assertThat(c.name()).isEqualTo("only");
        assertThat(c.horizon()).isEqualTo(Horizon.MONTH);
        assertThat(c.policy_target()).isEqualTo("(x=y)");
    }

    @Test
    void minusZeroIsReadAsZero() {
        assertThat(Double.doubleToRawLongBits(ConfigValues.typed(Config.class, props("share", "-0.0")).share()))
                .isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Double.doubleToRawLongBits(ConfigValues.typed(Config.class, props("share", -0.0)).share()))
                .isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void everyBadKeyIsNamedWithItsValueInOneMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigValues.typed(Config.class, props(
                "share", "abc", "windowMs", "1.5", "size", "3000000000", "enabled", "yes", "horizon", "fortnight",
                "name", new String[] {"a", "b"})))
                .withMessage("enabled must be true or false, was 'yes'; "
                        + "horizon must be one of [HOUR, DAY, WEEK, MONTH], was 'fortnight'; "
                        + "name must be one value, was 2 values; "
                        + "share must be a number, was 'abc'; "
                        + "size must be a whole number in [-2147483648, 2147483647], was '3000000000'; "
                        + "windowMs must be a whole number in [-9223372036854775808, 9223372036854775807], was '1.5'");
    }

    @Test
    void aWholeNumberKeyRefusesNanInfinitiesAndOverflow() {
        for (Object bad : List.of("NaN", Double.NaN, "Infinity", Double.NEGATIVE_INFINITY, "9223372036854775808",
                "1e30", 2.5)) {
            assertThatIllegalArgumentException().as("%s", bad)
                    .isThrownBy(() -> ConfigValues.typed(Config.class, props("windowMs", bad)))
                    .withMessageStartingWith("windowMs must be a whole number");
        }
        assertThat(ConfigValues.typed(Config.class, props("windowMs", "1e3")).windowMs()).isEqualTo(1000);
    }

    @Test
    void aFractionalKeyLeavesNanAndInfinitiesToTheSettingsRangeAndFiniteDoubleRefusesThem() {
        assertThat(ConfigValues.typed(Config.class, props("share", "NaN")).share()).isNaN();
        assertThat(ConfigValues.typed(Config.class, props("share", Double.POSITIVE_INFINITY)).share()).isInfinite();

        ConfigValues values = ConfigValues.of(props("a", "NaN", "b", "-Infinity", "c", "2"));
        assertThat(values.finiteDouble("a", 1)).isEqualTo(1);
        assertThat(values.finiteDouble("b", 1)).isEqualTo(1);
        assertThat(values.finiteDouble("c", 1)).isEqualTo(2);
        assertThat(values.problems()).containsExactly("a must be a finite number, was 'NaN'",
                "b must be a finite number, was '-Infinity'");
        assertThatIllegalArgumentException().isThrownBy(values::check)
                .withMessage("a must be a finite number, was 'NaN'; b must be a finite number, was '-Infinity'");
    }

    @Test
    void aTextKeyDoesNotShowWhatItRefuses() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConfigValues.typed(Config.class, props(".password", new String[] {"s3", "cr3t"})))
                .withMessage(".password must be one value, was 2 values")
                .withMessageNotContaining("s3");
    }

    @Test
    void keysFollowTheDeclarativeServicesNameMapping() {
        assertThat(ConfigValues.key("policy_target")).isEqualTo("policy.target");
        assertThat(ConfigValues.key("_password")).isEqualTo(".password");
        assertThat(ConfigValues.key("a__b")).isEqualTo("a_b");
        assertThat(ConfigValues.key("a$$b")).isEqualTo("a$b");
        assertThat(ConfigValues.key("a$_$b")).isEqualTo("a-b");
        assertThat(ConfigValues.key("a$b")).isEqualTo("ab");
        assertThat(ConfigValues.key("service_ranking")).isEqualTo("service.ranking");
    }

    @Test
    void aReaderWithNothingRefusedChecksQuietly() {
        ConfigValues values = ConfigValues.of(Map.of("n", "4"));
        assertThat(values.intValue("n", 0)).isEqualTo(4);
        assertThat(values.longValue("m", 9)).isEqualTo(9);
        values.check();
        assertThat(values.problems()).isEmpty();
    }
}
