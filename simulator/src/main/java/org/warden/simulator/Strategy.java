package org.warden.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.warden.api.policy.WardenPolicy;
import org.warden.policy.bayesian.BayesianPolicy;
import org.warden.policy.bayesian.BayesianPolicySettings;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;
import org.warden.policy.strict.StrictPolicy;
import org.warden.policy.strict.StrictPolicySettings;

/** The policies and baselines the simulator compares, by their command-line names. */
public enum Strategy {
    DEFAULT("default"), STRICT("strict"), BAYESIAN("bayesian"),
    /** Baseline: a random bidder; no Warden. */
    RANDOM("random"),
    /** Baseline: the lowest bid (ties: the first bidder); no Warden. */
    LOWEST_BID("lowest-bid"),
    /** Baseline: the bidder with the highest true reliability right now (knows the hidden behaviour); no Warden. */
    ORACLE("oracle");

    public static final List<Strategy> ALL = List.of(values());
    private final String cliName;

    Strategy(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the strategy is a Warden policy run in the engine (the others are baselines of the loop). */
    public boolean warden() {
        return this == DEFAULT || this == STRICT || this == BAYESIAN;
    }

    /** A new instance of the Warden policy with its shipped settings; only for {@link #warden()} strategies. */
    public WardenPolicy newPolicy() {
        return switch (this) {
            case DEFAULT -> new DefaultPolicy(DefaultPolicySettings.SEED);
            case STRICT -> new StrictPolicy(StrictPolicySettings.DEFAULTS);
            case BAYESIAN -> new BayesianPolicy(BayesianPolicySettings.DEFAULTS);
            default -> throw new IllegalStateException(cliName + " is a baseline, not a Warden policy");
        };
    }

    public Map<String, Object> policyProperties() {
        return Map.of(WardenPolicy.NAME_PROPERTY, cliName);
    }

    public static Strategy parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Strategy s : values()) {
            if (s.cliName.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown policy '" + name + "'; known: default, strict, bayesian, random, "
                + "lowest-bid, oracle");
    }
}
