package org.warden.simulator;

import java.util.Locale;

/** The Markdown table of a {@code --whatif} run: one line per seed and candidate. */
final class WhatIfMarkdown {

    private WhatIfMarkdown() {
    }

    static String table(WhatIf.Result x) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "#### what-if on %s (%,d jobs): recorded under %s, replayed under each other"
                + " policy%n%n", x.scenario().name(), x.scenario().jobs(), x.recorded().cliName()));
        sb.append("| seed | candidate | entries | bans added (honest / adversaries) | bans removed (honest / adversaries)"
                + " | eligibility changes | reputation shift mean (p10 / p90) | auctions | top choice differs"
                + " | no eligible bidder (candidate / recorded) | pending bans | baseline mismatches |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (WhatIf.Row r : x.rows()) {
            sb.append(String.format(Locale.ROOT,
                    "| %d | %s | %,d | %s (%d / %d) | %s (%d / %d) | %s | %+.3f (%+.3f / %+.3f) | %,d | %.1f %% "
                            + "| %,d / %,d | %d | %d |%n",
                    r.seed(), r.candidate(), r.entriesReplayed(), listed(r.bansAdded()), r.addedHonest(),
                    r.addedAdversaries(), listed(r.bansRemoved()), r.removedHonest(), r.removedAdversaries(),
                    listed(r.eligibilityChanges()), r.shiftMean(), r.shiftP10(), r.shiftP90(), r.auctions(),
                    100 * r.topChoiceDiffersShare(), r.noEligibleCandidate(), r.noEligibleRecorded(), r.pendingBans(),
                    r.baselineMismatches()));
        }
        return sb.toString();
    }

    /** A count from a report's bounded list: at the bound, there may be more. */
    private static String listed(int n) {
        return n >= org.warden.api.whatif.WhatIfReport.LISTED ? "≥ " + n : String.valueOf(n);
    }
}
