package org.warden.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.WardenEvents;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.ShadowMonitor;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.PolicyTracker;

/**
 * Which policies judge and run in shadow, as the engine's {@code policy} and {@code shadowPolicy} settings name
 * them: forwards the settings and the references' bindings to {@link PolicyTracker} and {@link ShadowBinding}, says
 * what changed (log, {@code org/warden/policy/CHANGED} event, network health recomputed) and which configured policy
 * is not installed ({@link EngineConfigurationStatus}, which the health check WARNs from). Apart from {@link WardenEngine},
 * whose reason to change is its OSGi wiring, not the rules of the choice.
 */
final class PolicyChoice {

    /** The engine's log category: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(WardenEngine.class);

    private final PolicyTracker policies;
    private final ShadowBinding shadow;
    private final WorkerBook book;
    private final EventAdminSink events;
    private final EngineConfigurationStatus refusals;
    /** Whether changes of the policy in force are logged: not for a what-if replay's engine, whose are not live. */
    private volatile boolean logged = true;

    PolicyChoice(PolicyTracker policies, WorkerBook book, EventAdminSink events, EngineConfigurationStatus refusals) {
        this.policies = policies;
        this.shadow = new ShadowBinding(book);
        this.book = book;
        this.events = events;
        this.refusals = refusals;
    }

    /** Logs no change of the policy in force from now on (a what-if replay's engine binds its policy quietly). */
    void quiet() {
        logged = false;
    }

    /** Accepted settings: the names to choose by. */
    void use(PolicyNames names) {
        policies.configure(names.policy());
        shadow.useName(names.shadowPolicy());
        reportMissing();
    }

    /** A new configuration applies to the shadow's guard as to the enforced policy's. */
    void configure(EngineSettings settings) {
        shadow.configure(settings);
    }

    void bindShadow(WardenPolicy policy, Map<String, ?> properties) {
        shadow.bind(policy, properties);
        reportMissing();
    }

    void unbindShadow(WardenPolicy policy) {
        shadow.unbind(policy);
        reportMissing();
    }

    void updatedShadow(WardenPolicy policy, Map<String, ?> properties) {
        shadow.updated(policy, properties);
        reportMissing();
    }

    Optional<ShadowMonitor.Report> shadowReport() {
        return shadow.report();
    }

    ShadowMonitor shadowMonitor() {
        return shadow.monitor();
    }

    String configuredPolicy() {
        return policies.configured();
    }

    boolean configuredPolicyInstalled() {
        return policies.missing().isEmpty();
    }

    String configuredShadowPolicy() {
        return shadow.configured();
    }

    /** Told by {@link PolicyTracker} after a change of the policy in force or of the missing name. */
    void policyChanged(PolicyTracker.Change change) {
        reportMissing();
        if (change.missing() != null && logged) {
            LOG.warn("Warden policy {} is configured ({} in etc/{}.cfg) but not installed: {} judges until it is",
                    change.missing(), EngineInsight.POLICY, WardenEngine.PID, change.next().isFallback()
                            ? "the built-in fallback policy (no automatic bans)" : "policy " + change.next().name());
        }
        if (!change.policyChanged()) {
            return;
        }
        BoundPolicy previous = change.previous();
        BoundPolicy next = change.next();
        book.invalidateNetworkHealth();
        if (!logged) {
            LOG.debug("A what-if replay's engine judges by {}", next.name());
        } else if (next.isFallback()) {
            LOG.warn("No Warden policy service is available: the built-in fallback policy answers (no automatic bans) "
                    + "until one is installed");
        } else {
            LOG.info("Warden policy in force: {} (was {})", next.name(), previous.name());
        }
        events.post(WardenEvents.TOPIC_POLICY_CHANGED,
                Map.of(WardenEvents.POLICY_NAME, next.name(), WardenEvents.POLICY_PREVIOUS, previous.name()));
    }

    /**
     * Tells {@link EngineConfigurationStatus} which configured policies are not installed, read from the trackers'
     * current state, so a late call after a concurrent change still says what is true now.
     */
    private void reportMissing() {
        Optional<String> policy = policies.missing();
        Optional<String> shadowPolicy = shadow.missing();
        if (policy.isEmpty() && shadowPolicy.isEmpty()) {
            refusals.missing(null, null);
            return;
        }
        List<String> reasons = new ArrayList<>();
        List<String> inForce = new ArrayList<>();
        policy.ifPresent(name -> {
            reasons.add(EngineInsight.POLICY + " " + name + " is configured but not installed");
            BoundPolicy p = policies.current();
            inForce.add(p.isFallback() ? "the built-in fallback policy" : "policy " + p.name());
        });
        shadowPolicy.ifPresent(name -> {
            reasons.add(EngineInsight.SHADOW_POLICY + " " + name + " is configured but not installed");
            inForce.add("no shadow policy");
        });
        refusals.missing(String.join("; ", reasons), String.join(" and ", inForce));
    }
}
