package org.warden.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.ShadowHook;
import org.warden.engine.core.ShadowMonitor;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.policy.BoundPolicy;

/**
 * The policy run in shadow (see {@link ShadowMonitor}): which one runs, starting and stopping its monitor as DS binds
 * and unbinds it. Apart from {@link WardenEngine}, which only forwards its shadow reference here, so that the rules of
 * a shadow's life (a greedy rebind, a renamed policy, a new configuration) change without touching the component.
 */
final class ShadowBinding {

    /** The engine's log category, as before the shadow had a class of its own: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(WardenEngine.class);

    private final WorkerBook book;
    /** The shadow policy's monitor, or {@code null} when no shadow is bound. */
    private final AtomicReference<ShadowMonitor> shadow = new AtomicReference<>();

    ShadowBinding(WorkerBook book) {
        this.book = book;
    }

    /** Binding a shadow (or another one) starts a new monitor, so its counters start again. */
    void bind(WardenPolicy policy, Map<String, ?> properties) {
        ShadowMonitor monitor = new ShadowMonitor(book, new BoundPolicy(policyName(properties), policy));
        shadow.set(monitor);
        book.setShadow(monitor);
        LOG.info("Warden shadow policy: {} (judges the same statistics, never enforced; see warden:shadow)",
                monitor.shadowPolicyName());
    }

    void unbind(WardenPolicy policy) {
        ShadowMonitor current = shadow.get();
        // greedy rebinding binds the new shadow first: only clear if the one going away is the one running
        if (current != null && current.shadow().policy() == policy && shadow.compareAndSet(current, null)) {
            book.setShadow(ShadowHook.NONE);
            LOG.info("Warden shadow policy {} stopped; no policy runs in shadow", current.shadowPolicyName());
        }
    }

    void updated(WardenPolicy policy, Map<String, ?> properties) {
        ShadowMonitor current = shadow.get();
        if (current != null && current.shadow().policy() == policy
                && !current.shadowPolicyName().equals(policyName(properties))) {
            bind(policy, properties);
        }
    }

    /** A new configuration applies to the shadow's guard as to the enforced policy's. */
    void configure(EngineSettings settings) {
        ShadowMonitor monitor = shadow.get();
        if (monitor != null) {
            monitor.guard().configure(settings);
        }
    }

    Optional<ShadowMonitor.Report> report() {
        ShadowMonitor monitor = shadow.get();
        return monitor == null ? Optional.empty() : Optional.of(monitor.report());
    }

    /** The monitor, or {@code null} when none runs. */
    ShadowMonitor monitor() {
        return shadow.get();
    }

    private static String policyName(Map<String, ?> properties) {
        Object name = properties.get(WardenPolicy.NAME_PROPERTY);
        return name == null ? "(unnamed)" : String.valueOf(name);
    }
}
