package org.warden.simulator.model;

/**
 * What really happened with a job (the distributor only sees part of it).
 *
 * @param timedOut        the worker did not finish within the deadline (or was down)
 * @param completed       the worker returned a result
 * @param valid           the result is correct; {@code completed && !valid} is an invalid result posing as a success
 * @param executionTimeMs how long it ran
 */
public record JobResult(boolean timedOut, boolean completed, boolean valid, long executionTimeMs) {
    /** Whether the job was done right: the only outcome that counts as a success in the simulator's figures. */
    public boolean good() {
        return completed && valid;
    }
}
