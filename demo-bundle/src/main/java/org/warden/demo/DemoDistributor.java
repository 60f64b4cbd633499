package org.warden.demo;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.simulator.distributor.DistributorStep;
import org.warden.simulator.distributor.WardenServices;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.Scenario;

/**
 * A job distributor run against Warden's OSGi services only: on its own thread, at {@code jobsPerSecond}, it plays
 * a scenario's population (the one shipped in the bundle, or the file the {@code scenario} setting names) through
 * the simulator's {@link DistributorStep}, the same per-job step as the simulator's: health reports, bids, the
 * {@link SelectionService}'s choice, the job, and its outcome, penalties and malicious reports told to Warden. Every
 * present worker reports its health every {@link #HEALTH_INTERVAL_MS} of real time. It stops after the scenario's
 * jobs.
 *
 * <p>Every call to a Warden service that throws is counted as a failed call and logged (at most once a minute);
 * the loop goes on. The references are static: the engine stays up across policy swaps. A changed configuration
 * restarts the loop with the new pace and scenario; a scenario that cannot be used keeps the one in force.
 */
@Component(name = "org.warden.demo", service = DemoDistributor.class, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DemoConfig.class)
public class DemoDistributor {
    private static final Logger LOG = LoggerFactory.getLogger(DemoDistributor.class);
    /** Real time between two health reports of a worker (half the engine's default check interval of 60 s). */
    static final long HEALTH_INTERVAL_MS = 30_000;
    /** Job ids as Warden sees them (the simulator's are {@code job-N}). */
    static final String JOB_ID_PREFIX = "demo-job-";

    @Reference
    private HealthService health;
    @Reference
    private ReputationService reputation;
    @Reference
    private PenaltyService penalties;
    @Reference
    private SelectionService selection;

    private final DemoCounters counters = new DemoCounters(LOG, System::nanoTime);
    private DemoScenarios scenarios;
    /** The loop's thread; the loop runs while it is this one (a restart or a stop replaces or clears it). */
    private volatile Thread thread;
    private volatile Scenario scenario;
    private volatile int jobsPerSecond;

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
    void activate(BundleContext context, DemoConfig config, Map<String, Object> properties) {
        // the framework's property, which falls back to the system property Karaf sets
        start(DemoScenarios.of(context.getProperty("karaf.data"), LOG), config, properties);
    }

    /** Starts with {@code scenarios} as the source of scenario files (tests give one of a temporary directory). */
    void start(DemoScenarios scenarios, DemoConfig config, Map<String, Object> properties) {
        this.scenarios = scenarios;
        run(config, properties, DemoScenarios.bundled());
    }

    @Modified
    void modified(DemoConfig config, Map<String, Object> properties) throws InterruptedException {
        stop();
        run(config, properties, scenario);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stop();
        LOG.info("Warden demo distributor stopped after {} jobs ({} failed calls)", counters.jobs(),
                counters.failedCalls());
    }

    /** Starts the loop on the scenario the configuration names, or {@code current} if that one cannot be used. */
    private void run(DemoConfig config, Map<String, Object> properties, Scenario current) {
        scenarios.warnRetired(properties);
        int pace = Math.max(1, Math.min(10_000, config.jobsPerSecond()));
        Scenario s = scenarios.choose(config.scenario(), current);
        jobsPerSecond = pace;
        scenario = s;
        Thread t = new Thread(() -> loop(s, pace), "warden-demo-distributor");
        t.setDaemon(true);
        thread = t;
        t.start();
        LOG.info("Warden demo distributor started: scenario {} ({} workers, seed {}), {} jobs/s", s.name(),
                s.workerCount(), s.seed(), pace);
    }

    private void stop() throws InterruptedException {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                LOG.warn("the demo distributor thread did not stop within 10 s");
            }
        }
    }

    private void loop(Scenario scenario, int pace) {
        DistributorStep step = DistributorStep.withWarden(new Population(scenario),
                DistributorStep.Streams.split(new SplittableRandom(scenario.seed())), JOB_ID_PREFIX,
                new WardenServices(health, reputation, penalties, selection), counters);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / pace;
        long healthNanos = TimeUnit.MILLISECONDS.toNanos(HEALTH_INTERVAL_MS);
        long next = System.nanoTime();
        long nextHealth = 0;
        int job = 0;
        while (thread == Thread.currentThread() && !Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (now < next) {
                try {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // stop: leave the loop
                }
                continue;
            }
            next += periodNanos;
            if (now - next > TimeUnit.SECONDS.toNanos(1)) {
                next = now; // fell behind (a slow call, a suspended VM): no burst to catch up
            }
            boolean healthRound = now - nextHealth >= 0 || job == 0;
            if (healthRound) {
                nextHealth = now + healthNanos;
            }
            try {
                step.run(job, healthRound);
            } catch (RuntimeException e) {
                counters.failed(e);
            }
            counters.job();
            if (++job == scenario.jobs()) {
                LOG.info("the demo distributor played the {} jobs of scenario {}: it stops", job, scenario.name());
                return;
            }
        }
    }

    /** What the operator sees with warden:demo. */
    public Stats stats() {
        Thread t = thread;
        Scenario s = scenario;
        return new Stats(counters.jobs(), counters.assigned(), counters.unassigned(), counters.good(),
                counters.failedCalls(), s == null ? 0 : s.workerCount(), jobsPerSecond, counters.lastFailure(),
                t != null && t.isAlive());
    }

    /** Counters since the component started. */
    public record Stats(long jobs, long assigned, long unassigned, long good, long failedCalls, int workers,
            int jobsPerSecond, String lastFailure, boolean running) {
    }
}
