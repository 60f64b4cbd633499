package org.warden.simulator;

import java.util.List;
import java.util.NoSuchElementException;

import org.warden.simulator.model.Scenario;

/**
 * What {@link Experiment#run} found on one scenario.
 *
 * @param scenario  the scenario as run (job count applied; its seed is the file's, each run used one of {@code seeds})
 * @param seeds     the seeds, in order
 * @param requested the policies asked for, in order (the ones a report shows)
 * @param summaries every policy run (requested, then random and oracle if they were not), over all seeds
 * @param runs      per seed, in the order of {@code seeds}: every policy's figures on that seed
 * @param seconds   wall-clock time of the whole experiment
 */
public record ExperimentResult(Scenario scenario, List<Long> seeds, List<Strategy> requested,
        List<PolicySummary> summaries, List<SeedRuns> runs, double seconds) {

    public ExperimentResult {
        seeds = List.copyOf(seeds);
        requested = List.copyOf(requested);
        summaries = List.copyOf(summaries);
        runs = List.copyOf(runs);
    }

    /** The summary of {@code strategy} (any requested policy, random or oracle). */
    public PolicySummary summary(Strategy strategy) {
        return summaries.stream().filter(s -> s.policy().equals(strategy.cliName())).findFirst()
                .orElseThrow(() -> new NoSuchElementException(strategy.cliName() + " was not run"));
    }

    /** The summaries of the requested policies, in the order asked. */
    public List<PolicySummary> requestedSummaries() {
        return requested.stream().map(this::summary).toList();
    }

    /**
     * Every policy's figures on one seed.
     *
     * @param seed    the seed
     * @param results one per policy, in the order of {@link #summaries}
     */
    public record SeedRuns(long seed, List<PolicyResult> results) {
        public SeedRuns {
            results = List.copyOf(results);
        }
    }
}
