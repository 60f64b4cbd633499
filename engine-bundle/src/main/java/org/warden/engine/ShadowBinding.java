package org.warden.engine;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.ShadowHook;
import org.warden.engine.core.ShadowMonitor;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.PolicyCandidates;

/**
 * The policy run in shadow (see {@link ShadowMonitor}): the installed policy named by the engine's {@code shadowPolicy}
 * setting, none when it is empty or names no installed policy (reported as missing until it is installed). DS binds
 * every named policy to the shadow reference; this class picks, starting and stopping the monitor. Apart from
 * {@link WardenEngine}, which only forwards its shadow reference here, so that the rules of a shadow's life (a policy
 * installed or removed, renamed, a new configuration) change without touching the component. A new shadow (or the
 * same one again after a pause) starts a new monitor, so its counters start again.
 *
 * <p>The choice is made under this object's lock, which guards only its own state: no policy is called while holding
 * it (a monitor calls its policy only when the engine judges, never when it is created).
 */
final class ShadowBinding {

    /** The engine's log category, as before the shadow had a class of its own: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(WardenEngine.class);

    private final WorkerBook book;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private PolicyCandidates candidates = PolicyCandidates.NONE;
    /** The configured name, empty for none; guarded by {@link #lock}. */
    private String configured = "";
    /** Orders candidates bound without a service.id (plain Java); guarded by {@link #lock}. */
    private long binds;
    /** The shadow policy's monitor, or {@code null} when no shadow runs; written under {@link #lock}. */
    private volatile ShadowMonitor shadow;

    ShadowBinding(WorkerBook book) {
        this.book = book;
    }

    /** The engine's {@code shadowPolicy} setting changed (already validated): empty for none, else a name. */
    void useName(String name) {
        synchronized (lock) {
            configured = name;
            choose(true);
        }
    }

    void bind(WardenPolicy policy, Map<String, ?> properties) {
        synchronized (lock) {
            candidates = candidates.with(policy, properties, binds++);
            choose(false);
        }
    }

    void unbind(WardenPolicy policy) {
        synchronized (lock) {
            candidates = candidates.without(policy);
            choose(false);
        }
    }

    void updated(WardenPolicy policy, Map<String, ?> properties) {
        synchronized (lock) {
            if (candidates.contains(policy)) {
                candidates = candidates.with(policy, properties, binds++);
                choose(false);
            }
        }
    }

    /** The configured name (empty: none). */
    String configured() {
        synchronized (lock) {
            return configured;
        }
    }

    /** The configured name while no policy of that name is installed. */
    Optional<String> missing() {
        synchronized (lock) {
            return !configured.isEmpty() && candidates.named(configured).isEmpty() ? Optional.of(configured)
                    : Optional.empty();
        }
    }

    /**
     * Starts, keeps or stops the monitor for the configured name; under the lock. A name configured but not installed
     * is logged when it is configured or when its policy goes away, not at every other policy's arrival.
     */
    private void choose(boolean configuring) {
        ShadowMonitor current = shadow;
        Optional<PolicyCandidates.Candidate> chosen = configured.isEmpty() ? Optional.empty()
                : candidates.named(configured);
        if (chosen.isPresent()) {
            PolicyCandidates.Candidate c = chosen.get();
            if (current != null && current.shadow().policy() == c.policy()
                    && current.shadowPolicyName().equals(c.name())) {
                return; // the same shadow: its counters go on
            }
            ShadowMonitor monitor = new ShadowMonitor(book, new BoundPolicy(c.name(), c.policy()));
            shadow = monitor;
            book.setShadow(monitor);
            LOG.info("Warden shadow policy: {} (judges the same statistics, never enforced; see warden:shadow)",
                    monitor.shadowPolicyName());
        } else if (current != null) {
            shadow = null;
            book.setShadow(ShadowHook.NONE);
            LOG.info("Warden shadow policy {} stopped; no policy runs in shadow{}", current.shadowPolicyName(),
                    configured.isEmpty() ? "" : " (" + configured + " is configured but not installed)");
        } else if (configuring && !configured.isEmpty()) {
            LOG.warn("Warden shadow policy {} is configured but not installed: no policy runs in shadow until it is",
                    configured);
        }
    }

    /** A new configuration applies to the shadow's guard as to the enforced policy's. */
    void configure(EngineSettings settings) {
        ShadowMonitor monitor = shadow;
        if (monitor != null) {
            monitor.guard().configure(settings);
        }
    }

    Optional<ShadowMonitor.Report> report() {
        ShadowMonitor monitor = shadow;
        return monitor == null ? Optional.empty() : Optional.of(monitor.report());
    }

    /** The monitor, or {@code null} when none runs. */
    ShadowMonitor monitor() {
        return shadow;
    }
}
