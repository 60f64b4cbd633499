package org.warden.simulator.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.warden.api.Bid;
import org.warden.api.HealthMetrics;

/**
 * One simulated worker with its hidden true behaviour. Not thread-safe; belongs to one {@link Population}.
 * A whitewasher changes {@link #id()} when it rejoins after a ban; everything else keeps its id.
 */
public final class SimWorker {
    /** A job's deadline is this many times the worker's own estimate. */
    public static final int DEADLINE_FACTOR = 3;
    private static final HealthMetrics PERFECT = new HealthMetrics(20, 5, 10, 10, 5, 1000.0, null, 40.0, 0);

    private final Scenario.Group group;
    private final int index;
    /** Its own success probability: the group's value, or its draw from the group's range. */
    private final double baseSuccess;
    /** Drift events that target it, in the order they started; the latest one active at a job wins. */
    private final List<Window> drifts = new ArrayList<>(0);
    /** Group failures that target it: every job in such a window fails while it reports good health. */
    private final List<Window> failures = new ArrayList<>(0);
    private String id;
    private int generation;
    private long jobsDone;
    private int joinedAtJob;
    private int downUntilJob = -1;

    SimWorker(Scenario.Group group, int index) {
        this(group, index, group.successProbability());
    }

    SimWorker(Scenario.Group group, int index, double baseSuccess) {
        this.group = group;
        this.index = index;
        this.baseSuccess = baseSuccess;
        this.id = group.name() + "-" + index;
        this.joinedAtJob = group.joinAtJob();
    }

    public String id() {
        return id;
    }

    /** Its first identity, {@code group-index}: {@link #id()} until it rejoins under a new one. */
    public String firstId() {
        return group.name() + "-" + index;
    }

    public Scenario.Group group() {
        return group;
    }

    public Behaviour behaviour() {
        return group.behaviour();
    }

    /** Whether this identity joined after the start of the run (a later group or a whitewasher's new id). */
    public boolean newcomer() {
        return joinedAtJob > 0;
    }

    public int joinedAtJob() {
        return joinedAtJob;
    }

    /** Whether the worker is down (mass outage) at job {@code job}. */
    public boolean down(int job) {
        return job < downUntilJob;
    }

    void goDown(int untilJob) {
        downUntilJob = Math.max(downUntilJob, untilJob);
    }

    /** A drift: from {@code fromJob} until {@code untilJob} (exclusive) its success probability is {@code p}. */
    void drift(int fromJob, int untilJob, double p) {
        drifts.add(new Window(fromJob, untilJob, p));
    }

    /** A group failure: from {@code fromJob} until {@code untilJob} (exclusive) every job it gets fails. */
    void fail(int fromJob, int untilJob) {
        failures.add(new Window(fromJob, untilJob, 0));
    }

    /** Whether it fails every job at {@code job} (its group's failure), while reporting good health. */
    public boolean failing(int job) {
        for (Window f : failures) {
            if (f.contains(job)) {
                return true;
            }
        }
        return false;
    }

    /** Its true success probability at {@code job}: its own, or the one of the latest drift active then. */
    public double successProbability(int job) {
        for (int i = drifts.size() - 1; i >= 0; i--) {
            Window d = drifts.get(i);
            if (d.contains(job)) {
                return d.value;
            }
        }
        return baseSuccess;
    }

    /** A whitewasher's new identity. */
    void rejoin(int job) {
        generation++;
        id = group.name() + "-" + index + "-r" + generation;
        joinedAtJob = job;
        jobsDone = 0;
    }

    /** What it claims a job will take: the truth, except for spoofers and cheap bidders, who claim to be 3x faster. */
    public long estimateMs() {
        return switch (group.behaviour()) {
            case HEALTH_SPOOFER, CHEAP_BIDDER -> Math.max(1, group.speedMs() / 3);
            default -> group.speedMs();
        };
    }

    public Bid bid(SplittableRandom random) {
        long amount = Math.round(group.bidAmount() * (0.8 + 0.4 * random.nextDouble()));
        return new Bid(id, BigInteger.valueOf(amount), estimateMs());
    }

    /** Whether the worker returns invalid results now (on-off attackers alternate). */
    public boolean attacking() {
        return switch (group.behaviour()) {
            case MALICIOUS, WHITEWASHER -> true;
            case ON_OFF -> jobsDone % (group.goodJobs() + group.badJobs()) >= group.goodJobs();
            default -> false;
        };
    }

    /** Runs a job: draws the hidden outcome. */
    public JobResult perform(SplittableRandom random, int job) {
        long deadline = DEADLINE_FACTOR * estimateMs();
        if (down(job)) {
            random.nextDouble(); // keep the stream in step whatever happens
            random.nextDouble();
            random.nextDouble();
            return new JobResult(true, false, false, deadline);
        }
        boolean attack = attacking();
        jobsDone++;
        long exec = Math.round(group.speedMs() * (0.5 + random.nextDouble()));
        boolean success = random.nextDouble() < successProbability(job);
        boolean invalid = attack && random.nextDouble() < group.invalidRate();
        if (exec > deadline) {
            return new JobResult(true, false, false, deadline);
        }
        if (failing(job)) {
            return new JobResult(false, false, false, exec); // draws made as usual: the streams stay in step
        }
        return new JobResult(false, success, success && !invalid, exec);
    }

    /**
     * The true probability that a job given now ends well: what the oracle knows. Accounts for outages, group
     * failures, drift, timeouts and, for on-off attackers, the current phase.
     */
    public double reliability(int job) {
        if (down(job) || failing(job)) {
            return 0;
        }
        double ratio = (double) (DEADLINE_FACTOR * estimateMs()) / group.speedMs();
        double inTime = Math.max(0, Math.min(1, ratio - 0.5));
        double valid = attacking() ? 1 - group.invalidRate() : 1;
        return inTime * successProbability(job) * valid;
    }

    /** The health report it sends now; {@code null} when it is down and sends none. Spoofers claim perfect health. */
    public HealthMetrics health(SplittableRandom random, int job) {
        if (down(job)) {
            return null;
        }
        Behaviour b = group.behaviour();
        if (b == Behaviour.HEALTH_SPOOFER) {
            return PERFECT;
        }
        double load = random.nextDouble();
        long response = Math.round(group.speedMs() / 10.0 * (0.5 + random.nextDouble()));
        double cpu = b == Behaviour.SLOW ? 85 + 10 * load : 30 + 40 * load;
        double mem = 40 + 20 * random.nextDouble();
        double disk = 30 + 20 * random.nextDouble();
        long latency = 20 + random.nextInt(40);
        long errors = b == Behaviour.FLAKY ? random.nextInt(6) : 0;
        return new HealthMetrics(response, cpu, mem, disk, latency, 100.0, null, 55.0, errors);
    }

    /** Jobs [from, until) and a value (a drift's probability). */
    private record Window(int from, int until, double value) {
        boolean contains(int job) {
            return job >= from && job < until;
        }
    }
}
