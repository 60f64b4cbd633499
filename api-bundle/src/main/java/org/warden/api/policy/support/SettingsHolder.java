package org.warden.api.policy.support;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;
import org.slf4j.Logger;

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
 * <p>Thread-safe. Policy bundles use it; they do not implement or extend it (hence {@code @ProviderType}).
 *
 * @param <S> the validated settings, immutable, with a {@code toString} an operator can read in the log
 * @param <T> what is built from the settings, e.g. the policy the component delegates to
 */
@ProviderType
public final class SettingsHolder<S, T> {
    /** The settings and what was built from them, replaced together so that a reader never sees a mix. */
    private record InForce<S, T>(S settings, T built) {
    }

    private final String pid;
    private final String name;
    private final Function<? super S, ? extends T> build;
    private final Logger logger;
    private volatile InForce<S, T> inForce;

    /**
     * Holds {@code initial} (and what {@code build} makes of it) until a configuration is accepted.
     *
     * @param pid the configuration PID, named in every log line
     * @param name what the settings belong to, as the INFO line starts: e.g. {@code "Default policy"} logs
     *        {@code "Default policy settings in force: ..."}
     * @param initial the settings in force without configuration, or while every configuration is refused
     * @param build what to make of accepted settings; called once per accepted configuration, outside any lock
     * @param logger where refusals and accepted settings are logged: the component's logger
     */
    public SettingsHolder(String pid, String name, S initial, Function<? super S, ? extends T> build, Logger logger) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.name = Objects.requireNonNull(name, "name");
        this.build = Objects.requireNonNull(build, "build");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.inForce = new InForce<>(Objects.requireNonNull(initial, "initial"), build.apply(initial));
    }

    /**
     * Puts the settings {@code read} returns in force if it returns them; if it throws, logs why at ERROR and keeps
     * the settings in force. An {@link IllegalArgumentException} is a validation's refusal: its message is logged,
     * as it names every bad key and why and a stack trace would add nothing. Any other {@link RuntimeException}
     * (e.g. Declarative Services could not convert a value to its key's type) is logged with its stack trace, as it
     * is the only explanation there is. What {@code build} throws is not caught: that is the component's bug, not
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
        S settings;
        try {
            settings = Objects.requireNonNull(read.get(), "the settings read");
        } catch (IllegalArgumentException e) {
            logger.error("Configuration {} refused: {}. {}: {}", pid, e.getMessage(), consequence,
                    inForce.settings());
            return false;
        } catch (RuntimeException e) {
            logger.error("Configuration {} could not be read. {}: {}", pid, consequence, inForce.settings(), e);
            return false;
        }
        inForce = new InForce<>(settings, build.apply(settings));
        logger.info("{} settings in force: {}", name, settings);
        return true;
    }

    /** The settings in force. */
    public S settings() {
        return inForce.settings();
    }

    /** What was built from the settings in force. */
    public T current() {
        return inForce.built();
    }
}
