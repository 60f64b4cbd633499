package org.warden.engine.whatif;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.policy.ConfigurablePolicy;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.state.History;
import org.warden.engine.state.JournalEntry;

/**
 * Replays a history into two isolated engines in one pass, the baseline (the policy in force, as configured) and the
 * candidate (another policy, or the same with configuration overrides), and reports what the candidate would have
 * done differently. Plain Java, on the caller's thread: the what-if service in OSGi, the simulator and tests run it.
 *
 * <p>Memory is bounded whatever the history's length: the entries are streamed, each side keeps one record per worker
 * (as any engine does), and the report's lists are bounded. The live engine is only read, at the end, to count the
 * baseline's mismatches.
 */
public final class WhatIfRunner {

    private static final Logger LOG = LoggerFactory.getLogger(WhatIfRunner.class);
    /** Progress is told every so many entries. */
    static final int PROGRESS_EVERY = 4096;
    /** The thread's interrupt is looked at every so many entries. */
    static final int CANCEL_CHECK_EVERY = 256;

    /**
     * A policy to replay under.
     *
     * @param name       its {@code warden.policy.name}
     * @param policy     the policy service; {@code null} for the engine's built-in fallback (none was installed)
     * @param properties its service properties (the name among them or not: it is set from {@code name})
     */
    public record Side(String name, WardenPolicy policy, Map<String, ?> properties) {
        public Side {
            Objects.requireNonNull(name, "name");
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }

    private final EngineSettings settings;

    /** @param settings the engine settings both sides run with: the live engine's */
    public WhatIfRunner(EngineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Replays every entry of {@code history} written at or after {@code since}.
     *
     * @param overrides configuration keys and values for the candidate (through {@link ConfigurablePolicy}); empty for
     *                  none
     * @param live      the engine the history was recorded by, for {@link WhatIfReport#baselineMismatches()};
     *                  {@code null} for none (then 0)
     * @param progress  told how far the replay is every {@value #PROGRESS_EVERY} entries and at the end
     * @throws IllegalArgumentException naming the key, if the candidate refuses an override, or if it takes none
     * @throws IllegalStateException    from the history, if what is asked for is not retained
     * @throws CancellationException    if the calling thread is interrupted (its interrupt status is cleared)
     */
    public WhatIfReport run(History history, Instant since, Side baseline, Side candidate,
            Map<String, String> overrides, WardenEngine live, WhatIfProgress progress) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        Map<String, String> given = overrides == null ? Map.of() : Map.copyOf(overrides);
        WhatIfProgress told = progress == null ? WhatIfProgress.NONE : progress;
        WardenPolicy candidatePolicy = configured(candidate, given);
        Optional<History.Retained> retained = history.retained();
        long total = retained.map(History.Retained::entries).orElse(-1L);

        BanDifferences bans = new BanDifferences();
        ReplaySide base = new ReplaySide(baseline.name(), baseline.policy(), baseline.properties(), settings, since,
                bans::baseline);
        ReplaySide cand = new ReplaySide(candidate.name(), candidatePolicy, candidate.properties(), settings, since,
                bans::candidate);
        Pass pass = new Pass(base, cand, told, total);
        history.read(since, pass::visit);
        pass.flush();
        told.replayed(pass.done, total);

        Instant from = pass.first == null ? since : pass.first;
        Instant to = pass.last == null ? since : pass.last;
        // the end is judged at the live engine's now, where the baseline is compared with it; else at the last entry
        Instant end = live == null ? to : later(to, live.book().clock().instant());
        EndComparison.Result result = EndComparison.compare(base, cand, end);
        long mismatches = live == null ? 0 : BaselineCheck.mismatches(base, live, end);
        boolean complete = retained.map(r -> r.fromStart() && !since.isAfter(r.since())).orElse(false);
        log(candidate.name(), pass, bans, result, mismatches);
        return new WhatIfReport(candidate.name(), given, baseline.name(), from, to, complete, pass.done,
                result.workers(), bans.added(), bans.removed(), result.eligibilityChanges(), result.reputationShift(),
                result.largestMovers(), pass.auctions.candidate(), (int) Math.min(Integer.MAX_VALUE,
                        cand.engine().book().pendingBanCount()), mismatches);
    }

    /** The candidate's policy with the overrides put over its configuration; refused naming the key. */
    private static WardenPolicy configured(Side candidate, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return candidate.policy();
        }
        if (candidate.policy() instanceof ConfigurablePolicy configurable) {
            return Objects.requireNonNull(configurable.withOverrides(overrides),
                    () -> "policy " + candidate.name() + " built no policy for the overrides " + overrides);
        }
        throw new IllegalArgumentException("policy " + candidate.name() + " takes no overrides");
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void log(String candidate, Pass pass, BanDifferences bans, EndComparison.Result result,
            long mismatches) {
        LOG.info("What-if under {}: {} entries replayed, {} workers; {} bans added, {} removed, {} eligibility changes; "
                + "baseline: {} mismatches with the live engine, {} auctions ranked otherwise than recorded",
                candidate, pass.done, result.workers(), bans.addedCount(), bans.removedCount(),
                result.eligibilityChanged(), mismatches, pass.auctions.baselineDiffers());
        if (pass.baselineWrites.refused() + pass.candidateWrites.refused() > 0) {
            LOG.info("What-if under {}: writes the replay engines refused: {} (baseline), {} (candidate); the first: {}",
                    candidate, pass.baselineWrites.refused(), pass.candidateWrites.refused(),
                    pass.baselineWrites.firstRefusal() != null ? pass.baselineWrites.firstRefusal()
                            : pass.candidateWrites.firstRefusal());
        }
    }

    /** One pass over the history: every entry into both sides, in order. */
    private static final class Pass {
        final ReplaySide baseline;
        final ReplaySide candidate;
        final WhatIfProgress progress;
        final long total;
        final ChangeReplay baselineWrites;
        final ChangeReplay candidateWrites;
        final AuctionReplay auctions = new AuctionReplay();
        long done;
        Instant first;
        Instant last;

        Pass(ReplaySide baseline, ReplaySide candidate, WhatIfProgress progress, long total) {
            this.baseline = baseline;
            this.candidate = candidate;
            this.progress = progress;
            this.total = total;
            this.baselineWrites = new ChangeReplay(baseline);
            this.candidateWrites = new ChangeReplay(candidate);
        }

        /** Imports the records of an import still held by either side. */
        void flush() {
            baselineWrites.flush();
            candidateWrites.flush();
        }

        boolean visit(JournalEntry entry, Instant writtenAt) {
            if (done % CANCEL_CHECK_EVERY == 0 && Thread.interrupted()) {
                throw new CancellationException("what-if replay cancelled after " + done + " entries");
            }
            if (first == null) {
                first = writtenAt;
            }
            last = writtenAt;
            if (entry.isAuction()) {
                flush(); // an auction ranks against every import before it
                auctions.replay(entry.auction(), baseline, candidate);
            } else {
                baselineWrites.apply(entry, writtenAt);
                candidateWrites.apply(entry, writtenAt);
            }
            done++;
            if (done % PROGRESS_EVERY == 0) {
                progress.replayed(done, total);
            }
            return true;
        }
    }
}
