package org.warden.simulator;

import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.warden.simulator.model.Scenario;

/**
 * The Markdown table of one experiment (readable as plain text too). Each cell is the mean over the seeds; with
 * more than one seed, the range over the seeds follows in brackets (min–max).
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String table(ExperimentResult x) {
        Scenario s = x.scenario();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### %s (%,d jobs, %d workers, seed%s %s)%n%n", s.name(), s.jobs(),
                s.workerCount(), x.seeds().size() > 1 ? "s" : "",
                x.seeds().stream().map(String::valueOf).collect(Collectors.joining(", "))));
        sb.append(String.format(Locale.ROOT, "Yardstick: random %s, oracle %s.%s%n%n",
                pct(x.summary(Strategy.RANDOM).success()), pct(x.summary(Strategy.ORACLE).success()),
                x.seeds().size() > 1 ? " Cells: mean over the seeds (min–max)." : ""));
        StringBuilder head = new StringBuilder("| policy | gap closed | success | first half | last 10 %");
        StringBuilder rule = new StringBuilder("|---|---:|---:|---:|---:");
        for (Scenario.Event e : s.events()) {
            head.append(" | in ").append(e.label());
            rule.append("|---:");
        }
        head.append(" | lost to adversaries (share of jobs) | ban precision | honest banned | unassigned"
                + " | unassigned with honest bidder | adversaries banned | bad jobs/adversary before ban (median / max)"
                + " | jobs to honest newcomers |\n");
        rule.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        sb.append(head).append(rule);
        for (PolicySummary p : x.requestedSummaries()) {
            sb.append("| ").append(p.policy()).append(" | ").append(pct(p.gapClosed()))
                    .append(" | ").append(pct(p.success())).append(" | ").append(pct(p.successFirstHalf()))
                    .append(" | ").append(pct(p.successLast10()));
            for (Spread e : p.successInEvents()) {
                sb.append(" | ").append(pct(e));
            }
            sb.append(" | ").append(pct2(p.lostShare())).append(" | ").append(pct(p.banPrecision()))
                    .append(" | ").append(pct(p.honestBannedShare())).append(" | ").append(count(p.unassigned()))
                    .append(" | ").append(count(p.unassignedWithHonestBidder()))
                    .append(" | ").append(count(p.adversariesBanned())).append(" / ")
                    .append(number(p.adversaryIdentities().mean()))
                    .append(" | ").append(number(p.badJobsBeforeBanMedian().mean())).append(" / ")
                    .append(number(p.badJobsBeforeBanMax().mean()))
                    .append(" | ").append(pct2(p.honestNewcomerShare())).append(" |\n");
        }
        return sb.toString();
    }

    /** A share as a percentage with one decimal: {@code 95.3 %} or {@code 95.3 % (94.1–96.0)}; "n/a" if undefined. */
    static String pct(Spread s) {
        return cell(s, v -> String.format(Locale.ROOT, "%.1f", 100 * v), " %");
    }

    /** The same with two decimals, for small shares (jobs lost, newcomers). */
    static String pct2(Spread s) {
        return cell(s, v -> String.format(Locale.ROOT, "%.2f", 100 * v), " %");
    }

    static String count(Spread s) {
        return cell(s, MarkdownReport::number, "");
    }

    private static String cell(Spread s, Function<Double, String> f, String unit) {
        if (s.defined() == 0) {
            return "n/a";
        }
        String mean = f.apply(s.mean()) + unit;
        return s.defined() == 1 || s.min() == s.max() ? mean : mean + " (" + f.apply(s.min()) + "–" + f.apply(s.max()) + ")";
    }

    /** Whole numbers with thousands separators, others with one decimal. */
    static String number(double d) {
        return Double.isNaN(d) ? "n/a" : d == Math.rint(d) ? String.format(Locale.ROOT, "%,d", (long) d)
                : String.format(Locale.ROOT, "%,.1f", d);
    }
}
