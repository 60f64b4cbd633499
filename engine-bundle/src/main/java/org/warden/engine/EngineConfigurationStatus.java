package org.warden.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.policy.support.ConfigurationRefusals;

/**
 * Whether the engine's configuration ({@value WardenEngine#PID}) on file is refused, or names a policy that is not
 * installed, for {@link ConfigurationStatus}: a refusal is kept by the {@link ConfigurationRefusals} every Warden PID
 * uses (set when activation's or a change's configuration is refused, cleared when an accepted one arrives); a
 * missing policy is set while the accepted configuration names a policy (or shadow policy) no installed service has.
 * Both are one entry of the PID (the API's contract: one per PID), so the health check WARNs for either. Apart from
 * {@link WardenEngine} so that the engine only says what happened, and this class alone decides what is shown.
 *
 * <p>Readers (the health check, on any thread) get an immutable list built from two references, never waiting;
 * writers replace them with a compare-and-set, so no lock is held around anything.
 */
final class EngineConfigurationStatus implements ConfigurationStatus {

    private final Clock clock;
    private final ConfigurationRefusals refused;
    /** The missing policies' entry, or null when every named policy is installed. */
    private final AtomicReference<ConfigurationRefusal> missing = new AtomicReference<>();

    EngineConfigurationStatus(Clock clock) {
        this.clock = clock;
        this.refused = new ConfigurationRefusals(WardenEngine.PID, clock);
    }

    /** The configuration on file is refused (see {@link ConfigurationRefusals#refused}). */
    void refused(String reason, String inForce) {
        refused.refused(reason, inForce);
    }

    /** An accepted configuration arrived: nothing refused is on file any more. */
    void accepted() {
        refused.accepted();
    }

    /**
     * The accepted configuration names policies that are not installed ({@code reason}, e.g. "policy strict is
     * configured but not installed"), {@code inForce} applying meanwhile; null when every named policy is
     * installed. The time is kept while some named policy stays missing.
     */
    void missing(String reason, String inForce) {
        Instant now = clock.instant();
        missing.updateAndGet(m -> reason == null ? null
                : new ConfigurationRefusal(WardenEngine.PID, reason, inForce, m == null ? now : m.since()));
    }

    @Override
    public List<ConfigurationRefusal> refusals() {
        List<ConfigurationRefusal> r = refused.refusals();
        ConfigurationRefusal m = missing.get();
        if (m == null) {
            return r;
        } else if (r.isEmpty()) {
            return List.of(m);
        }
        ConfigurationRefusal c = r.get(0);
        Instant since = c.since().isBefore(m.since()) ? c.since() : m.since();
        return List.of(new ConfigurationRefusal(WardenEngine.PID, c.reason() + "; " + m.reason(),
                c.inForce() + ", with " + m.inForce(), since));
    }
}
