package org.warden.simulator.distributor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.WorkerReputation;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.SimWorker;

/**
 * One job of a distributor in the shape of the seed's JobDistributor, over Warden's four service interfaces only;
 * written once for the simulator ({@code org.warden.simulator.Simulation}) and the demo distributor in Karaf
 * ({@code org.warden.demo.DemoDistributor}, which embeds this package). A step: the workers that joined report their
 * health, and every present worker when the caller says a health round is due; a random subset of the present
 * workers bids; the {@code SelectionService} ranks the bids (or, for the simulator's baselines, a {@link Chooser}
 * picks one without Warden); the chosen worker performs on its hidden behaviour; the outcome, a penalty for a timeout
 * or a failure, and a malicious report when verification catches an invalid result go to Warden; a banned
 * whitewasher leaves to come back under a new id.
 *
 * <p>What differs between the two callers stays with them: the clock that makes a health round due (simulated
 * time, wall time), the pace, what is counted ({@link Listener}), and what a failed health report does.
 *
 * <p>Not thread-safe, like the {@link Population} it drives: one thread runs the steps of a run.
 */
public final class DistributorStep {
    /** The seed's timeout severity (the default policy's {@code timeoutPenaltySeverity}). */
    public static final double TIMEOUT_SEVERITY = 0.8;
    /** The middle of the scale, what the default policy uses for penalty types the seed gives no severity for. */
    public static final double FAILURE_SEVERITY = 0.5;

    private final Population population;
    private final Streams streams;
    private final String jobIdPrefix;
    /** Null for a baseline, which tells Warden nothing. */
    private final WardenServices warden;
    /** Null when Warden's selection chooses. */
    private final Chooser chooser;
    private final Listener listener;

    private DistributorStep(Population population, Streams streams, String jobIdPrefix, WardenServices warden,
            Chooser chooser, Listener listener) {
        this.population = Objects.requireNonNull(population, "population");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.jobIdPrefix = Objects.requireNonNull(jobIdPrefix, "jobIdPrefix");
        this.warden = warden;
        this.chooser = chooser;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A distributor that asks Warden to rank the bids and tells Warden everything. */
    public static DistributorStep withWarden(Population population, Streams streams, String jobIdPrefix,
            WardenServices warden, Listener listener) {
        return new DistributorStep(population, streams, jobIdPrefix, Objects.requireNonNull(warden, "warden"), null,
                listener);
    }

    /** A distributor without Warden (the simulator's baselines): {@code chooser} picks, nothing is reported. */
    public static DistributorStep withoutWarden(Population population, Streams streams, String jobIdPrefix,
            Chooser chooser, Listener listener) {
        return new DistributorStep(population, streams, jobIdPrefix, null, Objects.requireNonNull(chooser, "chooser"),
                listener);
    }

    /**
     * Runs job {@code job}: the population moves to it, then health, bids, choice, the job itself, and Warden told.
     * A call to Warden that throws ends the step with that exception (after the health reports, which go to
     * {@link Listener#healthReportFailed}).
     *
     * @param healthRound whether every present worker reports its health now (the caller keeps the interval)
     */
    public void run(int job, boolean healthRound) {
        List<SimWorker> joined = population.advanceTo(job);
        if (warden != null) {
            for (SimWorker w : joined) {
                reportHealth(w, job);
            }
            if (healthRound) {
                for (SimWorker w : population.present()) {
                    reportHealth(w, job);
                }
            }
        }
        List<SimWorker> bidders = population.bidders(streams.bids(), population.scenario().biddersPerJob());
        List<Bid> bids = new ArrayList<>(bidders.size());
        for (SimWorker w : bidders) {
            bids.add(w.bid(streams.bids()));
        }
        String jobId = jobIdPrefix + job;
        int chosen = bids.isEmpty() ? -1
                : chooser == null ? selected(jobId, bids) : chooser.choose(bids, bidders, job);
        if (chosen < 0) {
            listener.unassigned(bidders, job);
            return;
        }
        SimWorker w = bidders.get(chosen);
        JobResult result = w.perform(streams.outcomes(), job);
        // drawn for every job assigned, reported or not, so every strategy of a seed sees the same draws
        boolean verified = streams.verification().nextDouble() < population.scenario().verificationRate();
        listener.performed(w, result, job);
        if (warden != null && report(w, bids.get(chosen), result, verified, jobId)) {
            listener.banned(w, job); // before a whitewasher takes its next id
            population.banned(w, job);
        }
    }

    /** The index of the bid Warden's selection puts first, or -1 if no bidder is eligible. */
    private int selected(String jobId, List<Bid> bids) {
        Optional<RankedBid> top = warden.selection().select(jobId, bids);
        if (top.isEmpty()) {
            return -1;
        }
        String id = top.get().bid().workerId();
        for (int i = 0; i < bids.size(); i++) {
            if (bids.get(i).workerId().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("the selection ranked a worker that did not bid: " + id);
    }

    private void reportHealth(SimWorker w, int job) {
        HealthMetrics m = w.health(streams.health(), job);
        if (m != null) {
            try {
                warden.health().reportHealth(w.id(), m);
            } catch (RuntimeException e) {
                listener.healthReportFailed(w, e);
            }
        }
    }

    /** What the distributor tells Warden about a finished job; returns whether the worker is banned afterwards. */
    private boolean report(SimWorker w, Bid bid, JobResult r, boolean verified, String jobId) {
        String id = w.id();
        Long estimate = bid.estimatedCompletionMs() > 0 ? bid.estimatedCompletionMs() : null;
        if (r.timedOut()) {
            recordFailure(id, r, null, estimate, jobId);
            warden.penalties().applyPenalty(id, PenaltyType.JOB_TIMEOUT, TIMEOUT_SEVERITY, "job timed out", jobId);
        } else if (!r.completed()) {
            recordFailure(id, r, null, estimate, jobId);
            warden.penalties().applyPenalty(id, PenaltyType.JOB_FAILURE, FAILURE_SEVERITY, "job failed", jobId);
        } else if (!r.valid() && verified) {
            recordFailure(id, r, 0.0, estimate, jobId);
            return banned(warden.penalties().reportMalicious(id, "result failed verification on " + jobId));
        } else {
            // an unverified invalid result passes as a success: the distributor cannot tell
            warden.reputation().recordOutcome(new JobOutcome(id, true, r.executionTimeMs(), bid.amount(),
                    verified ? 1.0 : null, estimate, jobId));
        }
        // read after every branch alike (a penalty may have banned the worker); the simulator's runs rest on these calls
        return banned(warden.reputation().reputation(id).orElse(null));
    }

    private void recordFailure(String id, JobResult r, Double quality, Long estimate, String jobId) {
        warden.reputation().recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, quality,
                estimate, jobId));
    }

    /** A worker Warden no longer knows (removed meanwhile by an operator's import) is not banned. */
    private static boolean banned(WorkerReputation reputation) {
        return reputation != null && reputation.banned();
    }

    /** Picks one of the bids without Warden (the simulator's baselines). */
    @FunctionalInterface
    public interface Chooser {
        /** The index of the chosen bid in {@code bids} (its bidder at the same index of {@code bidders}); -1 none. */
        int choose(List<Bid> bids, List<SimWorker> bidders, int job);
    }

    /** What the caller counts of a step. Called on the step's thread. */
    public interface Listener {
        /** No bid was taken for {@code job}: nobody bid, or no bidder was eligible. */
        void unassigned(List<SimWorker> bidders, int job);

        /** {@code worker} did {@code job} with {@code result}; called before Warden hears of it. */
        void performed(SimWorker worker, JobResult result, int job);

        /** Warden's record says {@code worker} is banned after {@code job}; called while it still has that id. */
        default void banned(SimWorker worker, int job) {
        }

        /** A health report Warden threw on; by default the step ends with the exception. */
        default void healthReportFailed(SimWorker worker, RuntimeException e) {
            throw e;
        }
    }

    /**
     * The random streams a step draws from. Split from one root in this order (a seed gives one run); the caller
     * may split streams of its own after them.
     */
    public record Streams(SplittableRandom bids, SplittableRandom outcomes, SplittableRandom health,
            SplittableRandom verification) {

        public static Streams split(SplittableRandom root) {
            SplittableRandom bids = root.split();
            SplittableRandom outcomes = root.split();
            SplittableRandom health = root.split();
            SplittableRandom verification = root.split();
            return new Streams(bids, outcomes, health, verification);
        }
    }
}
