package org.warden.engine.policy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.warden.api.policy.WardenPolicy;

/**
 * Holds the policy in force. DS binds a greedy dynamic reference: a better policy is bound before the old one is
 * unbound, so the holder is never empty during a swap; a call reads the holder once and completes with that
 * policy, old or new.
 */
public final class PolicyTracker {

    private final AtomicReference<BoundPolicy> current = new AtomicReference<>(BoundPolicy.NONE);
    /** Told (previous, next) after every change. */
    private final BiConsumer<BoundPolicy, BoundPolicy> onChange;

    public PolicyTracker(BiConsumer<BoundPolicy, BoundPolicy> onChange) {
        this.onChange = onChange;
    }

    public BoundPolicy current() {
        return current.get();
    }

    public void bind(WardenPolicy policy, Map<String, ?> properties) {
        BoundPolicy next = new BoundPolicy(nameOf(properties), policy);
        BoundPolicy previous = current.getAndSet(next);
        onChange.accept(previous, next);
    }

    public void unbind(WardenPolicy policy) {
        BoundPolicy previous = current.get();
        // only clear if the policy going away is the one in force (greedy rebinding binds the new one first)
        if (previous.policy() == policy && current.compareAndSet(previous, BoundPolicy.NONE)) {
            onChange.accept(previous, BoundPolicy.NONE);
        }
    }

    /** Service properties changed (e.g. its name): keep the policy, take the new name. */
    public void updated(WardenPolicy policy, Map<String, ?> properties) {
        BoundPolicy previous = current.get();
        if (previous.policy() == policy) {
            BoundPolicy next = new BoundPolicy(nameOf(properties), policy);
            if (current.compareAndSet(previous, next) && !previous.name().equals(next.name())) {
                onChange.accept(previous, next);
            }
        }
    }

    private static String nameOf(Map<String, ?> properties) {
        Object name = properties.get(WardenPolicy.NAME_PROPERTY);
        return name == null ? "(unnamed)" : String.valueOf(name);
    }
}
