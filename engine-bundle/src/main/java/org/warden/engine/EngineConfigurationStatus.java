package org.warden.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;

/**
 * Whether the engine's configuration ({@value WardenEngine#PID}) on file is refused, or names a policy that is not
 * installed, for {@link ConfigurationStatus}: a refusal is set when activation's or a change's configuration is
 * refused and cleared when an accepted one arrives; a missing policy is set while the accepted configuration names
 * a policy (or shadow policy) no installed service has. Both are one entry of the PID (the API's contract: one per
 * PID), so the health check WARNs for either. Apart from {@link WardenEngine} so that the engine only says what
 * happened, and this class alone decides what is shown.
 *
 * <p>Readers (the health check, on any thread) get an immutable list built from one reference, so they never wait
 * and never see half an update; writers replace it with a compare-and-set, so no lock is held around anything.
 */
final class EngineConfigurationStatus implements ConfigurationStatus {

    /** One reason the configuration on file is not what is in force. */
    private record Entry(String reason, String inForce, Instant since) {
    }

    /** The refused configuration and the missing policies, each null when there is none. */
    private record State(Entry refused, Entry missing) {
    }

    private final Clock clock;
    private final AtomicReference<State> state = new AtomicReference<>(new State(null, null));

    EngineConfigurationStatus(Clock clock) {
        this.clock = clock;
    }

    /**
     * The configuration on file is refused, for {@code reason}; {@code inForce} says what applies instead. A refusal
     * already in force keeps its time and what it said applies, only its reason changes: no configuration was
     * accepted in between, so the same settings are still in force, and the operator's question is how long the
     * file's settings have not applied, which a second bad edit does not make shorter.
     */
    void refused(String reason, String inForce) {
        Instant now = clock.instant();
        state.updateAndGet(s -> new State(s.refused() == null ? new Entry(reason, inForce, now)
                : new Entry(reason, s.refused().inForce(), s.refused().since()), s.missing()));
    }

    /** An accepted configuration arrived: nothing refused is on file any more. */
    void accepted() {
        state.updateAndGet(s -> new State(null, s.missing()));
    }

    /**
     * The accepted configuration names policies that are not installed ({@code reason}, e.g. "policy strict is
     * configured but not installed"), {@code inForce} applying meanwhile; null when every named policy is
     * installed. The time is kept while some named policy stays missing.
     */
    void missing(String reason, String inForce) {
        Instant now = clock.instant();
        state.updateAndGet(s -> new State(s.refused(), reason == null ? null
                : new Entry(reason, inForce, s.missing() == null ? now : s.missing().since())));
    }

    @Override
    public List<ConfigurationRefusal> refusals() {
        State s = state.get();
        if (s.refused() == null && s.missing() == null) {
            return List.of();
        } else if (s.missing() == null) {
            return List.of(refusal(s.refused()));
        } else if (s.refused() == null) {
            return List.of(refusal(s.missing()));
        }
        Instant since = s.refused().since().isBefore(s.missing().since()) ? s.refused().since() : s.missing().since();
        return List.of(refusal(new Entry(s.refused().reason() + "; " + s.missing().reason(),
                s.refused().inForce() + ", with " + s.missing().inForce(), since)));
    }

    private static ConfigurationRefusal refusal(Entry e) {
        return new ConfigurationRefusal(WardenEngine.PID, e.reason(), e.inForce(), e.since());
    }
}
