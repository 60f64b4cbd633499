package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.math.BigInteger;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.warden.api.Bid;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;

/**
 * Hot swap without failure: four threads rank bids and record outcomes (and now and then a health report)
 * at full speed for at least 20 s, while this test installs, starts, updates, stops and uninstalls policy
 * bundles at least 100 times, some of them by dropping the constant policy's jar into Karaf's {@code deploy/}
 * folder and deleting it again. Every call must answer (no exception, no empty ranking for a job whose bids
 * are all eligible under any policy), and the engine bundle must keep its id and never be stopped, started,
 * refreshed or updated. Prints the number of calls, policy operations and the worst and 99th percentile
 * call latency. Karaf boots with {@code warden}.
 */
public class HotSwapStressIT extends WardenTestSupport {

    @Override
    protected List<String> bootFeatures() {
        return List.of("warden");
    }

    private static final int WORKERS = 50;
    private static final int THREADS = 4;
    private static final Duration MIN_LOAD = Duration.ofSeconds(20);
    private static final int MIN_POLICY_OPERATIONS = 100;
    private static final int MIN_DEPLOY_CYCLES = 3;
    /** The operations must be done by then, or the test fails (the method timeout is longer). */
    private static final Duration OPERATIONS_DEADLINE = Duration.ofSeconds(110);
    /** A call that takes longer than this "blocks for long". */
    private static final Duration WORST_CALL_LIMIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(10);
    /** Calls started this soon after the load began are left out of the "after warm-up" worst. */
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    /** Latency histogram: buckets of 10 µs up to 1 s, and one for anything longer. */
    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 100_000;

    private final AtomicLong failureCount = new AtomicLong();

    private HealthService health;
    private ReputationService reputation;
    private SelectionService selection;

    private final Queue<String> engineEvents = new ConcurrentLinkedQueue<>();
    private SynchronousBundleListener engineListener;
    private Path deployedJar;

    @Before
    public void findServicesAndWatchTheEngine() {
        health = getService(HealthService.class);
        reputation = getService(ReputationService.class);
        selection = getService(SelectionService.class);
        long engineId = requireBundle(ENGINE_BSN).getBundleId();
        engineListener = event -> {
            if (event.getBundle().getBundleId() == engineId) {
                engineEvents.add(eventName(event.getType()));
            }
        };
        bundleContext.addBundleListener(engineListener);
    }

    @After
    public void cleanUp() throws Exception {
        if (engineListener != null) {
            bundleContext.removeBundleListener(engineListener);
        }
        if (deployedJar != null) {
            Files.deleteIfExists(deployedJar);
        }
    }

    @Test
    public void callsNeverFailWhilePolicyBundlesComeAndGo() throws Exception {
        // A network where every worker is eligible under any policy: fit, and only successes.
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            String worker = "stress-worker-" + i;
            workers.add(worker);
            health.reportHealth(worker, Fixtures.FIT);
            for (int j = 0; j < 3; j++) {
                reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
            }
        }
        awaitPolicy("default");
        for (String worker : workers) {
            assertTrue(worker + " should be eligible before the load starts", reputation.isEligible(worker));
        }
        Bundle engine = requireBundle(ENGINE_BSN);
        long engineId = engine.getBundleId();
        long engineLastModified = engine.getLastModified();
        Bundle defaultPolicy = requireBundle(DEFAULT_POLICY_BSN);
        String constantUrl = "mvn:" + GROUP_ID + "/warden-policy-constant/" + wardenVersion();
        Path deployDir = Path.of(System.getProperty("karaf.home"), "deploy");
        assertTrue(deployDir + " should exist", Files.isDirectory(deployDir));

        AtomicBoolean running = new AtomicBoolean(true);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong emptySelections = new AtomicLong();
        Queue<String> emptyDetails = new ConcurrentLinkedQueue<>();
        List<Load> loads = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        long loadStart = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            Load load = new Load(loadStart, t, workers, running, failures, emptySelections, emptyDetails);
            loads.add(load);
            futures.add(executor.submit(load));
        }

        int operations = 0;
        int deployCycles = 0;
        int cycles = 0;
        long deadline = loadStart + OPERATIONS_DEADLINE.toNanos();
        try {
            while (System.nanoTime() - loadStart < MIN_LOAD.toNanos()
                    || operations < MIN_POLICY_OPERATIONS
                    || deployCycles < MIN_DEPLOY_CYCLES) {
                assertTrue("the policy operations took longer than " + OPERATIONS_DEADLINE + ": " + operations
                        + " done, " + deployCycles + " via deploy/", System.nanoTime() < deadline);
                assertTrue("a load thread failed: " + failures.peek(), failures.isEmpty());
                cycles++;
                if (cycles % 4 == 0) {
                    // Through Karaf's deploy folder, as an operator who drops a jar there and deletes it later.
                    deployedJar = deployDir.resolve("warden-policy-constant.jar");
                    Path staged = Path.of(System.getProperty("karaf.data"), "tmp", "warden-policy-constant.jar.staged");
                    Files.createDirectories(staged.getParent());
                    try (InputStream in = new URL(constantUrl).openStream()) {
                        Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(staged, deployedJar, StandardCopyOption.ATOMIC_MOVE);
                    operations++;
                    await("the deployed constant policy ACTIVE").atMost(WAIT).pollInterval(POLL)
                            .until(() -> bundle(CONSTANT_POLICY_BSN).map(Bundle::getState).orElse(0) == Bundle.ACTIVE);
                    awaitPolicy("constant");
                    Files.delete(deployedJar);
                    deployedJar = null;
                    operations++;
                    await("the deployed constant policy gone").atMost(WAIT).pollInterval(POLL)
                            .until(() -> bundle(CONSTANT_POLICY_BSN).isEmpty());
                    awaitPolicy("default");
                    deployCycles++;
                } else {
                    // bundle:install + bundle:start: the constant policy (ranking 100) takes over.
                    Bundle constant = bundleContext.installBundle(constantUrl);
                    operations++;
                    constant.start();
                    operations++;
                    awaitPolicy("constant");
                    // bundle:update: stopped, re-read, started again.
                    constant.update();
                    operations++;
                    awaitPolicy("constant");
                    // bundle:stop / bundle:start of the default policy while the constant one is in force.
                    defaultPolicy.stop();
                    operations++;
                    defaultPolicy.start();
                    operations++;
                    // bundle:uninstall: the default policy is back.
                    constant.uninstall();
                    operations++;
                    awaitPolicy("default");
                    if (cycles % 2 == 1) {
                        // No policy at all for a moment: the fallback answers.
                        defaultPolicy.stop();
                        operations++;
                        await("the fallback in force").atMost(WAIT).pollInterval(POLL)
                                .until(health::networkHealth, NetworkHealth::fallbackActive);
                        defaultPolicy.start();
                        operations++;
                        awaitPolicy("default");
                    }
                }
            }
        } finally {
            running.set(false);
            executor.shutdown();
            assertTrue("the load threads should stop", executor.awaitTermination(30, TimeUnit.SECONDS));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        long loadNanos = System.nanoTime() - loadStart;

        long calls = 0;
        long worst = 0;
        String worstCall = "none";
        long worstAfterWarmUp = 0;
        long[] histogram = new long[BUCKETS + 1];
        for (Load load : loads) {
            calls += load.calls;
            worstAfterWarmUp = Math.max(worstAfterWarmUp, load.worstAfterWarmUp);
            if (load.worst > worst) {
                worst = load.worst;
                worstCall = load.worstCall;
            }
            for (int i = 0; i <= BUCKETS; i++) {
                histogram[i] += load.histogram[i];
            }
        }
        long p99Nanos = percentile(histogram, calls, 0.99);
        System.out.printf("HotSwapStressIT: %d calls, %d policy operations, worst call %.3f ms, p99 %.3f ms"
                        + " (worst: %s; worst after %d s: %.3f ms; %d threads, %.1f s, %d of the operations via deploy/ in %d cycles)%n",
                calls, operations, worst / 1e6, p99Nanos / 1e6, worstCall,
                WARM_UP.toSeconds(), worstAfterWarmUp / 1e6, THREADS, loadNanos / 1e9,
                deployCycles * 2, deployCycles);

        List<Throwable> failed = new ArrayList<>(failures);
        if (!failed.isEmpty()) {
            AssertionError error = new AssertionError(failureCount.get() + " calls failed during the swaps, the first: " + failed.get(0));
            failed.stream().limit(5).forEach(error::addSuppressed);
            throw error;
        }
        assertEquals("empty selections for jobs with eligible bids, e.g. " + List.copyOf(emptyDetails), 0, emptySelections.get());
        assertTrue("calls were made", calls > 0);
        assertTrue("at least " + MIN_POLICY_OPERATIONS + " policy operations: " + operations, operations >= MIN_POLICY_OPERATIONS);
        assertTrue("at least " + MIN_LOAD + " of load", loadNanos >= MIN_LOAD.toNanos());
        assertTrue("worst call " + worst / 1e6 + " ms, over " + WORST_CALL_LIMIT, worst < WORST_CALL_LIMIT.toNanos());

        // The engine was neither refreshed, updated, stopped nor restarted.
        Bundle engineAfter = requireBundle(ENGINE_BSN);
        assertEquals("the engine keeps its bundle id", engineId, engineAfter.getBundleId());
        assertEquals("the engine is still ACTIVE", Bundle.ACTIVE, engineAfter.getState());
        assertEquals("the engine bundle was not updated", engineLastModified, engineAfter.getLastModified());
        assertTrue("the engine bundle had lifecycle events: " + engineEvents, engineEvents.isEmpty());
        // And the network ends as it began: default policy, every worker still eligible, records kept.
        assertTrue(bundle(CONSTANT_POLICY_BSN).isEmpty());
        assertEquals(Bundle.ACTIVE, defaultPolicy.getState());
        awaitPolicy("default");
        assertEquals(WORKERS, reputation.workerIds().stream().filter(id -> id.startsWith("stress-worker-")).count());
        for (String worker : workers) {
            assertTrue(worker + " should still be eligible", reputation.isEligible(worker));
        }
    }

    /** The smallest latency at or above the given share of the calls (the upper edge of its bucket). */
    private static long percentile(long[] histogram, long total, double share) {
        long wanted = (long) Math.ceil(total * share);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= wanted && wanted > 0) {
                return (i + 1) * BUCKET_NANOS;
            }
        }
        return 0;
    }

    private void awaitPolicy(String name) {
        await("policy " + name + " in force").atMost(WAIT).pollInterval(POLL)
                .until(health::networkHealth, h -> name.equals(h.policyName()) && !h.fallbackActive());
    }

    /** One distributor thread: rank, record, sometimes report health, as fast as it can. */
    private final class Load implements Runnable {
        private final long loadStart;
        private final int thread;
        private final List<String> workers;
        private final AtomicBoolean running;
        private final Queue<Throwable> failures;
        private final AtomicLong emptySelections;
        private final Queue<String> emptyDetails;
        final long[] histogram = new long[BUCKETS + 1];
        volatile long calls;
        volatile long worst;
        volatile String worstCall = "none";
        /** The worst call that started after {@link #WARM_UP} (JIT compilation and first swap done). */
        volatile long worstAfterWarmUp;

        Load(long loadStart, int thread, List<String> workers, AtomicBoolean running, Queue<Throwable> failures,
                AtomicLong emptySelections, Queue<String> emptyDetails) {
            this.loadStart = loadStart;
            this.thread = thread;
            this.workers = workers;
            this.running = running;
            this.failures = failures;
            this.emptySelections = emptySelections;
            this.emptyDetails = emptyDetails;
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long n = 0;
            long max = 0;
            long iteration = 0;
            while (running.get()) {
                iteration++;
                String jobId = "stress-job-" + thread + "-" + iteration;
                try {
                    int count = 5 + random.nextInt(6);
                    List<Bid> bids = new ArrayList<>(count);
                    int first = random.nextInt(workers.size());
                    for (int i = 0; i < count; i++) {
                        bids.add(Bid.of(workers.get((first + i) % workers.size()),
                                1 + random.nextInt(1_000), 100 + random.nextInt(10_000)));
                    }
                    long start = System.nanoTime();
                    List<RankedBid> ranked = selection.rank(jobId, bids);
                    max = track("rank", start, max);
                    n++;
                    if (ranked == null || ranked.isEmpty()) {
                        emptySelections.incrementAndGet();
                        if (emptyDetails.size() < 5) {
                            emptyDetails.add(jobId + " " + bids + " -> " + ranked);
                        }
                    } else {
                        for (RankedBid r : ranked) {
                            if (!Double.isFinite(r.score())) {
                                throw new AssertionError(jobId + ": score not finite " + r);
                            }
                        }
                    }

                    String worker = workers.get(random.nextInt(workers.size()));
                    start = System.nanoTime();
                    Object recorded = reputation.recordOutcome(worker, true, 200 + random.nextInt(2_000),
                            BigInteger.valueOf(1 + random.nextInt(500)), 0.8 + 0.2 * random.nextDouble());
                    max = track("recordOutcome", start, max);
                    n++;
                    if (recorded == null) {
                        throw new AssertionError(jobId + ": recordOutcome returned null for " + worker);
                    }

                    if (random.nextInt(10) == 0) {
                        start = System.nanoTime();
                        Object reported = health.reportHealth(worker, Fixtures.FIT);
                        max = track("reportHealth", start, max);
                        n++;
                        if (reported == null) {
                            throw new AssertionError(jobId + ": reportHealth returned null for " + worker);
                        }
                    }
                } catch (Throwable t) {
                    failureCount.incrementAndGet();
                    if (failures.size() < 100) {
                        failures.add(t);
                    }
                }
                calls = n;
                worst = max;
            }
            calls = n;
            worst = max;
        }

        /** Records the call that started at {@code start}; the new maximum. */
        private long track(String kind, long start, long max) {
            long nanos = record(System.nanoTime() - start);
            if (start - loadStart > WARM_UP.toNanos() && nanos > worstAfterWarmUp) {
                worstAfterWarmUp = nanos;
            }
            if (nanos > max) {
                worstCall = kind + " at " + String.format("%.1f", (start - loadStart) / 1e9) + " s";
                return nanos;
            }
            return max;
        }

        private long record(long nanos) {
            int bucket = (int) Math.min(BUCKETS, nanos / BUCKET_NANOS);
            histogram[bucket]++;
            return nanos;
        }
    }

    private static String eventName(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.LAZY_ACTIVATION -> "LAZY_ACTIVATION";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> "type " + type;
        };
    }
}
