package org.warden.engine.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The policy calls in flight, one slot per calling thread, so that a call running past the call budget is noticed
 * <em>while it runs</em>, not when (if ever) it returns. Nobody waits on this: callers publish their call when it
 * starts and clear it when it ends, and any later call sweeps the slots (at most once per sweep period) for calls
 * that have been running too long; a call is claimed once, either by its own caller when it returns or by the sweep
 * that found it overrunning, so it is counted once.
 *
 * <p>Why the sweep rides on other calls rather than on a thread of its own: the breaker only matters to a caller that
 * is about to call the policy, and that caller sweeps first; so a stuck call opens the breaker before the next call
 * can reach the stuck policy, with no thread to start and stop with the bundle and no cost when nothing is called.
 *
 * <p>The thread-local slot holds a JDK {@link AtomicReference} that is emptied when a call ends, so a thread that
 * outlives this engine (a distributor's pool) keeps none of its classes or of a policy's.
 */
final class CallWatch {

    /** One policy call in flight: which policy, which method, since when (on the guard's nanosecond clock). */
    static final class Call {
        private static final VarHandle STATE;
        private static final int RUNNING = 0;
        private static final int CLAIMED = 1;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Call.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final BoundPolicy policy;
        final String method;
        final long startNs;
        /** The call this one interrupted on the same thread (a policy calling the engine back), restored at its end. */
        private final Call outer;
        private final AtomicReference<Call> slot;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        private Call(BoundPolicy policy, String method, long startNs, Call outer, AtomicReference<Call> slot) {
            this.policy = policy;
            this.method = method;
            this.startNs = startNs;
            this.outer = outer;
            this.slot = slot;
        }

        /** Claims this call's outcome: true once, for whoever (its caller or a sweep) comes first. */
        boolean claim() {
            return STATE.compareAndSet(this, RUNNING, CLAIMED);
        }
    }

    private record Slot(WeakReference<Thread> thread, AtomicReference<Call> current) {
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final ThreadLocal<AtomicReference<Call>> local = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextSweepNs = new AtomicLong(NEVER);

    /** Publishes a call starting at {@code startNs} on this thread; {@link #exit} must follow, in a finally. */
    Call enter(BoundPolicy policy, String method, long startNs) {
        AtomicReference<Call> slot = local.get();
        if (slot == null) {
            slot = new AtomicReference<>();
            local.set(slot);
            slots.add(new Slot(new WeakReference<>(Thread.currentThread()), slot));
        }
        Call call = new Call(policy, method, startNs, slot.get(), slot);
        // a sweep may see it a little late: it looks for calls late by a whole budget
        slot.lazySet(call);
        return call;
    }

    /**
     * Ends the call on this thread. A release store, not a full fence, to keep the hot path cheap: the caller's end
     * time may then be read a few nanoseconds before a sweep sees the slot cleared, so a call ending within a hair of
     * the budget may be claimed by a sweep as overrunning while its caller uses its result. It is still counted once
     * (the caller claims only a call it measured over the budget), and a call that close to the budget is slow anyway.
     */
    void exit(Call call) {
        call.slot.lazySet(call.outer);
    }

    /**
     * Every call that has been running for more than {@code budgetNs} at {@code nowNs} and was not claimed yet is
     * claimed and handed to {@code overrun}; does nothing if the last sweep was less than {@code periodNs} ago.
     * {@code nowNs} must be read before this is called (so a call seen running ended after it).
     */
    void sweep(long nowNs, long budgetNs, long periodNs, Consumer<Call> overrun) {
        long next = nextSweepNs.get();
        if (next != NEVER && nowNs - next < 0) {
            return;
        }
        if (!nextSweepNs.compareAndSet(next, nowNs + periodNs)) {
            return; // another caller sweeps
        }
        for (Iterator<Slot> it = slots.iterator(); it.hasNext();) {
            Slot s = it.next();
            Thread t = s.thread().get();
            if (t == null || !t.isAlive()) {
                it.remove(); // a dead thread has no call in flight
                continue;
            }
            for (Call c = s.current().get(); c != null; c = c.outer) {
                if (nowNs - c.startNs > budgetNs && c.claim()) {
                    overrun.accept(c);
                }
            }
        }
    }
}
