package org.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.warden.policy.testkit.LogRecorder;
import org.warden.simulator.model.JobResult;

class DemoCountersTest {
    private final LogRecorder log = new LogRecorder();
    private final AtomicLong nanos = new AtomicLong(-5); // nanoTime may be negative
    private final DemoCounters counters = new DemoCounters(log.logger(), nanos::get);

    @Test
    void failedCallsAreAllCountedButLoggedAtMostOnceAMinute() {
        counters.failed(new IllegalStateException("first"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
        counters.failed(new IllegalStateException("second"));
        healthFailed(new IllegalStateException("third"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        counters.failed(new IllegalStateException("fourth"));
        assertThat(counters.failedCalls()).isEqualTo(4);
        assertThat(counters.lastFailure()).isEqualTo("java.lang.IllegalStateException: fourth");
        assertThat(log.calls()).extracting(LogRecorder.Call::text).containsExactly(
                "a call to Warden failed (1 failed calls so far; logged at most once a minute) "
                        + "[java.lang.IllegalStateException: first]",
                "a call to Warden failed (4 failed calls so far; logged at most once a minute) "
                        + "[java.lang.IllegalStateException: fourth]");
        assertThat(log.calls()).allSatisfy(c -> assertThat(c.level()).isEqualTo("warn"));
    }

    private void healthFailed(RuntimeException e) {
        counters.healthReportFailed(null, e); // goes on: no exception out of the listener
    }

    @Test
    void theStepsOutcomesAreCounted() {
        counters.unassigned(List.of(), 0);
        counters.performed(null, new JobResult(false, true, true, 10), 1);
        counters.performed(null, new JobResult(false, true, false, 10), 2); // invalid: assigned, not good
        counters.performed(null, new JobResult(true, false, false, 30), 3);
        for (int i = 0; i < 4; i++) {
            counters.job();
        }
        assertThat(counters.jobs()).isEqualTo(4);
        assertThat(counters.unassigned()).isEqualTo(1);
        assertThat(counters.assigned()).isEqualTo(3);
        assertThat(counters.good()).isEqualTo(1);
        assertThat(counters.failedCalls()).isZero();
    }
}
