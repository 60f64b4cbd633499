package org.warden.engine;

import static org.warden.engine.WardenEngine.PID;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.engine.core.EngineSettings;

/**
 * Reads the engine's configuration ({@code org.warden.engine}) into {@link EngineSettings}: every value checked and
 * converted here, a refused one named by its key, and the last accepted settings used at a boot whose configuration
 * is refused. Apart from {@link WardenEngine} so that a new setting or a new check changes this class only.
 */
final class EngineConfigReader {
    /** The engine's logger: operators' log settings for the engine cover its configuration's messages too. */
    private static final Logger LOG = LoggerFactory.getLogger(WardenEngine.class);

    private EngineConfigReader() {
    }

    /** An accepted configuration: the engine's settings and the policies it names. */
    record Accepted(EngineSettings settings, PolicyNames names) {
        static final Accepted DEFAULTS = new Accepted(EngineSettings.DEFAULTS, PolicyNames.DEFAULTS);
    }

    /**
     * What activation reads: what to use and, when the configuration on file is refused, why and what applies
     * instead (for {@link EngineConfigurationStatus}); {@code refusal} and {@code inForce} are null when it is accepted.
     */
    record Reading(Accepted accepted, String refusal, String inForce) {
        EngineSettings settings() {
            return accepted.settings();
        }
    }

    /** At activation in Karaf: {@link #read(EngineConfig, Map, LastAcceptedSettings)} under ${karaf.data}. */
    static Reading read(EngineConfig config, Map<String, ?> properties) {
        return read(config, properties, LastAcceptedSettings.inKarafData());
    }

    /** As {@link #read(EngineConfig, Map, LastAcceptedSettings)} for a configuration without retired keys. */
    static Reading read(EngineConfig config, LastAcceptedSettings last) {
        return read(config, Map.of(), last);
    }

    /**
     * At activation: the configuration, kept as the last accepted one; if it is refused (a value left in the .cfg
     * file), the last accepted one (kept under {@code ${karaf.data}/warden}), else the defaults.
     */
    static Reading read(EngineConfig config, Map<String, ?> properties, LastAcceptedSettings last) {
        try {
            Accepted accepted = accept(config, properties);
            last.save(config);
            return new Reading(accepted, null, null);
        } catch (IllegalArgumentException refused) {
            try {
                Optional<EngineConfig> kept = last.load();
                if (kept.isPresent()) {
                    Accepted accepted = accept(kept.get(), Map.of());
                    LOG.error("Refused the Warden engine configuration ({}): {}; the settings last accepted apply ({})",
                            PID, refused.getMessage(), last.file());
                    return new Reading(accepted, refused.getMessage(), "the settings last accepted (" + last.file() + ")");
                }
            } catch (IllegalArgumentException e) {
                LOG.error("The Warden engine settings last accepted ({}) cannot be used: {}", last.file(), e.toString());
            }
            LOG.error("Refused the Warden engine configuration ({}): {}; the defaults apply", PID, refused.getMessage());
            return new Reading(Accepted.DEFAULTS, refused.getMessage(), "the built-in defaults");
        }
    }

    /**
     * Every value of a configuration checked, or an {@link IllegalArgumentException} naming the first refused key;
     * {@code properties} are the configuration's raw properties, only looked at for the keys no longer read.
     */
    static Accepted accept(EngineConfig c, Map<String, ?> properties) {
        PolicyNames.refuseRetiredKeys(properties);
        EngineSettings settings = settingsOf(c);
        return new Accepted(settings, new PolicyNames(value(EngineInsight.POLICY, c::policy),
                value(EngineInsight.SHADOW_POLICY, c::shadowPolicy)));
    }

    static EngineSettings settingsOf(EngineConfig c) {
        return new EngineSettings(
                seconds("healthCheckIntervalSeconds", value("healthCheckIntervalSeconds", c::healthCheckIntervalSeconds)),
                value("activityWindowIntervals", c::activityWindowIntervals),
                millis("networkHealthMaxAgeMs", value("networkHealthMaxAgeMs", c::networkHealthMaxAgeMs)),
                value("penaltyHistorySize", c::penaltyHistorySize), value("banHistorySize", c::banHistorySize),
                seconds("policyFaultLogIntervalSeconds",
                        value("policyFaultLogIntervalSeconds", c::policyFaultLogIntervalSeconds)),
                number("networkMinVolume", c::networkMinVolume))
                .withBanBudget(number("banBudgetShare", c::banBudgetShare),
                        minutes("banBudgetWindowMinutes", value("banBudgetWindowMinutes", c::banBudgetWindowMinutes)))
                .withSlowPolicyGuard(callBudget(value("policyCallBudgetMs", c::policyCallBudgetMs)),
                        seconds("slowPolicyCooldownSeconds", value("slowPolicyCooldownSeconds", c::slowPolicyCooldownSeconds)))
                .withEligibleBeforeRestore(value("eligibleBeforeRestore", c::eligibleBeforeRestore));
    }

    /**
     * One value of the configuration. SCR converts a value to the type of its {@code EngineConfig} method only when the
     * method is called, and a value it cannot convert (e.g. {@code banBudgetShare = abc}) then throws its own
     * exception (Felix: a {@code ComponentException} without the key). That is refused here as every other invalid
     * value is, naming the key, so the configuration is refused as a whole with one ERROR line.
     */
    static <T> T value(String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " has a value of the wrong type (" + e.getMessage() + ")", e);
        }
    }

    /** A number setting; {@code -0.0} is read as 0 (it would otherwise be kept, and shown, as -0.0). */
    static double number(String key, Supplier<Double> read) {
        return value(key, read) + 0.0;
    }

    private static Duration callBudget(long ms) {
        if (ms < 1 || ms > 60_000) {
            throw new IllegalArgumentException("policyCallBudgetMs must be in [1, 60000], was " + ms);
        }
        return Duration.ofMillis(ms);
    }

    private static Duration seconds(String name, long value) {
        if (value <= 0 || value > Duration.ofDays(365).toSeconds()) {
            throw new IllegalArgumentException(name + " must be in [1, 31536000], was " + value);
        }
        return Duration.ofSeconds(value);
    }

    private static Duration minutes(String name, long value) {
        if (value < 1 || value > Duration.ofDays(365).toMinutes()) {
            throw new IllegalArgumentException(name + " must be in [1, 525600], was " + value);
        }
        return Duration.ofMinutes(value);
    }

    private static Duration millis(String name, long value) {
        if (value < 0 || value > Duration.ofHours(1).toMillis()) {
            throw new IllegalArgumentException(name + " must be in [0, 3600000], was " + value);
        }
        return Duration.ofMillis(value);
    }
}
