package org.warden.engine.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can be relied on now, and if not why: what network health shows, what refusals say. Unavailable
 * after any failure of its threads (issue 12, row 2: an {@link Error} too, and an Error of the checkpointer's, which
 * the writer goes down on), and while the writer has waited on the database longer than a caller may wait for a
 * commit (a database that hangs, before the socket timeout breaks the connection). Available again only after a
 * whole pass of the writer, not on connecting: a database that takes connections but fails every commit, or a corrupt
 * row met on every follow, is not available. Every reason is on one line and without a password.
 */
final class Availability {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    private static final Duration PROBLEM_LOG_INTERVAL = Duration.ofMinutes(1);

    private final String backend;
    private final JdbcJournal.Settings settings;
    private final Clock clock;
    private final Redactor redactor;
    private final LongSupplier backlog;

    private volatile boolean connected;
    /** Down since the last success of the writer. */
    private volatile boolean recovering;
    private volatile String problem = "not connected yet";
    /** Written by whoever goes down: the writer, or the engine's thread at start. */
    private volatile Instant lastProblemLog;
    /** {@link System#nanoTime()} since when the writer has been waiting on the database; 0 when it is not. */
    private volatile long busySince;
    /** A failure of another store thread that the writer must go down and retry on. */
    private volatile Throwable failure;

    Availability(String backend, JdbcJournal.Settings settings, Clock clock, Redactor redactor, LongSupplier backlog) {
        this.backend = backend;
        this.settings = settings;
        this.clock = clock;
        this.redactor = redactor;
        this.backlog = backlog;
    }

    /** Connected, and the writer not stuck: the store can be relied on. */
    boolean usable() {
        return connected && stalled() == null;
    }

    /** Connected, stuck or not (the writer's own view: it goes on writing). */
    boolean connected() {
        return connected;
    }

    /** Why the store cannot be relied on now; {@code null} if it can. */
    String reason() {
        return connected ? stalled() : problem;
    }

    /** Why a commit a caller waited for has not come: the reason, or that the writer is still at it. */
    String pendingReason() {
        String why = reason();
        return why != null ? why : "still being written";
    }

    private String stalled() {
        long since = busySince;
        long waited = since == 0 ? 0 : System.nanoTime() - since;
        if (waited <= settings.syncTimeout().toNanos()) {
            return null;
        }
        return "no answer from the database for " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms (the connection is "
                + "given up after " + settings.timeouts().socket().toMillis() + " ms without a byte, then retried)";
    }

    /** The writer starts waiting on the database. */
    void busy() {
        busySince = System.nanoTime();
    }

    /** The writer has its answer (or its failure). */
    void idle() {
        busySince = 0;
    }

    /** Hands the writer a failure of another thread, to go down on and retry. */
    void fail(Throwable t) {
        failure = t;
    }

    /** Throws, on the writer's thread, a failure another thread handed it. */
    void rethrowFailure() {
        Throwable other = failure;
        if (other != null) {
            failure = null;
            throw new IllegalStateException("the store's " + other.getMessage(), other);
        }
    }

    /** Connected on start: available at once. After a failure: only once {@link #passed} says so. */
    void connectedOnce() {
        if (!recovering) {
            up();
        }
    }

    /** The writer went through a whole pass (write and follow). */
    void passed() {
        if (recovering) {
            up();
        }
    }

    private void up() {
        boolean wasDown = recovering;
        recovering = false;
        connected = true;
        problem = null;
        if (wasDown) {
            LOG.info("Warden store ({}): the database is available again; {} queued records are being written",
                    backend, backlog.getAsLong());
        }
    }

    /** Unavailable because of {@code e}: logged as an ERROR (at most once a minute while it lasts). */
    void down(Throwable e) {
        try {
            boolean wasConnected = connected;
            connected = false;
            recovering = true;
            busySince = 0;
            problem = describe(e);
            Instant now = clock.instant();
            Instant last = lastProblemLog;
            if (wasConnected || last == null || !now.isBefore(last.plus(PROBLEM_LOG_INTERVAL))) {
                lastProblemLog = now;
                LOG.error("Warden store ({}) is unavailable: {}. Warden keeps serving from memory and retries every {} "
                        + "ms; {} records wait to be written (none is dropped). Bans, penalties and imports are "
                        + "refused meanwhile.", backend, problem, settings.retryInterval().toMillis(),
                        backlog.getAsLong(), redactor.redact(e));
            }
        } catch (Throwable again) {
            // describing or logging failed too (out of memory): at least the store no longer says it is available
            connected = false;
            recovering = true;
            problem = "the store failed (" + e.getClass().getName() + ") and could not say why";
        }
    }

    /** The reason shown for {@code e}, on one line, without passwords; an {@link Error} named, as it is unusual. */
    String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e instanceof Error ? e.toString() : String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !s.toString().contains(cause.getMessage())) {
            s.append(" (").append(cause instanceof Error ? cause.toString() : cause.getMessage()).append(')');
        }
        return redactor.redact(s.toString().replaceAll("\\s+", " "));
    }
}
