package org.warden.simulator.model;

import java.util.List;

/**
 * A simulation scenario, as read from a JSON file (see SCENARIOS.md for the schema). Validated by
 * {@link ScenarioParser}; every optional field has its default filled in.
 *
 * @param name              short name, used in reports
 * @param description       one line for humans
 * @param seed              the random seed: same seed, same population, same bids, same outcomes
 * @param jobs              jobs to distribute
 * @param biddersPerJob     workers that bid for each job (drawn at random among the present ones)
 * @param verificationRate  probability that the distributor verifies a result (catching an invalid one)
 * @param jobIntervalMs     simulated time between two jobs
 * @param groups            the worker population
 * @param events            mass outages and the like
 */
public record Scenario(String name, String description, long seed, int jobs, int biddersPerJob,
        double verificationRate, long jobIntervalMs, List<Group> groups, List<Event> events) {

    public Scenario {
        groups = List.copyOf(groups);
        events = List.copyOf(events);
    }

    /** This scenario with another job count (the CLI's {@code --jobs}). */
    public Scenario withJobs(int n) {
        return new Scenario(name, description, seed, n, biddersPerJob, verificationRate, jobIntervalMs, groups, events);
    }

    /** This scenario with another seed (the CLI's {@code --seeds}): another population draw, other outcomes. */
    public Scenario withSeed(long s) {
        return new Scenario(name, description, s, jobs, biddersPerJob, verificationRate, jobIntervalMs, groups, events);
    }

    /** Workers at the start and joining later, whitewashers' new identities not counted. */
    public int workerCount() {
        return groups.stream().mapToInt(Group::count).sum();
    }

    /**
     * A group of workers sharing a behaviour.
     *
     * @param name               label (worker ids are {@code name-i})
     * @param count              how many
     * @param behaviour          the hidden behaviour
     * @param successProbability probability a job ends in success (for malicious kinds: that the job "runs");
     *                           with a range, its low end
     * @param speedMs            mean true execution time, ms
     * @param bidAmount          mean bid, base units
     * @param invalidRate        malicious kinds: share of jobs whose result is invalid while attacking
     * @param goodJobs           on-off: jobs behaved before an attack
     * @param badJobs            on-off: jobs attacked before behaving again
     * @param rejoinDelayJobs    whitewasher: jobs between the ban and the new identity's arrival
     * @param joinAtJob          the group arrives at this job (0: present from the start; later: newcomers)
     * @param successProbabilityHigh the high end of the range each worker's probability is drawn from, uniformly;
     *                           equal to {@code successProbability} for a single value
     */
    public record Group(String name, int count, Behaviour behaviour, double successProbability, long speedMs,
            long bidAmount, double invalidRate, int goodJobs, int badJobs, int rejoinDelayJobs, int joinAtJob,
            double successProbabilityHigh) {

        public Group {
            if (!(successProbabilityHigh >= successProbability)) {
                throw new IllegalArgumentException("group " + name + ": successProbability range ["
                        + successProbability + ", " + successProbabilityHigh + "] is empty");
            }
        }

        /** A group whose workers all have the same success probability. */
        public Group(String name, int count, Behaviour behaviour, double successProbability, long speedMs,
                long bidAmount, double invalidRate, int goodJobs, int badJobs, int rejoinDelayJobs, int joinAtJob) {
            this(name, count, behaviour, successProbability, speedMs, bidAmount, invalidRate, goodJobs, badJobs,
                    rejoinDelayJobs, joinAtJob, successProbability);
        }

        /** Whether each worker draws its own success probability from a range. */
        public boolean successRange() {
            return successProbabilityHigh > successProbability;
        }
    }

    /**
     * An event: {@value #OUTAGE}, {@value #DRIFT} or {@value #GROUP_FAILURE} (SCENARIOS.md).
     *
     * @param type               {@code outage}, {@code drift} or {@code group-failure}
     * @param atJob              when it starts, as a job index (simulated time = job index × jobIntervalMs)
     * @param durationJobs       how long it lasts, in jobs; 0 for good (drift and group failure only)
     * @param share              share of the (targeted) workers affected, in (0, 1]
     * @param group              only workers of this group; null for all
     * @param successProbability drift: the targeted workers' success probability while it lasts; NaN otherwise
     */
    public record Event(String type, int atJob, int durationJobs, double share, String group,
            double successProbability) {
        public static final String OUTAGE = "outage";
        public static final String DRIFT = "drift";
        public static final String GROUP_FAILURE = "group-failure";

        /** An outage (the only kind of event before drift and group failure). */
        public Event(String type, int atJob, int durationJobs, double share, String group) {
            this(type, atJob, durationJobs, share, group, Double.NaN);
        }

        /** Whether the event ends by itself (an outage always does; drift and group failure may last for good). */
        public boolean ends() {
            return durationJobs > 0;
        }

        /** The first job after the event; {@link Integer#MAX_VALUE} for an event that lasts for good. */
        public int endJob() {
            return ends() ? (int) Math.min(Integer.MAX_VALUE, (long) atJob + durationJobs) : Integer.MAX_VALUE;
        }

        /** A short label for reports, e.g. {@code outage@6000+1800}, {@code drift(slowpoke)@5000}. */
        public String label() {
            return type + (group == null ? "" : "(" + group + ")") + "@" + atJob + (ends() ? "+" + durationJobs : "");
        }
    }
}
