package org.warden.demo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.api.WorkerReputation;
import org.warden.simulator.model.Behaviour;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.SimWorker;

/**
 * A job distributor in the shape of the simulator's loop ({@code org.warden.simulator.Simulation}), run against
 * Warden's OSGi services only: on its own thread, at {@code jobsPerSecond}, a random subset of the simulated
 * population bids for each job, the {@link SelectionService} ranks the bids, the best gets the job, and the
 * outcome, penalties for timeouts and failures and malicious reports when verification catches an invalid result
 * go back to Warden; every present worker reports its health every {@link #HEALTH_INTERVAL_MS}.
 *
 * <p>Every call to a Warden service that throws is counted as a failed call and logged (at most once a minute);
 * the loop goes on. The references are static: the engine stays up across policy swaps.
 */
@Component(name = "org.warden.demo", service = DemoDistributor.class, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DemoConfig.class)
public class DemoDistributor {
    private static final Logger LOG = LoggerFactory.getLogger(DemoDistributor.class);
    /** Real time between two health reports of a worker (half the engine's default check interval of 60 s). */
    static final long HEALTH_INTERVAL_MS = 30_000;
    /** The seed's timeout severity and the middle of the scale for failures, as the simulator uses. */
    static final double TIMEOUT_SEVERITY = 0.8;
    static final double FAILURE_SEVERITY = 0.5;
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    @Reference
    private HealthService health;
    @Reference
    private ReputationService reputation;
    @Reference
    private PenaltyService penalties;
    @Reference
    private SelectionService selection;

    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong assigned = new AtomicLong();
    private final AtomicLong unassigned = new AtomicLong();
    private final AtomicLong good = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private volatile String lastFailure;
    private long lastLogNanos;
    private boolean loggedOnce;

    private volatile boolean running;
    private Thread thread;
    private DemoConfig config;
    private int workerCount;
    private int jobsPerSecond;

    public DemoDistributor() {
    }

    /** For tests: the services given directly (the engine implements all four). */
    DemoDistributor(HealthService h, ReputationService r, PenaltyService p, SelectionService s) {
        this.health = h;
        this.reputation = r;
        this.penalties = p;
        this.selection = s;
    }

    @Activate
    void activate(DemoConfig config) {
        this.config = config;
        this.jobsPerSecond = Math.max(1, Math.min(10_000, config.jobsPerSecond()));
        Scenario scenario = scenario(config);
        this.workerCount = scenario.workerCount();
        running = true;
        thread = new Thread(() -> run(scenario), "warden-demo-distributor");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Warden demo distributor started: {} workers, {} jobs/s, seed {}", workerCount, jobsPerSecond,
                config.seed());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                LOG.warn("the demo distributor thread did not stop within 10 s");
            }
        }
        LOG.info("Warden demo distributor stopped after {} jobs ({} failed calls)", jobs.get(), failedCalls.get());
    }

    /** The population: honest, flaky and slow workers, and {@code maliciousShare} of adversaries of five kinds. */
    static Scenario scenario(DemoConfig c) {
        int total = Math.max(1, c.workers());
        double share = Math.max(0, Math.min(1, c.maliciousShare()));
        int bad = (int) Math.round(total * share);
        int fair = total - bad;
        int flaky = fair / 10;
        int slow = fair / 10;
        int honest = fair - flaky - slow;
        List<Scenario.Group> groups = new ArrayList<>();
        add(groups, "honest", honest, Behaviour.HONEST);
        add(groups, "flaky", flaky, Behaviour.FLAKY);
        add(groups, "slow", slow, Behaviour.SLOW);
        Behaviour[] adversaries = {Behaviour.MALICIOUS, Behaviour.ON_OFF, Behaviour.WHITEWASHER,
                Behaviour.CHEAP_BIDDER, Behaviour.HEALTH_SPOOFER};
        for (int i = 0; i < adversaries.length; i++) {
            int n = bad / adversaries.length + (i < bad % adversaries.length ? 1 : 0);
            add(groups, adversaries[i].fileName(), n, adversaries[i]);
        }
        return new Scenario("demo", "the demo distributor's population", c.seed(), Integer.MAX_VALUE,
                Math.max(1, c.biddersPerJob()), Math.max(0, Math.min(1, c.verificationRate())), 1000, groups,
                List.of());
    }

    private static void add(List<Scenario.Group> groups, String name, int count, Behaviour b) {
        if (count > 0) {
            // the simulator's defaults (ScenarioParser) for every behaviour parameter
            groups.add(new Scenario.Group(name, count, b, b.defaultSuccessProbability(), b.defaultSpeedMs(),
                    b == Behaviour.CHEAP_BIDDER ? 30L : 100L, 1.0, 20, 5, 100, 0));
        }
    }

    private void run(Scenario scenario) {
        SplittableRandom root = new SplittableRandom(scenario.seed());
        SplittableRandom bidRandom = root.split();
        SplittableRandom outcomeRandom = root.split();
        SplittableRandom healthRandom = root.split();
        SplittableRandom verifyRandom = root.split();
        Population population = new Population(scenario);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / jobsPerSecond;
        long next = System.nanoTime();
        long nextHealth = 0;
        int job = 0;
        while (running && !Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (now < next) {
                try {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // deactivate: leave the loop
                }
                continue;
            }
            next += periodNanos;
            if (now - next > TimeUnit.SECONDS.toNanos(1)) {
                next = now; // fell behind (a slow call, a suspended VM): no burst to catch up
            }
            try {
                for (SimWorker w : population.advanceTo(job)) {
                    reportHealth(w, healthRandom, job);
                }
                if (now - nextHealth >= 0 || job == 0) {
                    for (SimWorker w : population.present()) {
                        reportHealth(w, healthRandom, job);
                    }
                    nextHealth = now + TimeUnit.MILLISECONDS.toNanos(HEALTH_INTERVAL_MS);
                }
                step(population, job, bidRandom, outcomeRandom, verifyRandom);
            } catch (RuntimeException e) {
                failed(e);
            }
            jobs.incrementAndGet();
            job++;
        }
    }

    /** One job: bids, ranking, assignment, outcome and what the distributor tells Warden. */
    private void step(Population population, int job, SplittableRandom bidRandom, SplittableRandom outcomeRandom,
            SplittableRandom verifyRandom) {
        List<SimWorker> bidders = population.bidders(bidRandom, population.scenario().biddersPerJob());
        List<Bid> bids = new ArrayList<>(bidders.size());
        for (SimWorker w : bidders) {
            bids.add(w.bid(bidRandom));
        }
        String jobId = "demo-job-" + job;
        Optional<RankedBid> top = bids.isEmpty() ? Optional.empty() : selection.select(jobId, bids);
        if (top.isEmpty()) {
            unassigned.incrementAndGet();
            return;
        }
        int chosen = -1;
        for (int i = 0; i < bids.size(); i++) {
            if (bids.get(i).workerId().equals(top.get().bid().workerId())) {
                chosen = i;
                break;
            }
        }
        if (chosen < 0) {
            throw new IllegalStateException("the selection ranked a worker that did not bid: " + top.get().bid().workerId());
        }
        assigned.incrementAndGet();
        SimWorker w = bidders.get(chosen);
        Bid bid = bids.get(chosen);
        JobResult result = w.perform(outcomeRandom, job);
        boolean verified = verifyRandom.nextDouble() < population.scenario().verificationRate();
        if (result.good()) {
            good.incrementAndGet();
        }
        WorkerReputation rep = report(w, bid, result, verified, jobId);
        if (rep != null && rep.banned()) {
            population.banned(w, job);
        }
    }

    private void reportHealth(SimWorker w, SplittableRandom random, int job) {
        HealthMetrics m = w.health(random, job);
        if (m != null) {
            try {
                health.reportHealth(w.id(), m);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    /** As the simulator reports a finished job; returns the worker's reputation afterwards (null if unknown). */
    private WorkerReputation report(SimWorker w, Bid bid, JobResult r, boolean verified, String jobId) {
        String id = w.id();
        Long estimate = bid.estimatedCompletionMs() > 0 ? bid.estimatedCompletionMs() : null;
        if (r.timedOut()) {
            reputation.recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, null, estimate, jobId));
            penalties.applyPenalty(id, PenaltyType.JOB_TIMEOUT, TIMEOUT_SEVERITY, "job timed out", jobId);
        } else if (!r.completed()) {
            reputation.recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, null, estimate, jobId));
            penalties.applyPenalty(id, PenaltyType.JOB_FAILURE, FAILURE_SEVERITY, "job failed", jobId);
        } else if (!r.valid() && verified) {
            reputation.recordOutcome(new JobOutcome(id, false, r.executionTimeMs(), BigInteger.ZERO, 0.0, estimate, jobId));
            return penalties.reportMalicious(id, "result failed verification on " + jobId);
        } else {
            return reputation.recordOutcome(new JobOutcome(id, true, r.executionTimeMs(), bid.amount(),
                    verified ? 1.0 : null, estimate, jobId));
        }
        return reputation.reputation(id).orElse(null);
    }

    private void failed(RuntimeException e) {
        failedCalls.incrementAndGet();
        lastFailure = e.toString();
        long now = System.nanoTime();
        synchronized (this) {
            if (!loggedOnce || now - lastLogNanos >= LOG_EVERY_NANOS) {
                loggedOnce = true;
                lastLogNanos = now;
                LOG.warn("a call to Warden failed ({} failed calls so far; logged at most once a minute)",
                        failedCalls.get(), e);
            }
        }
    }

    /** What the operator sees with warden:demo. */
    public Stats stats() {
        return new Stats(jobs.get(), assigned.get(), unassigned.get(), good.get(), failedCalls.get(), workerCount,
                jobsPerSecond, lastFailure, running);
    }

    /** Counters since the component started. */
    public record Stats(long jobs, long assigned, long unassigned, long good, long failedCalls, int workers,
            int jobsPerSecond, String lastFailure, boolean running) {
    }
}
