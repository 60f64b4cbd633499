package org.warden.simulator.model;

import java.math.BigInteger;
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
    private String id;
    private int generation;
    private long jobsDone;
    private int joinedAtJob;
    private int downUntilJob = -1;

    SimWorker(Scenario.Group group, int index) {
        this.group = group;
        this.index = index;
        this.id = group.name() + "-" + index;
        this.joinedAtJob = group.joinAtJob();
    }

    public String id() {
        return id;
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
        boolean success = random.nextDouble() < group.successProbability();
        boolean invalid = attack && random.nextDouble() < group.invalidRate();
        if (exec > deadline) {
            return new JobResult(true, false, false, deadline);
        }
        return new JobResult(false, success, success && !invalid, exec);
    }

    /**
     * The true probability that a job given now ends well: what the oracle knows. Accounts for outages,
     * timeouts and, for on-off attackers, the current phase.
     */
    public double reliability(int job) {
        if (down(job)) {
            return 0;
        }
        double ratio = (double) (DEADLINE_FACTOR * estimateMs()) / group.speedMs();
        double inTime = Math.max(0, Math.min(1, ratio - 0.5));
        double valid = attacking() ? 1 - group.invalidRate() : 1;
        return inTime * group.successProbability() * valid;
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
}
