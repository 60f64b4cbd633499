package org.warden.engine.state;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where worker records live: the engine's one seam for storage. The in-memory store is the hot path; a
 * durable store (a later issue) implements the same contract and writes through.
 */
public interface WorkerStore {

    /** The record, or {@code null} if the worker is unknown. */
    WorkerRecord get(String workerId);

    /**
     * Atomically replaces the worker's record with {@code change.apply(current)} ({@code current} is
     * {@code null} for an unknown worker; returning {@code null} leaves an unknown worker unknown). Updates
     * of one worker are serialised; updates of different workers run in parallel. If {@code change} throws,
     * nothing is changed.
     *
     * @return the new record
     */
    WorkerRecord update(String workerId, UnaryOperator<WorkerRecord> change);

    /** Every record, weakly consistent (never blocks writers). */
    void forEach(Consumer<WorkerRecord> action);

    /** Number of workers. */
    int size();

    /** Forgets every worker (tests and a future import). */
    void clear();
}
