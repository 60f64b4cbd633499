package org.warden.engine.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.NetworkStatistics;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;
import org.warden.engine.core.EngineSettings;

/**
 * Calls the policy in force so that a faulty one cannot hurt the distributor: a call that throws (including a
 * {@link LinkageError} from a bundle being uninstalled mid-call) or returns {@code null}, NaN or a value outside
 * [0, 1] is answered by the {@link FallbackPolicy} instead. Faults are counted, and logged at most once per
 * interval so a broken policy cannot flood the log.
 *
 * <p>A <em>slow</em> policy is contained too: a call that takes longer than the call budget
 * ({@link EngineSettings#policyCallBudget()}) is a fault, and it is noticed <em>while it runs</em>: every call is
 * published in a {@link CallWatch} when it starts, and the next call of any thread (at most a quarter of a budget
 * later) finds it overrunning and opens a circuit: for the cool-down ({@link EngineSettings#slowPolicyCooldown()}, on
 * the engine's clock) every call of that policy is answered by the fallback without calling it, so a stuck policy
 * holds no thread but the one already inside it. After the cool-down the policy is tried again; a slow call reopens
 * the circuit. The circuit belongs to the policy service object: a different policy coming into force is called at
 * once. A slow call's late result, if it ever returns, is discarded and its caller gets the fallback's answer (a
 * policy that is too slow is treated like one that failed, so a slow policy's answers are never mixed with the
 * fallback's in an unpredictable pattern).
 *
 * <p>The call itself runs on its caller's thread and cannot be interrupted: the engine does not interrupt a
 * distributor's thread it does not own, and handing every call to a pool with a timeout instead would cost a thread
 * hand-off (10-60 µs measured on a loaded 2-core machine) per call of a hot path whose whole call takes about half a
 * microsecond. The engine calls a policy with no lock held (see {@code WorkerUpdates}), so a stuck call holds nothing
 * but its own caller.
 */
public final class GuardedPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedPolicy.class);

    private final FallbackPolicy fallback = new FallbackPolicy();
    private final Clock clock;
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong nextLogAtMs = new AtomicLong(Long.MIN_VALUE);
    private volatile long logIntervalMs;
    /** "Policy" or "Shadow policy", for the log. */
    private final String role;
    private final AtomicLong slowCalls = new AtomicLong();
    private final AtomicLong skippedCalls = new AtomicLong();
    private final AtomicReference<Circuit> circuit = new AtomicReference<>();
    private volatile LongSupplier nanoClock = System::nanoTime;
    private volatile long callBudgetNs = EngineSettings.DEFAULT_POLICY_CALL_BUDGET.toNanos();
    private volatile long cooldownMs = EngineSettings.DEFAULT_SLOW_POLICY_COOLDOWN.toMillis();
    /** The calls in flight, swept for one running past the budget. */
    private final CallWatch watch = new CallWatch();
    private final java.util.function.Consumer<CallWatch.Call> onOverrun = this::overrun;
    /** Sweeps per call budget: a stuck call is noticed at most a quarter of a budget late (given other calls). */
    private static final int SWEEPS_PER_BUDGET = 4;

    /** The policy {@code policy} is not called until {@code untilMs} (engine clock) because it was too slow. */
    private record Circuit(WardenPolicy policy, long untilMs) {
    }

    public GuardedPolicy(Clock clock, Duration logInterval) {
        this(clock, logInterval, "Policy");
    }

    public GuardedPolicy(Clock clock, Duration logInterval, String role) {
        this.clock = clock;
        this.logIntervalMs = logInterval.toMillis();
        this.role = role;
    }

    /** Takes the log interval, call budget and slow-policy cool-down of the settings. */
    public void configure(EngineSettings settings) {
        this.logIntervalMs = settings.faultLogInterval().toMillis();
        this.callBudgetNs = settings.policyCallBudget().toNanos();
        this.cooldownMs = settings.slowPolicyCooldown().toMillis();
    }

    /** The clock policy calls are timed with ({@link System#nanoTime()}); tests pass a fake one. */
    public void setNanoClock(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Policy calls that took longer than the call budget (each also counted in {@link #faults()}), since start. */
    public long slowCalls() {
        return slowCalls.get();
    }

    /** Calls answered by the fallback without calling the policy, because its circuit was open after a slow call. */
    public long skippedCalls() {
        return skippedCalls.get();
    }

    /** Whether calls of {@code p} are answered by the fallback now because it was too slow. */
    public boolean circuitOpen(BoundPolicy p) {
        Circuit c = circuit.get();
        return c != null && p.policy() != null && c.policy() == p.policy() && clock.millis() < c.untilMs();
    }

    public void setLogInterval(Duration interval) {
        this.logIntervalMs = interval.toMillis();
    }

    /**
     * Calls answered by the fallback because the policy faulted (threw, returned an invalid value or took longer than
     * the call budget), since start. Calls skipped while the circuit is open are not faults (see
     * {@link #skippedCalls()}).
     */
    public long faults() {
        return faults.get();
    }

    public ScoreBreakdown healthScore(BoundPolicy p, HealthMetrics m) {
        return call(p, "healthScore", () -> p.policy().healthScore(m), () -> fallback.healthScore(m));
    }

    public double healthyThreshold(BoundPolicy p) {
        return unit(p, "healthyThreshold", () -> p.policy().healthyThreshold(), fallback::healthyThreshold);
    }

    public ScoreBreakdown reputation(BoundPolicy p, WorkerStatistics s, NetworkStatistics network, Instant now) {
        return call(p, "reputation", () -> p.policy().reputation(s, network, now), () -> fallback.reputation(s, now));
    }

    public double eligibilityThreshold(BoundPolicy p) {
        return unit(p, "eligibilityThreshold", () -> p.policy().eligibilityThreshold(), fallback::eligibilityThreshold);
    }

    public double defaultSeverity(BoundPolicy p, PenaltyType type) {
        return unit(p, "defaultSeverity", () -> p.policy().defaultSeverity(type), () -> fallback.defaultSeverity(type));
    }

    /**
     * The policy's automatic-ban decision, validated before the engine takes anything for it: a decision whose ban
     * would end past {@link Instant#MAX} (see {@link BanDurations}) is a fault like any invalid answer, and the
     * fallback's decision stands. (A decision's reason is checked by {@link BanDecision} itself, with the rules of
     * every reason: a policy building an invalid one throws, which is a fault too.)
     */
    public Optional<BanDecision> autoBan(BoundPolicy p, WorkerStatistics s, NetworkStatistics network, Instant now) {
        return call(p, "autoBan", () -> {
            Optional<BanDecision> d = p.policy().autoBan(s, network, now);
            if (d != null && d.isPresent()) {
                try {
                    BanDurations.until(now, d.get().duration());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("autoBan returned an invalid ban decision: " + e.getMessage(), e);
                }
            }
            return d;
        }, () -> fallback.autoBan(s, now));
    }

    public ScoreBreakdown selectionScore(BoundPolicy p, Bid bid, WorkerStatistics stats, double reputation, double health,
            AuctionContext auction) {
        return call(p, "selectionScore", () -> p.policy().selectionScore(bid, stats, reputation, health, auction),
                () -> fallback.selectionScore(bid, reputation, health, auction));
    }

    private double unit(BoundPolicy p, String method, Supplier<Double> call, Supplier<Double> safe) {
        Double value = call(p, method, () -> {
            Double v = call.get();
            if (v != null && !(v >= 0 && v <= 1)) {
                throw new IllegalStateException(method + " returned " + v + ", outside [0, 1]");
            }
            return v;
        }, safe);
        return value;
    }

    private <T> T call(BoundPolicy p, String method, Supplier<T> call, Supplier<T> safe) {
        WardenPolicy policy = p.policy();
        if (policy == null) {
            return safe.get();
        }
        LongSupplier nanos = nanoClock;
        long start = nanos.getAsLong();
        long budget = callBudgetNs;
        // before the breaker is read: a call of another thread stuck past the budget opens it now
        watch.sweep(start, budget, Math.max(1, budget / SWEEPS_PER_BUDGET), onOverrun);
        Circuit open = circuit.get();
        if (open != null && open.policy() == policy) {
            if (clock.millis() < open.untilMs()) {
                skippedCalls.incrementAndGet();
                return safe.get();
            }
            circuit.compareAndSet(open, null); // cool-down over: try the policy again
        }
        CallWatch.Call watched = watch.enter(p, method, start);
        T value = null;
        Throwable failure = null;
        try {
            value = call.get();
            if (value == null) {
                throw new IllegalStateException(method + " returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            failure = e;
        } finally {
            watch.exit(watched);
        }
        long took = nanos.getAsLong() - start;
        if (took > budget) {
            if (!watched.claim()) {
                return safe.get(); // a sweep found it overrunning while it ran: counted then, its result is discarded
            }
            slow(p, method, took, budget, failure == null);
            if (failure == null) {
                return safe.get(); // the late result is discarded
            }
        }
        // within the budget the caller does not claim the call: a sweep rarely can (see CallWatch.exit), and counts it
        if (failure != null) {
            fault(p, method, null, failure);
            return safe.get();
        }
        return value;
    }

    /** A call found by a sweep still running past the budget: the breaker opens now, while it runs. */
    private void overrun(CallWatch.Call c) {
        long cooldown = cooldownMs;
        slowCalls.incrementAndGet();
        circuit.set(new Circuit(c.policy.policy(), clock.millis() + cooldown));
        fault(c.policy, c.method, String.format(java.util.Locale.ROOT, "has been running for more than the call "
                + "budget of %.1f ms and has not returned; the fallback answers every call of it for the next %d s, "
                + "and its result, if it ever returns, is discarded", callBudgetNs / 1e6, cooldown / 1000), null);
    }

    /** A call that returned after the budget: opens the breaker; {@code countFault}: the slow call is the fault. */
    private void slow(BoundPolicy p, String method, long tookNs, long budgetNs, boolean countFault) {
        slowCalls.incrementAndGet();
        long cooldown = cooldownMs;
        circuit.set(new Circuit(p.policy(), clock.millis() + cooldown));
        if (countFault) {
            fault(p, method, String.format(java.util.Locale.ROOT, "took %.1f ms, more than the call budget of %.1f ms; "
                    + "its result was discarded and the fallback answers every call of it for the next %d s",
                    tookNs / 1e6, budgetNs / 1e6, cooldown / 1000), null);
        }
    }

    private void fault(BoundPolicy p, String method, String why, Throwable e) {
        long count = faults.incrementAndGet();
        long now = clock.millis();
        long next = nextLogAtMs.get();
        if (now >= next && nextLogAtMs.compareAndSet(next, now + logIntervalMs)) {
            if (why == null) {
                LOG.warn("{} '{}' faulted in {} ({} faults so far); the fallback policy answered. Further faults are "
                        + "counted and logged at most every {} ms.", role, p.name(), method, count, logIntervalMs, e);
            } else {
                LOG.warn("{} '{}' faulted in {}: {} ({} faults so far). Further faults are counted and logged at most "
                        + "every {} ms.", role, p.name(), method, why, count, logIntervalMs);
            }
        }
    }
}
