package org.warden.engine.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.warden.api.Ban;
import org.warden.api.JobOutcome;
import org.warden.api.Penalty;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.engine.WardenEngine;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;

/**
 * Feeds one journal entry to one side through the engine's public write paths, so that the side's policy decides
 * what the live policy decided: its automatic bans are not replayed (the policy imposes its own, or not), a malicious
 * report takes the side's policy's severity, and everything an operator did (penalties, bans, unbans, imports) is
 * done again as it was. A write the side's engine refuses (an unban of a worker it does not know, the window having
 * started after the worker was first seen) is counted, with the first reason kept, and the replay goes on.
 */
final class ChangeReplay {

    private long refused;
    private String firstRefusal;

    /** Writes the side's engine refused so far. */
    long refused() {
        return refused;
    }

    /** Why the first refused write was refused; {@code null} if none was. */
    String firstRefusal() {
        return firstRefusal;
    }

    /** Replays a clear or the changes of one worker (not an auction: see {@link AuctionReplay}). */
    void apply(ReplaySide side, JournalEntry entry, Instant writtenAt) {
        if (entry.isClear()) {
            side.at(writtenAt);
            side.snapshots().importSnapshot(new Snapshot(Snapshot.FORMAT, writtenAt, List.of()), ImportMode.REPLACE);
            return;
        }
        for (Change c : entry.changes()) {
            side.at(c.at());
            try {
                write(side, c);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // the recorded write does not apply to this side's state: counted and reported, not fatal
                if (refused++ == 0) {
                    firstRefusal = c.getClass().getSimpleName() + " of worker '" + c.workerId() + "' at " + c.at()
                            + ": " + e.getMessage();
                }
            }
        }
    }

    private static void write(ReplaySide side, Change change) {
        WardenEngine engine = side.engine();
        if (change instanceof Change.Outcome o) {
            engine.recordOutcome(new JobOutcome(o.workerId(), o.success(), o.executionTimeMs(), o.earnings(),
                    o.resultQuality(), o.estimatedTimeMs(), null));
        } else if (change instanceof Change.Health h) {
            engine.reportHealth(h.workerId(), h.metrics());
        } else if (change instanceof Change.PenaltyChange p) {
            penalize(engine, p);
        } else if (change instanceof Change.BanChange b) {
            ban(engine, b.ban());
        } else if (change instanceof Change.Unban u) {
            engine.unban(u.workerId(), u.reason());
        } else if (change instanceof Change.Put p) {
            side.snapshots().importSnapshot(new Snapshot(Snapshot.FORMAT, p.at(), List.of(p.snapshot())),
                    ImportMode.MERGE);
        } else {
            throw new UnsupportedOperationException("a change the replay does not know: " + change.getClass().getName());
        }
    }

    /** A malicious report as a report, so the side's policy's severity applies; any other penalty as recorded. */
    private static void penalize(WardenEngine engine, Change.PenaltyChange change) {
        Penalty p = change.penalty();
        if (change.malicious()) {
            engine.reportMalicious(p.workerId(), p.reason());
        } else {
            engine.applyPenalty(p.workerId(), p.type(), p.severity(), p.reason(), p.jobId());
        }
    }

    /** An operator's ban (or a pending ban an operator confirmed) again; an automatic one is the side's to decide. */
    private static void ban(WardenEngine engine, Ban ban) {
        if (ban.automatic()) {
            return;
        }
        Duration duration = ban.until() == null ? null : Duration.between(ban.bannedAt(), ban.until());
        engine.ban(ban.workerId(), ban.reason(), duration);
    }
}
