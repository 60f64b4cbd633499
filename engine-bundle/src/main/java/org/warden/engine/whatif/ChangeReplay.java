package org.warden.engine.whatif;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.warden.api.Ban;
import org.warden.api.JobOutcome;
import org.warden.api.Penalty;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.WardenEngine;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;

/**
 * Feeds one side the journal's entries through the engine's public write paths, so that the side's policy decides
 * what the live policy decided: its automatic bans are not replayed (the policy imposes its own, or not), a malicious
 * report takes the side's policy's severity, and everything an operator did (penalties, bans, unbans, imports) is
 * done again as it was. A write the side's engine refuses (an unban of a worker it does not know, the window having
 * started after the worker was first seen) is counted, with the first reason kept, and the replay goes on.
 *
 * <p>An import's records (one journal entry each, all at the import's time) are imported again together, as the live
 * import did, in batches of at most {@link #IMPORT_BATCH}: an import recounts the network's totals over every worker,
 * once per import, not once per record.
 */
final class ChangeReplay {

    /** The most imported records held before they are imported again. */
    static final int IMPORT_BATCH = 10_000;

    private final ReplaySide side;
    private final List<WorkerSnapshot> imported = new ArrayList<>();
    private Instant importedAt;
    private long refused;
    private String firstRefusal;

    ChangeReplay(ReplaySide side) {
        this.side = side;
    }

    /** Writes the side's engine refused so far. */
    long refused() {
        return refused;
    }

    /** Why the first refused write was refused; {@code null} if none was. */
    String firstRefusal() {
        return firstRefusal;
    }

    /** Replays a clear or the changes of one worker (not an auction: see {@link AuctionReplay}). */
    void apply(JournalEntry entry, Instant writtenAt) {
        if (entry.changes().size() == 1 && entry.changes().get(0) instanceof Change.Put put) {
            if (importedAt != null && !importedAt.equals(put.at()) || imported.size() >= IMPORT_BATCH) {
                flush();
            }
            importedAt = put.at();
            imported.add(put.snapshot());
            return;
        }
        flush();
        if (entry.isClear()) {
            side.at(writtenAt);
            side.snapshots().importSnapshot(new Snapshot(Snapshot.FORMAT, writtenAt, List.of()), ImportMode.REPLACE);
            return;
        }
        for (Change c : entry.changes()) {
            side.at(c.at());
            try {
                write(side.engine(), c);
            } catch (IllegalArgumentException | IllegalStateException e) {
                refused(c.getClass().getSimpleName() + " of worker '" + c.workerId() + "' at " + c.at(), e);
            }
        }
    }

    /** Imports the records held, if any: before anything else is replayed, and at the end. */
    void flush() {
        if (imported.isEmpty()) {
            return;
        }
        side.at(importedAt);
        try {
            side.snapshots().importSnapshot(new Snapshot(Snapshot.FORMAT, importedAt, imported), ImportMode.MERGE);
        } catch (IllegalArgumentException e) {
            refused("an import of " + imported.size() + " workers at " + importedAt, e);
        }
        imported.clear();
        importedAt = null;
    }

    /** The recorded write does not apply to this side's state: counted and reported, not fatal. */
    private void refused(String what, RuntimeException e) {
        if (refused++ == 0) {
            firstRefusal = what + ": " + e.getMessage();
        }
    }

    private static void write(WardenEngine engine, Change change) {
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
        } else {
            // a Put comes alone in its entry (see apply); a new kind of change must be taught to the replay
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
