package org.warden.engine;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;

/**
 * Whether the engine's configuration ({@value WardenEngine#PID}) on file is refused, for {@link ConfigurationStatus}:
 * set when activation's or a change's configuration is refused, cleared when an accepted one arrives. Apart from
 * {@link WardenEngine} so that the engine only says what happened, and this class alone decides what is shown.
 *
 * <p>Readers (the health check, on any thread) get an immutable list read from one reference, so they never wait
 * and never see half an update; writers replace it with a compare-and-set, so no lock is held around anything.
 */
final class ConfigurationRefusals implements ConfigurationStatus {

    private final Clock clock;
    private final AtomicReference<List<ConfigurationRefusal>> refusals = new AtomicReference<>(List.of());

    ConfigurationRefusals(Clock clock) {
        this.clock = clock;
    }

    /**
     * The configuration on file is refused, for {@code reason}; {@code inForce} says what applies instead. A refusal
     * already in force keeps its time and what it said applies, only its reason changes: no configuration was
     * accepted in between, so the same settings are still in force, and the operator's question is how long the
     * file's settings have not applied, which a second bad edit does not make shorter.
     */
    void refused(String reason, String inForce) {
        refusals.updateAndGet(current -> List.of(current.isEmpty()
                ? new ConfigurationRefusal(WardenEngine.PID, reason, inForce, clock.instant())
                : new ConfigurationRefusal(WardenEngine.PID, reason, current.get(0).inForce(), current.get(0).since())));
    }

    /** An accepted configuration arrived: nothing refused is on file any more. */
    void accepted() {
        refusals.set(List.of());
    }

    @Override
    public List<ConfigurationRefusal> refusals() {
        return refusals.get();
    }
}
