package org.warden.api.policy.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.SubstituteLogger;
import org.warden.api.ConfigurationRefusal;

class SettingsHolderTest {
    /** Settings as a component's would be: validated on the way in, readable in the log. */
    record Limits(int max) {
        static Limits parse(String text) {
            int max = Integer.parseInt(text); // NumberFormatException is an IllegalArgumentException
            if (max < 0) {
                throw new IllegalArgumentException("invalid limits: max must be >= 0, was " + max);
            }
            return new Limits(max);
        }
    }

    /** What a component builds from its settings, as a policy from its settings. */
    record Built(Limits from) {
    }

    private static final Limits DEFAULTS = new Limits(10);

    // SLF4J's own SubstituteLogger, created "before initialisation", records every call as an event.
    private final Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final SubstituteLogger logger = new SubstituteLogger("test", events, false);
    private final AtomicInteger builds = new AtomicInteger();
    private final Function<Limits, Built> build = s -> {
        builds.incrementAndGet();
        return new Built(s);
    };
    private final SettingsHolder<Limits, Built> holder =
            new SettingsHolder<>("org.example.limits", "Limits", DEFAULTS, build, logger);

    private List<SubstituteLoggingEvent> at(Level level) {
        return events.stream().filter(e -> e.getLevel() == level).toList();
    }

    /** The message as the log shows it. */
    private static String text(SubstituteLoggingEvent e) {
        return MessageFormatter.arrayFormat(e.getMessage(), e.getArgumentArray()).getMessage();
    }

    @Test
    void theInitialSettingsAndWhatIsBuiltFromThemAreInForceFromTheStart() {
        assertThat(holder.settings()).isSameAs(DEFAULTS);
        assertThat(holder.current()).isEqualTo(new Built(DEFAULTS));
        assertThat(builds).hasValue(1);
        assertThat(events).isEmpty();
    }

    @Test
    void acceptedSettingsReplaceTheSettingsAndWhatIsBuiltTogetherAndAreLogged() {
        assertThat(holder.apply(() -> Limits.parse("3"), "The defaults are used instead")).isTrue();

        assertThat(holder.settings()).isEqualTo(new Limits(3));
        assertThat(holder.current().from()).isSameAs(holder.settings());
        assertThat(builds).hasValue(2);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(text(e)).isEqualTo("Limits settings in force: Limits[max=3]");
        });
    }

    @Test
    void aRefusedConfigurationIsLoggedWithWhyAndTheSettingsInForceStay() {
        holder.apply(() -> Limits.parse("3"), "The defaults are used instead");
        Limits before = holder.settings();
        Built builtBefore = holder.current();
        events.clear();

        assertThat(holder.apply(() -> Limits.parse("-1"), "The settings in force stay")).isFalse();

        assertThat(holder.settings()).isSameAs(before);
        assertThat(holder.current()).isSameAs(builtBefore);
        assertThat(builds).hasValue(2);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(text(e)).isEqualTo("Configuration org.example.limits refused: invalid limits: max must be "
                    + ">= 0, was -1. The settings in force stay: Limits[max=3]");
            // A validation's message says it all: no stack trace.
            assertThat(e.getThrowable()).isNull();
            assertThat(e.getArgumentArray()).noneMatch(a -> a instanceof Throwable);
        });
    }

    @Test
    void anUnreadableConfigurationIsLoggedWithItsExceptionAndTheSettingsInForceStay() {
        IllegalStateException unconvertible = new IllegalStateException("cannot convert \"lots\" to int");

        assertThat(holder.apply(() -> {
            throw unconvertible;
        }, "The defaults are used instead")).isFalse();

        assertThat(holder.settings()).isSameAs(DEFAULTS);
        assertThat(builds).hasValue(1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(text(e)).isEqualTo("Configuration org.example.limits could not be read. "
                    + "The defaults are used instead: Limits[max=10]");
            // Last of the arguments, where SLF4J takes it as the exception to print with its stack trace.
            assertThat(e.getThrowable()).isSameAs(unconvertible);
        });
    }

    @Test
    void aReaderThatReturnsNothingIsRefusedAsUnreadable() {
        assertThat(holder.apply(() -> null, "The settings in force stay")).isFalse();

        assertThat(holder.settings()).isSameAs(DEFAULTS);
        assertThat(at(Level.ERROR)).singleElement().satisfies(e -> assertThat(e.getThrowable())
                .isInstanceOf(NullPointerException.class));
    }

    @Test
    void whatBuildThrowsIsTheCallersBugAndIsNotSwallowed() {
        IllegalStateException bug = new IllegalStateException("bug in build");
        SettingsHolder<Limits, Built> failing = new SettingsHolder<>("org.example.limits", "Limits", DEFAULTS,
                s -> {
                    if (s.max() == 7) {
                        throw bug;
                    }
                    return new Built(s);
                }, logger);

        assertThatThrownBy(() -> failing.apply(() -> Limits.parse("7"), "The settings in force stay")).isSameAs(bug);
        assertThat(failing.settings()).isSameAs(DEFAULTS);
        assertThat(events).isEmpty();
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aRefusalIsKeptForTheHealthCheckUntilAConfigurationIsAccepted() {
        Instant t0 = Instant.parse("2026-12-06T03:00:00Z");
        MovingClock clock = new MovingClock(t0);
        SettingsHolder<Limits, Built> held = new SettingsHolder<>("org.example.limits", "Limits settings", DEFAULTS,
                build, logger, clock);

        held.apply(() -> Limits.parse("-1"), "The defaults are used instead");
        assertThat(held.status().refusals()).containsExactly(new ConfigurationRefusal("org.example.limits",
                "invalid limits: max must be >= 0, was -1", "the built-in defaults", t0));

        held.apply(() -> Limits.parse("4"), "The settings in force stay");
        assertThat(held.status().refusals()).as("accepted").isEmpty();

        clock.now = t0.plusSeconds(60);
        held.apply(() -> Limits.parse("-2"), "The settings in force stay");
        clock.now = t0.plusSeconds(120);
        held.apply(() -> {
            throw new IllegalStateException("cannot read");
        }, "The settings in force stay");
        // the second refusal's reason, the first one's time and what it said applies
        assertThat(held.status().refusals()).containsExactly(new ConfigurationRefusal("org.example.limits",
                "it could not be read: java.lang.IllegalStateException: cannot read", "the settings last accepted",
                t0.plusSeconds(60)));
        assertThat(held.settings()).isEqualTo(new Limits(4));
    }

    /** What a component reads from its raw properties: {@code max}, 10 when absent. */
    private static Limits limitsOf(java.util.Map<String, ?> properties) {
        Object max = properties.get("max");
        return Limits.parse(max == null ? "10" : String.valueOf(max));
    }

    @Test
    void anAcceptedConfigurationIsKeptAndARefusedOneAtTheNextBootPutsItInForce(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        assertThat(holder.apply(java.util.Map.of("max", 3, "service.pid", "org.example.limits"),
                SettingsHolderTest::limitsOf, "The defaults are used instead", kept)).isTrue();
        assertThat(kept.read("org.example.limits").orElseThrow().properties()).isEqualTo(java.util.Map.of("max", "3"));

        // the next boot: a new holder, its file holding a refused value
        Instant bootedAt = Instant.parse("2026-12-06T04:00:00Z");
        events.clear();
        SettingsHolder<Limits, Built> afterRestart = new SettingsHolder<>("org.example.limits", "Limits settings",
                DEFAULTS, build, logger, Clock.fixed(bootedAt, ZoneOffset.UTC));
        assertThat(afterRestart.apply(java.util.Map.of("max", "-1"), SettingsHolderTest::limitsOf,
                "The defaults are used instead", kept)).isFalse();

        assertThat(afterRestart.settings()).isEqualTo(new Limits(3));
        assertThat(afterRestart.current()).isEqualTo(new Built(new Limits(3)));
        LastAcceptedConfigurations.Saved saved = kept.read("org.example.limits").orElseThrow();
        assertThat(afterRestart.status().refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("invalid limits: max must be >= 0, was -1");
            assertThat(r.inForce()).isEqualTo("the settings last accepted (saved " + saved.savedAt() + " in "
                    + saved.file() + ")");
            assertThat(r.since()).isEqualTo(bootedAt);
        });
        assertThat(at(Level.ERROR)).singleElement().satisfies(e -> assertThat(text(e)).isEqualTo(
                "Configuration org.example.limits refused: invalid limits: max must be >= 0, was -1. The settings "
                        + "last accepted (saved " + saved.savedAt() + " in " + saved.file()
                        + ") apply: Limits[max=3]"));
        // the refused value is not kept: the next boot falls back on the same settings
        assertThat(kept.read("org.example.limits").orElseThrow().properties()).isEqualTo(java.util.Map.of("max", "3"));

        // fixed on file: accepted, kept, nothing refused
        assertThat(afterRestart.apply(java.util.Map.of("max", "4"), SettingsHolderTest::limitsOf,
                "The settings in force stay", kept)).isTrue();
        assertThat(afterRestart.status().refusals()).isEmpty();
        assertThat(kept.read("org.example.limits").orElseThrow().properties()).isEqualTo(java.util.Map.of("max", "4"));
    }

    @Test
    void aRefusedChangeAfterAnAcceptedOneLeavesTheSettingsInForceNotTheSavedOnes(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        kept.save("org.example.limits", java.util.Map.of("max", 7));
        holder.apply(java.util.Map.of("max", 3), SettingsHolderTest::limitsOf, "The defaults are used instead", kept);

        assertThat(holder.apply(java.util.Map.of("max", "-1"), SettingsHolderTest::limitsOf,
                "The settings in force stay", kept)).isFalse();
        assertThat(holder.settings()).isEqualTo(new Limits(3));
        assertThat(holder.status().refusals()).singleElement().extracting(ConfigurationRefusal::inForce)
                .isEqualTo("the settings last accepted");
    }

    @Test
    void withNothingSavedARefusedConfigurationAtBootLeavesTheDefaults(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        assertThat(holder.apply(java.util.Map.of("max", "-1"), SettingsHolderTest::limitsOf,
                "The defaults are used instead", kept)).isFalse();

        assertThat(holder.settings()).isSameAs(DEFAULTS);
        assertThat(holder.status().refusals()).singleElement().extracting(ConfigurationRefusal::inForce)
                .isEqualTo("the built-in defaults");
        assertThat(at(Level.ERROR)).singleElement().satisfies(e -> assertThat(text(e)).isEqualTo(
                "Configuration org.example.limits refused: invalid limits: max must be >= 0, was -1. The defaults "
                        + "are used instead: Limits[max=10]"));
        assertThat(kept.read("org.example.limits")).as("a refused configuration is not kept").isEmpty();
    }

    @Test
    void savedSettingsThisVersionRefusesLeaveTheDefaultsAndSaySo(@TempDir Path data) {
        LastAcceptedConfigurations kept = LastAcceptedConfigurations.in(data);
        kept.save("org.example.limits", java.util.Map.of("max", "-2"));

        assertThat(holder.apply(java.util.Map.of("max", "-1"), SettingsHolderTest::limitsOf,
                "The defaults are used instead", kept)).isFalse();

        assertThat(holder.settings()).isSameAs(DEFAULTS);
        assertThat(holder.status().refusals()).singleElement().extracting(ConfigurationRefusal::inForce)
                .isEqualTo("the built-in defaults");
        assertThat(at(Level.ERROR)).extracting(SettingsHolderTest::text).hasSize(2)
                .first().asString().contains("the settings last accepted").contains("are refused too")
                .contains("max must be >= 0, was -2");
    }

    @Test
    void outsideKarafNothingIsKept(@TempDir Path data) throws Exception {
        assertThat(holder.apply(java.util.Map.of("max", 3), SettingsHolderTest::limitsOf,
                "The defaults are used instead", LastAcceptedConfigurations.none())).isTrue();
        assertThat(holder.settings()).isEqualTo(new Limits(3));
        try (var files = java.nio.file.Files.list(data)) {
            assertThat(files).isEmpty();
        }
    }
}
