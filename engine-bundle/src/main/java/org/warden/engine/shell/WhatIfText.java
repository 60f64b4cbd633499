package org.warden.engine.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfReport.Auctions;
import org.warden.api.whatif.WhatIfReport.BanDifference;
import org.warden.api.whatif.WhatIfReport.Distribution;
import org.warden.api.whatif.WhatIfReport.EligibilityChange;
import org.warden.api.whatif.WhatIfReport.ReputationMove;

/**
 * A {@link WhatIfReport} as {@code warden:whatif} prints it: a summary, then a table per kind of difference (a
 * section with nothing to show says "none" instead of an empty table). Reasons come from policies and are escaped
 * ({@link Printable}) before they reach the terminal.
 */
final class WhatIfText {

    private WhatIfText() {
    }

    static void print(WhatIfReport r, PrintStream out) {
        // the same policy with overrides is told apart from the one in force in every line that names both
        String candidate = r.overrides().isEmpty() || !r.policy().equals(r.livePolicy()) ? r.policy()
                : r.policy() + " (overridden)";
        String live = r.livePolicy();
        out.println("What-if " + r.policy() + overrides(r.overrides()) + " against " + live + " (the policy in force)");
        out.println("Window: " + WardenCommandSupport.instant(r.from()) + " to " + WardenCommandSupport.instant(r.to())
                + (r.historyComplete() ? " (history complete)"
                        : " (history not complete: workers' past before the window is not replayed)"));
        out.println("Replayed: " + r.entriesReplayed() + " entries, " + r.workers() + " workers");
        out.println(r.baselineMismatches() == 0
                ? "Baseline: the replay under " + live + " reproduces the live engine"
                : "Baseline: " + r.baselineMismatches() + " workers replayed under " + live
                        + " differ from the live engine: the comparison is approximate");

        // a blank line before each section: the tables follow one another
        out.println();
        bans(out, "Bans added (" + candidate + " bans, " + live + " does not)", r.bansAdded());
        out.println();
        bans(out, "Bans removed (" + live + " bans, " + candidate + " does not)", r.bansRemoved());
        out.println();
        eligibility(out, r.eligibilityChanges());
        out.println();
        movers(out, r.largestMovers());
        out.println();
        out.println(distribution(candidate, live, r.reputationShift()));
        out.println(auctions(candidate, r.auctions()));
        out.println("Pending bans: " + r.pendingBans() + " (automatic bans " + candidate
                + "'s ban budget holds back for an operator at the end)");
    }

    private static String overrides(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return "";
        }
        return overrides.entrySet().stream().map(e -> e.getKey() + "=" + Printable.of(e.getValue()))
                .collect(Collectors.joining(", ", " (with ", ")"));
    }

    private static void bans(PrintStream out, String title, List<BanDifference> bans) {
        if (bans.isEmpty()) {
            out.println(title + ": none");
            return;
        }
        out.println(title + ": " + bans.size());
        ShellTable table = new ShellTable();
        table.column("Worker");
        table.column("At");
        table.column("Reason");
        table.column("Automatic");
        for (BanDifference b : bans) {
            table.addRow().addContent(b.workerId(), WardenCommandSupport.instant(b.at()), Printable.escaped(b.reason()),
                    b.automatic() ? "yes" : "no");
        }
        table.print(out, true);
    }

    private static void eligibility(PrintStream out, List<EligibilityChange> changes) {
        String title = "Eligibility changes (at the end)";
        if (changes.isEmpty()) {
            out.println(title + ": none");
            return;
        }
        out.println(title + ": " + changes.size());
        ShellTable table = new ShellTable();
        table.column("Worker");
        table.column("Live");
        table.column("Live reason");
        table.column("Candidate");
        table.column("Candidate reason");
        for (EligibilityChange c : changes) {
            table.addRow().addContent(c.workerId(), eligible(c.liveEligible()), Printable.escaped(c.liveReason()),
                    eligible(c.candidateEligible()), Printable.escaped(c.candidateReason()));
        }
        table.print(out, true);
    }

    private static String eligible(boolean eligible) {
        return eligible ? "eligible" : "not eligible";
    }

    private static void movers(PrintStream out, List<ReputationMove> movers) {
        String title = "Largest reputation movers";
        if (movers.isEmpty()) {
            out.println(title + ": none");
            return;
        }
        out.println(title + ": " + movers.size());
        ShellTable table = new ShellTable();
        table.column("Worker");
        table.column("Live").alignRight();
        table.column("Candidate").alignRight();
        table.column("Shift").alignRight();
        for (ReputationMove m : movers) {
            table.addRow().addContent(m.workerId(), WardenCommandSupport.score(m.live()),
                    WardenCommandSupport.score(m.candidate()), shift(m.shift()));
        }
        table.print(out, true);
    }

    static String distribution(String candidate, String live, Distribution d) {
        String title = "Reputation shift (" + candidate + " minus " + live + ")";
        if (d == null || d.count() == 0) {
            return title + ": no worker";
        }
        return title + " over " + d.count() + " workers: mean " + shift(d.mean()) + ", min " + shift(d.min())
                + ", p10 " + shift(d.p10()) + ", median " + shift(d.median()) + ", p90 " + shift(d.p90())
                + ", max " + shift(d.max());
    }

    static String auctions(String candidate, Auctions a) {
        if (a == null || a.recorded() == 0) {
            return "Auctions: none recorded in the window";
        }
        return "Auctions: " + a.recorded() + " recorded; top choice differs in " + a.topChoiceDiffers() + " ("
                + String.format(Locale.ROOT, "%.1f", 100 * a.topChoiceDiffersShare()) + " %); no eligible bidder: "
                + a.noEligibleBidder() + " under " + candidate + ", " + a.noEligibleRecorded() + " recorded";
    }

    /** A signed score with three decimals: a shift reads as one. */
    private static String shift(double value) {
        return String.format(Locale.ROOT, "%+.3f", value);
    }
}
