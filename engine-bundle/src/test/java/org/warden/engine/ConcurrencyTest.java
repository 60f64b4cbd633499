package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.warden.api.JobOutcome;
import org.warden.api.WardenEvents;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.WorkerRecord;

class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int WORKERS = 1_000;
    // 200,000 in total: enough contention on 1,000 workers to lose updates if the book raced, and a few seconds of
    // work, so the timeouts below guard against a deadlock, not against a loaded machine (a million outcomes took
    // over 110 s with three builds on two cores). Speed is the JMH benchmarks' business.
    private static final int PER_THREAD = 25_000;
    private static final int TOTAL = THREADS * PER_THREAD;

    @Test
    @Timeout(600) // a guard against a hang, not a speed bound: the build machine may be shared and loaded
    void eightThreadsRecordingOutcomesLoseNone() throws Exception {
        Fixtures f = new Fixtures().with("stub", new StubPolicy());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PER_THREAD; i++) {
                    f.engine.recordOutcome(JobOutcome.of(worker(thread, i), success(i), i % 5000, BigInteger.ONE, null));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> d : done) {
            d.get(); // the test's @Timeout bounds the wait
        }
        pool.shutdown();

        long[] completed = new long[WORKERS];
        long[] failed = new long[WORKERS];
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < PER_THREAD; i++) {
                int w = Integer.parseInt(worker(t, i).substring(1));
                if (success(i)) {
                    completed[w]++;
                } else {
                    failed[w]++;
                }
            }
        }
        long total = 0;
        for (int w = 0; w < WORKERS; w++) {
            WorkerRecord r = f.engine.book().store().get("w" + w);
            assertThat(r.jobsCompleted()).as("completed of w%d", w).isEqualTo(completed[w]);
            assertThat(r.jobsFailed()).as("failed of w%d", w).isEqualTo(failed[w]);
            assertThat(r.earnings()).isEqualTo(BigInteger.valueOf(completed[w] + failed[w]));
            total += r.jobsCompleted() + r.jobsFailed();
        }
        assertThat(total).isEqualTo(TOTAL);
        assertThat(f.engine.book().jobsCompleted() + f.engine.book().jobsFailed()).isEqualTo(TOTAL);
    }

    private static String worker(int thread, int i) {
        return "w" + ((i * 7 + thread * 131) % WORKERS);
    }

    private static boolean success(int i) {
        return i % 3 != 0;
    }

    @Test
    @Timeout(60)
    void concurrentMaliciousReportsBanExactlyOnce() throws Exception {
        StubPolicy stub = new StubPolicy();
        stub.banAt = 3;
        Fixtures f = new Fixtures().with("stub", stub);
        f.engine.reportHealth("bad", Fixtures.GOOD);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit(() -> f.engine.reportMalicious("bad", "forged result")));
        }
        for (Future<?> d : done) {
            d.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(f.engine.reputation("bad").get().maliciousReports()).isEqualTo(THREADS);
        assertThat(f.topics.stream().filter(WardenEvents.TOPIC_BANNED::equals)).hasSize(1);
        assertThat(f.engine.bans("bad")).hasSize(1);
    }

    @Test
    @Timeout(30)
    void anUpdateInProgressOnOneWorkerDoesNotBlockAnother() throws Exception {
        InMemoryWorkerStore store = new InMemoryWorkerStore();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> slow = pool.submit(() -> store.update("worker-A", r -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return WorkerRecord.newWorker("worker-A", Fixtures.T0);
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        // worker-A's update holds only its own bin: worker-B's update completes while A's is still open
        store.update("worker-B", r -> WorkerRecord.newWorker("worker-B", Fixtures.T0));
        assertThat(store.get("worker-B")).isNotNull();
        assertThat(slow.isDone()).isFalse();
        release.countDown();
        slow.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(store.size()).isEqualTo(2);
    }
}
