package org.warden.api.policy.support;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;
import org.slf4j.Logger;
import org.warden.api.ConfigurationStatus;

/**
 * The validated settings a configurable component works with, and what it builds from them (typically the policy it
 * delegates to), swapped whole when a new configuration is accepted and kept when one is refused.
 *
 * <p>A Declarative Services component creates one with the settings it runs on without configuration, then calls
 * {@link #apply} from its {@code @Activate} and {@code @Modified} methods with a reader that converts and validates
 * the configuration. The service stays registered across configuration changes: the settings and what was built
 * from them are replaced together in one volatile write, so a call in flight sees either the old pair or the new,
 * never a mix. An invalid configuration is refused with an ERROR log naming the PID, why, and the settings that stay
 * in force; an accepted one is logged at INFO.
 *
 * <p>A refusal is also kept, in {@link #status()}, until an accepted configuration arrives (the value fixed, or the
 * configuration deleted): the component registers that {@link ConfigurationStatus} with its bundle context while it
 * is active, so that the health check WARNs while the refused configuration is on file. The component reads its
 * configuration with {@link ConfigValues}, so that a value of the wrong type is refused here too, naming its key.
 *
 * <p>With {@link #apply(Map, Function, String, LastAcceptedConfigurations)} the configuration last accepted is kept
 * (under {@code ${karaf.data}/warden} in Karaf) and put in force at a boot whose configuration on file is refused,
 * rather than the built-in settings.
 *
 * <p>{@link #variant} builds what the component builds from the configuration in force with overrides put over it
 * (a what-if replay's candidate policy), changing nothing in force and saving nothing.
 *
 * <p>Thread-safe. Policy bundles use it; they do not implement or extend it (hence {@code @ProviderType}).
 *
 * @param <S> the validated settings, immutable, with a {@code toString} an operator can read in the log
 * @param <T> what is built from the settings, e.g. the policy the component delegates to
 */
@ProviderType
public final class SettingsHolder<S, T> {
    /**
     * The settings, what was built from them and the raw properties they were read from, replaced together so that
     * a reader never sees a mix. {@code properties} is null when the settings came from a reader of no properties
     * ({@link #apply(Supplier, String)}): a variant cannot start from them.
     */
    private record InForce<S, T>(S settings, T built, Map<String, Object> properties) {
    }

    private final String pid;
    private final String subject;
    private final Function<? super S, ? extends T> build;
    private final Logger logger;
    private final ConfigurationRefusals refusals;
    private volatile InForce<S, T> inForce;
    /** Whether a configuration was accepted yet: what applies while one is refused. */
    private volatile boolean accepted;

    /**
     * Holds {@code initial} (and what {@code build} makes of it) until a configuration is accepted; a refusal's time
     * is read from the system clock.
     *
     * @param pid the configuration PID, named in every log line
     * @param name what the settings belong to, as the INFO line starts: e.g. {@code "Default policy"} logs
     *        {@code "Default policy settings in force: ..."}
     * @param initial the settings in force without configuration, or while every configuration is refused
     * @param build what to make of accepted settings; called once per accepted configuration, outside any lock
     * @param logger where refusals and accepted settings are logged: the component's logger
     */
    public SettingsHolder(String pid, String name, S initial, Function<? super S, ? extends T> build, Logger logger) {
        this(pid, Objects.requireNonNull(name, "name") + " settings", initial, build, logger, Clock.systemUTC());
    }

    /**
     * As {@link #SettingsHolder(String, String, Object, Function, Logger)}, with the clock a refusal's time is read
     * from, and the whole subject of the INFO line.
     *
     * @param subject what the settings are called in the INFO line: e.g. {@code "Network health check thresholds"}
     *        logs {@code "Network health check thresholds in force: ..."}
     * @param clock when a refusal starts, for {@link #status()}
     * @since 1.1
     */
    public SettingsHolder(String pid, String subject, S initial, Function<? super S, ? extends T> build, Logger logger,
            Clock clock) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.build = Objects.requireNonNull(build, "build");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.refusals = new ConfigurationRefusals(pid, clock);
        // no properties: the initial settings are meant to be what the component's reader makes of none
        this.inForce = new InForce<>(Objects.requireNonNull(initial, "initial"), build.apply(initial), Map.of());
    }

    /**
     * Puts the settings {@code read} returns in force if it returns them; if it throws, logs why at ERROR and keeps
     * the settings in force. An {@link IllegalArgumentException} is a validation's refusal: its message is logged,
     * as it names every bad key and why and a stack trace would add nothing. Any other {@link RuntimeException}
     * (e.g. Declarative Services could not convert a value to its key's type) is logged with its stack trace, as it
     * is the only explanation there is; so is a {@link NumberFormatException}, an {@code IllegalArgumentException}
     * whose message names no key. What {@code build} throws is not caught: that is the component's bug, not
     * the configuration's.
     *
     * @param read converts and validates the configuration; throws to refuse it
     * @param consequence what the operator should know the refusal means, logged before the settings in force,
     *        e.g. {@code "The settings in force stay"}
     * @return whether the configuration was accepted
     */
    public boolean apply(Supplier<? extends S> read, String consequence) {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(consequence, "consequence");
        Attempt<S> attempt = attempt(read);
        if (attempt.settings() != null) {
            putInForce(attempt.settings(), null);
            return true;
        }
        refuse(attempt, consequence, whatApplies());
        return false;
    }

    /**
     * As {@link #apply(Supplier, String)} with {@code read.apply(properties)}, keeping {@link #pid}'s last accepted
     * configuration in {@code kept}: an accepted configuration is saved there (its component's keys, see
     * {@link LastAcceptedConfigurations#save}); a refused one while no configuration was accepted yet (at
     * activation, a refused value left on file) puts the saved one in force, read by the same {@code read}, if one
     * is saved and {@code read} accepts it. The ERROR and {@link #status()} then say that the settings last accepted
     * apply, and when they were saved; otherwise the built-in settings stay, as {@link #apply(Supplier, String)} does.
     *
     * @param properties the configuration's raw properties, as Declarative Services passes them
     * @param read converts and validates a configuration's properties, the one on file or the one saved; throws to
     *        refuse it
     * @param consequence what the refusal means when the saved configuration does not apply, as for
     *        {@link #apply(Supplier, String)}
     * @param kept where the last accepted configuration is kept: {@link LastAcceptedConfigurations#ofKarafData} of
     *        the bundle context's {@code karaf.data}
     * @return whether the configuration on file was accepted
     * @since 1.2
     */
    public boolean apply(Map<String, ?> properties, Function<? super Map<String, ?>, ? extends S> read,
            String consequence, LastAcceptedConfigurations kept) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(consequence, "consequence");
        Objects.requireNonNull(kept, "kept");
        Attempt<S> attempt = attempt(() -> read.apply(properties));
        if (attempt.settings() != null) {
            putInForce(attempt.settings(), properties);
            // an operator's change (or a boot on it) accepted: what the next boot falls back on
            kept.save(pid, properties);
            return true;
        }
        if (!accepted) {
            Optional<LastAcceptedConfigurations.Saved> saved = kept.read(pid);
            if (saved.isPresent()) {
                Attempt<S> fallback = attempt(() -> read.apply(saved.get().properties()));
                if (fallback.settings() != null) {
                    String applies = "the settings last accepted (saved " + saved.get().savedAt() + " in "
                            + saved.get().file() + ")";
                    putInForce(fallback.settings(), saved.get().properties());
                    // after putInForce, whose refusals.accepted() would clear it: the file's is still refused
                    refuse(attempt, "T" + applies.substring(1) + " apply", applies);
                    return false;
                }
                logger.error("Configuration {}: the settings last accepted ({}) are refused too: {}", pid,
                        saved.get().file(), fallback.reason());
            }
        }
        refuse(attempt, consequence, whatApplies());
        return false;
    }

    /** Settings read, or why not; {@code failure} is logged with its stack trace when the reason is not enough. */
    private record Attempt<S>(S settings, String reason, RuntimeException failure) {
    }

    /**
     * Reads, catching what a refusal throws. An {@link IllegalArgumentException} is a validation's refusal: its
     * message names every bad key and why, and a stack trace would add nothing. Any other {@link RuntimeException}
     * (and a {@link NumberFormatException}, an {@code IllegalArgumentException} whose message names no key) is
     * logged with its stack trace, as it is the only explanation there is.
     */
    private static <S> Attempt<S> attempt(Supplier<? extends S> read) {
        try {
            return new Attempt<>(Objects.requireNonNull(read.get(), "the settings read"), null, null);
        } catch (NumberFormatException e) {
            return new Attempt<>(null, "it could not be read: " + e, e);
        } catch (IllegalArgumentException e) {
            return new Attempt<>(null, e.getMessage(), null);
        } catch (RuntimeException e) {
            return new Attempt<>(null, "it could not be read: " + e, e);
        }
    }

    /** Logs a refusal at ERROR, with the settings that apply after it, and keeps it for the health check. */
    private void refuse(Attempt<S> attempt, String consequence, String applies) {
        if (attempt.failure() != null) {
            logger.error("Configuration {} could not be read. {}: {}", pid, consequence, inForce.settings(),
                    attempt.failure());
        } else {
            logger.error("Configuration {} refused: {}. {}: {}", pid, attempt.reason(), consequence,
                    inForce.settings());
        }
        refusals.refused(attempt.reason(), applies);
    }

    /** Accepted settings in force, with what is built from them; {@code build} is the component's, called here. */
    private void putInForce(S settings, Map<String, ?> properties) {
        // a copy: the caller's map is Declarative Services' (or a test's), read later by a variant
        inForce = new InForce<>(settings, build.apply(settings),
                properties == null ? null : Collections.unmodifiableMap(new HashMap<>(properties)));
        accepted = true;
        refusals.accepted();
        logger.info("{} in force: {}", subject, settings);
    }

    /** What applies while the configuration on file is refused, as the health check's WARN line says it. */
    private String whatApplies() {
        return accepted ? "the settings last accepted" : "the built-in defaults";
    }

    /**
     * Whether the configuration on file is refused, since when and why: register it as a {@link ConfigurationStatus}
     * service while the component is active (e.g. {@code context.registerService(ConfigurationStatus.class,
     * holder.status(), null)} in {@code @Activate}, unregistered in {@code @Deactivate}).
     *
     * @since 1.1
     */
    public ConfigurationStatus status() {
        return refusals;
    }

    /** The settings in force. */
    public S settings() {
        return inForce.settings();
    }

    /** What was built from the settings in force. */
    public T current() {
        return inForce.built();
    }

    /**
     * A new {@code T}, built as the one in force is but from the raw properties in force with {@code overrides}
     * put over them (see {@link ConfigOverrides#over}), read by {@code read}, the reader the component passes to
     * {@link #apply(Map, Function, String, LastAcceptedConfigurations)}. Nothing changes: the settings in force stay,
     * nothing is logged or saved, and a refusal is not a configuration's (not in {@link #status()}).
     *
     * <p>The properties in force are those of the configuration last accepted (or, at a boot whose configuration is
     * refused, of the saved one in force); while none was accepted, none: {@code read} makes the defaults of them,
     * which the initial settings are meant to be.
     *
     * @param overrides keys of {@code config} and their values as text, e.g. {@code successRateWeight=0.5}
     * @param config the component's configuration annotation: the keys that may be overridden
     * @param owner what the keys belong to, as a refusal names it: e.g. {@code "policy default"}
     * @param read the component's reader of a configuration's properties; throws to refuse them
     * @throws IllegalArgumentException naming the key, if a key is not one of {@code config}'s or {@code read}
     *         refuses a value
     * @throws IllegalStateException if the settings in force were not read from properties (put in force by
     *         {@link #apply(Supplier, String)})
     * @since 1.3
     */
    public T variant(Map<String, String> overrides, Class<? extends Annotation> config, String owner,
            Function<? super Map<String, ?>, ? extends S> read) {
        Objects.requireNonNull(read, "read");
        Map<String, Object> properties = inForce.properties(); // one read: the properties of one configuration
        if (properties == null) {
            throw new IllegalStateException("The settings of " + pid + " in force were not read from properties: "
                    + "no variant can start from them");
        }
        S settings = Objects.requireNonNull(read.apply(ConfigOverrides.over(properties, overrides, config, owner)),
                "the settings read");
        return build.apply(settings);
    }
}
