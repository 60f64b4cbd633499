package org.warden.engine.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Constants;
import org.warden.api.policy.WardenPolicy;

/**
 * The named policy services a reference of the engine holds (every {@code warden.policy.name}), best first, as OSGi
 * orders services: the highest {@code service.ranking}, then the oldest (lowest {@code service.id}; outside OSGi, the
 * earliest bound). Immutable: a holder replaces it whole, so a reader never sees half a change.
 */
public final class PolicyCandidates {

    /** One policy service: its name, the service, and what orders it among the others. */
    public record Candidate(String name, WardenPolicy policy, int ranking, long order) {
    }

    public static final PolicyCandidates NONE = new PolicyCandidates(List.of());

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt(Candidate::ranking).reversed()
            .thenComparingLong(Candidate::order);

    private final List<Candidate> candidates;

    private PolicyCandidates(List<Candidate> candidates) {
        this.candidates = candidates;
    }

    /**
     * These candidates with {@code policy} added, or its properties replaced if it is here already (a service's
     * properties changed); {@code bindOrder} orders it when its properties carry no {@code service.id}.
     */
    public PolicyCandidates with(WardenPolicy policy, Map<String, ?> properties, long bindOrder) {
        Optional<Candidate> known = candidates.stream().filter(c -> c.policy() == policy).findFirst();
        Object id = properties.get(Constants.SERVICE_ID);
        long order = id instanceof Long l ? l : known.map(Candidate::order).orElse(bindOrder);
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Candidate next = new Candidate(nameOf(properties), policy, ranking instanceof Integer i ? i : 0, order);
        List<Candidate> list = new ArrayList<>(without(policy).candidates);
        list.add(next);
        list.sort(BEST_FIRST);
        return new PolicyCandidates(List.copyOf(list));
    }

    /** These candidates without {@code policy} (the same when it is not here). */
    public PolicyCandidates without(WardenPolicy policy) {
        if (!contains(policy)) {
            return this;
        }
        return new PolicyCandidates(candidates.stream().filter(c -> c.policy() != policy).toList());
    }

    /** Every candidate, best first. */
    public List<Candidate> all() {
        return candidates;
    }

    public boolean contains(WardenPolicy policy) {
        return candidates.stream().anyMatch(c -> c.policy() == policy);
    }

    /** The best-ranked policy of that name (a name may be registered twice), if any. */
    public Optional<Candidate> named(String name) {
        return candidates.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The best-ranked policy, if any. */
    public Optional<Candidate> best() {
        return candidates.stream().findFirst();
    }

    /** The candidate holding {@code policy}, if any. */
    public Optional<Candidate> of(WardenPolicy policy) {
        return candidates.stream().filter(c -> c.policy() == policy).findFirst();
    }

    /** The policy's name: its {@code warden.policy.name}, or "(unnamed)" (the references' target requires one). */
    static String nameOf(Map<String, ?> properties) {
        Object name = properties.get(WardenPolicy.NAME_PROPERTY);
        return name == null ? "(unnamed)" : String.valueOf(name);
    }
}
