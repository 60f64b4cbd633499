package org.warden.api.policy.support;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.annotation.versioning.ProviderType;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;

/**
 * Whether one PID's configuration on file is refused, since when and why: the {@link ConfigurationStatus} a
 * component registers so that the health check WARNs while its configuration is refused. Set when activation's or a
 * change's configuration is refused, cleared when an accepted one arrives. {@link SettingsHolder} keeps one; a
 * component that does not use a holder (e.g. the engine's) keeps its own.
 *
 * <p>Implemented here, in the API bundle, so that a policy bundle registering it stays a consumer of
 * {@code org.warden.api}: it hands out an object of the provider's, and implements nothing of the provider's.
 *
 * <p>Readers (the health check, on any thread) get an immutable list read from one reference, so they never wait
 * and never see half an update; writers replace it with a compare-and-set, so no lock is held around anything.
 */
@ProviderType
public final class ConfigurationRefusals implements ConfigurationStatus {

    private final String pid;
    private final Clock clock;
    private final AtomicReference<List<ConfigurationRefusal>> refusals = new AtomicReference<>(List.of());

    /**
     * @param pid   the configuration PID the refusals name
     * @param clock when a refusal starts
     */
    public ConfigurationRefusals(String pid, Clock clock) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The configuration on file is refused, for {@code reason}; {@code inForce} says what applies instead. A refusal
     * already in force keeps its time and what it said applies, only its reason changes: no configuration was
     * accepted in between, so the same settings are still in force, and the operator's question is how long the
     * file's settings have not applied, which a second bad edit does not make shorter.
     */
    public void refused(String reason, String inForce) {
        refusals.updateAndGet(current -> List.of(current.isEmpty()
                ? new ConfigurationRefusal(pid, reason, inForce, clock.instant())
                : new ConfigurationRefusal(pid, reason, current.get(0).inForce(), current.get(0).since())));
    }

    /** An accepted configuration arrived: nothing refused is on file any more. */
    public void accepted() {
        refusals.set(List.of());
    }

    /** The PID this tells about. */
    public String pid() {
        return pid;
    }

    @Override
    public List<ConfigurationRefusal> refusals() {
        return refusals.get();
    }
}
