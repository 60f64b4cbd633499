package org.warden.engine.whatif;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.framework.Constants;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfRequest;
import org.warden.api.whatif.WhatIfService;
import org.warden.engine.WardenEngine;
import org.warden.engine.policy.BoundPolicy;
import org.warden.engine.policy.PolicyCandidates;

/**
 * The {@link WhatIfService} of one engine (registered by it while it is active, as its {@link
 * org.warden.engine.EngineInsight} is): the candidate is an installed policy found by name among those the engine has
 * bound, the baseline the policy in force, the history the engine's journal's, from {@code since} ago by the engine's
 * clock, and the live engine is read at the end for the baseline's mismatches. Nothing of the live engine changes.
 */
public final class EngineWhatIf implements WhatIfService {

    private final WardenEngine engine;
    private final Supplier<List<PolicyCandidates.Candidate>> installed;

    /** @param installed every named policy the engine has bound now, in force or not, best first */
    public EngineWhatIf(WardenEngine engine, Supplier<List<PolicyCandidates.Candidate>> installed) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.installed = Objects.requireNonNull(installed, "installed");
    }

    @Override
    public WhatIfReport whatIf(WhatIfRequest request, WhatIfProgress progress) {
        Objects.requireNonNull(request, "request");
        List<PolicyCandidates.Candidate> policies = installed.get();
        PolicyCandidates.Candidate candidate = policies.stream().filter(c -> c.name().equals(request.policy()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("policy " + request.policy()
                        + " is not installed (installed: " + names(policies) + ")"));
        BoundPolicy inForce = engine.policy();
        Instant since = engine.book().clock().instant().minus(request.since());
        WhatIfRunner runner = new WhatIfRunner(engine.book().settings());
        return runner.run(engine.book().journal().history(), since, side(inForce, policies),
                new WhatIfRunner.Side(candidate.name(), candidate.policy(), properties(candidate)),
                request.overrides(), engine, progress);
    }

    /** The policy in force as it is bound (the fallback, with no policy service, when none is installed). */
    private static WhatIfRunner.Side side(BoundPolicy inForce, List<PolicyCandidates.Candidate> installed) {
        Optional<PolicyCandidates.Candidate> bound = installed.stream().filter(c -> c.policy() == inForce.policy())
                .findFirst();
        return new WhatIfRunner.Side(inForce.name(), inForce.policy(),
                bound.map(EngineWhatIf::properties).orElse(Map.of()));
    }

    /** What orders a policy among others, as the engine bound it (its name is set by the replay). */
    private static Map<String, Object> properties(PolicyCandidates.Candidate c) {
        return Map.of(WardenPolicy.NAME_PROPERTY, c.name(), Constants.SERVICE_RANKING, c.ranking());
    }

    private static String names(List<PolicyCandidates.Candidate> installed) {
        return installed.isEmpty() ? "none"
                : installed.stream().map(PolicyCandidates.Candidate::name).distinct().sorted()
                        .collect(Collectors.joining(", "));
    }
}
