package org.warden.demo;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.warden.simulator.distributor.DistributorStep;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.SimWorker;

/**
 * What the demo distributor counts while its steps run ({@code warden:demo} shows it), and the failed calls to
 * Warden: each one counted, the demo going on, the log told at most once a minute (a Warden that is down would
 * otherwise fill it at the pace of the jobs). Written by the distributor's thread, read by any.
 */
final class DemoCounters implements DistributorStep.Listener {
    static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final LongSupplier nanoTime;
    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong assigned = new AtomicLong();
    private final AtomicLong unassigned = new AtomicLong();
    private final AtomicLong good = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private volatile String lastFailure;
    private long lastLogNanos;
    private boolean logged;

    /** {@code nanoTime}: {@code System::nanoTime}, or a test's. */
    DemoCounters(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** A job went by, whatever became of it. */
    void job() {
        jobs.incrementAndGet();
    }

    @Override
    public void unassigned(List<SimWorker> bidders, int job) {
        unassigned.incrementAndGet();
    }

    @Override
    public void performed(SimWorker worker, JobResult result, int job) {
        assigned.incrementAndGet();
        if (result.good()) {
            good.incrementAndGet();
        }
    }

    /** One health report failed: the other workers still report theirs. */
    @Override
    public void healthReportFailed(SimWorker worker, RuntimeException e) {
        failed(e);
    }

    /** A call to Warden threw: counted, kept as the last failure, logged unless it was less than a minute ago. */
    void failed(RuntimeException e) {
        long count = failedCalls.incrementAndGet();
        lastFailure = e.toString();
        long now = nanoTime.getAsLong();
        boolean log;
        synchronized (this) {
            log = !logged || now - lastLogNanos >= LOG_EVERY_NANOS;
            if (log) {
                logged = true;
                lastLogNanos = now;
            }
        }
        if (log) {
            this.log.warn("a call to Warden failed ({} failed calls so far; logged at most once a minute)", count, e);
        }
    }

    long jobs() {
        return jobs.get();
    }

    long assigned() {
        return assigned.get();
    }

    long unassigned() {
        return unassigned.get();
    }

    long good() {
        return good.get();
    }

    long failedCalls() {
        return failedCalls.get();
    }

    String lastFailure() {
        return lastFailure;
    }
}
