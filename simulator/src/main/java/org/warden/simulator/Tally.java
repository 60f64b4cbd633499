package org.warden.simulator;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.warden.simulator.distributor.DistributorStep;
import org.warden.simulator.model.Behaviour;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.SimWorker;

/**
 * The counts of one run, kept while the loop goes, and the figures made from them at the end. Which jobs ended well
 * is kept per job (a bit each), so that any window (halves, last 10 %, events) is counted exactly afterwards.
 */
final class Tally implements DistributorStep.Listener {
    private final Scenario scenario;
    private final int jobs;
    private final BitSet good;
    private final Map<String, Identity> identities = new HashMap<>();
    private long unassigned;
    private long unassignedWithHonestBidder;
    private long lost;
    private long honestNewcomerJobs;

    Tally(Scenario scenario) {
        this.scenario = scenario;
        this.jobs = scenario.jobs();
        this.good = new BitSet(jobs);
    }

    /** No bidder was eligible for {@code job}; counts too whether an honest worker that was up bid for it. */
    @Override
    public void unassigned(List<SimWorker> bidders, int job) {
        unassigned++;
        for (SimWorker w : bidders) {
            if (!w.behaviour().adversarial() && !w.down(job)) {
                unassignedWithHonestBidder++;
                return;
            }
        }
    }

    /** The identity {@code w} has now (a whitewasher's changes when it rejoins). */
    Identity identity(SimWorker w) {
        return identities.computeIfAbsent(w.id(), id -> new Identity(w.behaviour()));
    }

    @Override
    public void performed(SimWorker worker, JobResult result, int job) {
        outcome(job, worker, identity(worker), result);
    }

    /** The identity counts as banned from now on: its later bad jobs are no longer bad jobs before its ban. */
    @Override
    public void banned(SimWorker worker, int job) {
        identity(worker).banned = true;
    }

    void outcome(int job, SimWorker w, Identity identity, JobResult result) {
        if (result.good()) {
            good.set(job);
        } else if (w.behaviour().adversarial()) {
            lost++;
            if (!identity.banned) {
                identity.badBeforeBan++;
            }
        }
        if (!w.behaviour().adversarial() && w.newcomer()) {
            honestNewcomerJobs++;
        }
    }

    /** Success rate of jobs [from, to) clipped to the run; NaN if nothing is left. */
    double success(long from, long to) {
        int a = (int) Math.max(0, Math.min(from, jobs));
        int b = (int) Math.max(0, Math.min(to, jobs));
        return b > a ? (double) good.get(a, b).cardinality() / (b - a) : Double.NaN;
    }

    /**
     * The figures. {@code excluded} tells whether an identity is not eligible at the end (always false for the
     * baselines); the yardstick (gap closed, share of the oracle) is filled in later, by {@link Experiment}.
     */
    PolicyResult result(String policy, Population population, Predicate<String> excluded, double seconds) {
        // identities that never got a job still count (adversaries that never got a job did no harm)
        for (SimWorker w : population.all()) {
            identity(w);
        }
        long[] adversaryBad = identities.values().stream().filter(i -> i.behaviour.adversarial())
                .mapToLong(i -> i.badBeforeBan).sorted().toArray();
        long adversariesBanned = count(i -> i.behaviour.adversarial() && i.banned);
        long banned = count(i -> i.banned);
        long honest = count(i -> !i.behaviour.adversarial());
        long honestBanned = count(i -> !i.behaviour.adversarial() && i.banned);
        long excludedCount = identities.entrySet().stream()
                .filter(e -> e.getValue().behaviour.adversarial() && excluded.test(e.getKey())).count();
        List<Double> events = new ArrayList<>();
        for (Scenario.Event e : scenario.events()) {
            events.add(success(e.atJob(), e.endJob()));
        }
        List<Double> perThousand = new ArrayList<>();
        for (int b = 0; b * 1000 < jobs; b++) {
            perThousand.add(success(b * 1000L, b * 1000L + 1000));
        }
        return new PolicyResult(policy, scenario.seed(), jobs, (double) good.cardinality() / jobs, Double.NaN,
                Double.NaN, success(0, jobs / 2), success(jobs - Math.max(1, jobs / 10), jobs), events, unassigned,
                unassignedWithHonestBidder, lost, (double) lost / jobs, median(adversaryBad),
                adversaryBad.length == 0 ? 0 : adversaryBad[adversaryBad.length - 1], adversariesBanned,
                adversaryBad.length, excludedCount, banned, banned == 0 ? Double.NaN : (double) adversariesBanned / banned,
                honest == 0 ? 0 : (double) honestBanned / honest, (double) honestNewcomerJobs / jobs, perThousand,
                seconds);
    }

    private long count(Predicate<Identity> p) {
        return identities.values().stream().filter(p).count();
    }

    static double median(long[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0;
    }

    /** One worker identity as the distributor knew it. */
    static final class Identity {
        final Behaviour behaviour;
        long badBeforeBan;
        boolean banned;

        Identity(Behaviour behaviour) {
            this.behaviour = behaviour;
        }
    }
}
