package org.warden.engine.policy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.warden.api.policy.WardenPolicy;

/**
 * Holds the policy in force, chosen among every named policy service the engine's reference holds (DS binds them all:
 * multiple, dynamic) by the engine's {@code policy} setting:
 * <ul>
 * <li>empty (automatic): the highest-ranked policy;</li>
 * <li>a name that is installed: that policy;</li>
 * <li>a name that is not installed (yet, or any more): the policy in force before stays while it is installed (an
 * operator who mistyped or has not installed a policy yet keeps what was judging), else the highest-ranked; the
 * name is reported as missing until it is installed, and then it takes over.</li>
 * </ul>
 * No policy at all: the fallback ({@link BoundPolicy#NONE}). The choice is published in one reference, replaced
 * whole: a call reads it once and completes with that policy, old or new, so a swap fails no call. Only this class's
 * own state is read under its lock; no policy, and no listener, is ever called while holding it.
 */
public final class PolicyTracker {

    /** What changed: the policy in force before and after, and the configured name that is not installed (or null). */
    public record Change(BoundPolicy previous, BoundPolicy next, String missing) {
        public boolean policyChanged() {
            return previous != next;
        }
    }

    private final AtomicReference<BoundPolicy> current = new AtomicReference<>(BoundPolicy.NONE);
    /** Told after every change of the policy in force or of the missing name, outside the lock. */
    private final Consumer<Change> onChange;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private PolicyCandidates candidates = PolicyCandidates.NONE;
    /** The configured name, empty for automatic; guarded by {@link #lock}. */
    private String configured = "";
    /** The configured name while it is not installed, else null; guarded by {@link #lock}. */
    private String missing;
    /** Orders candidates bound without a service.id (plain Java); guarded by {@link #lock}. */
    private long binds;

    public PolicyTracker(Consumer<Change> onChange) {
        this.onChange = onChange;
    }

    public BoundPolicy current() {
        return current.get();
    }

    /** Every named policy bound now, best first (read-only: for a what-if replay to find one by name). */
    public PolicyCandidates candidates() {
        synchronized (lock) {
            return candidates;
        }
    }

    /** The configured name (empty: automatic). */
    public String configured() {
        synchronized (lock) {
            return configured;
        }
    }

    /** The configured name while no policy of that name is installed. */
    public Optional<String> missing() {
        synchronized (lock) {
            return Optional.ofNullable(missing);
        }
    }

    /** The engine's {@code policy} setting changed (already validated): empty for automatic, else a name. */
    public void configure(String name) {
        Change change;
        synchronized (lock) {
            configured = name;
            change = choose();
        }
        tell(change);
    }

    public void bind(WardenPolicy policy, Map<String, ?> properties) {
        Change change;
        synchronized (lock) {
            candidates = candidates.with(policy, properties, binds++);
            change = choose();
        }
        tell(change);
    }

    public void unbind(WardenPolicy policy) {
        Change change;
        synchronized (lock) {
            candidates = candidates.without(policy);
            change = choose();
        }
        tell(change);
    }

    /** Service properties changed (its name, its ranking): the choice is made again. */
    public void updated(WardenPolicy policy, Map<String, ?> properties) {
        Change change;
        synchronized (lock) {
            if (!candidates.contains(policy)) {
                return;
            }
            candidates = candidates.with(policy, properties, binds++);
            change = choose();
        }
        tell(change);
    }

    /** Chooses and publishes the policy in force; under the lock. Null when nothing changed. */
    private Change choose() {
        BoundPolicy previous = current.get();
        Optional<PolicyCandidates.Candidate> chosen;
        String nowMissing = null;
        if (configured.isEmpty()) {
            chosen = candidates.best();
        } else {
            chosen = candidates.named(configured);
            if (chosen.isEmpty()) {
                nowMissing = configured;
                chosen = candidates.of(previous.policy()).or(candidates::best);
            }
        }
        BoundPolicy next = chosen.map(c -> bound(previous, c)).orElse(BoundPolicy.NONE);
        boolean missingChanged = !java.util.Objects.equals(missing, nowMissing);
        missing = nowMissing;
        if (next == previous && !missingChanged) {
            return null;
        }
        current.set(next);
        return new Change(previous, next, nowMissing);
    }

    /** The same {@link BoundPolicy} when neither the service nor its name changed (caches key on it). */
    private static BoundPolicy bound(BoundPolicy previous, PolicyCandidates.Candidate c) {
        return previous.policy() == c.policy() && previous.name().equals(c.name()) ? previous
                : new BoundPolicy(c.name(), c.policy());
    }

    private void tell(Change change) {
        if (change != null) {
            onChange.accept(change);
        }
    }
}
