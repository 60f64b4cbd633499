package org.warden.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.warden.simulator.model.Scenario;

/** The table, the JSON and the SVG chart of one scenario's results. */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2"};

    private Report() {
    }

    /** A Markdown table (readable as plain text too). */
    public static String table(Scenario scenario, List<PolicyResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### %s (%,d jobs, %d workers, seed %d)%n%n", scenario.name(),
                results.isEmpty() ? scenario.jobs() : results.get(0).jobs(), scenario.workerCount(), scenario.seed()));
        sb.append("| policy | success | vs oracle | unassigned | lost to adversaries | bad jobs/adversary before ban"
                + " (median / max) | adversaries banned | adversaries excluded at end | honest banned | jobs to honest newcomers |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PolicyResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %,d | %,d | %s / %,d | %d / %d | %d | %.1f %% | %.2f %% |%n",
                    r.policy(), 100 * r.successRate(), 100 * r.shareOfOracle(), r.unassigned(), r.lostToAdversaries(),
                    fmt(r.badJobsBeforeBanMedian()), r.badJobsBeforeBanMax(), r.adversariesBanned(),
                    r.adversaryIdentities(), r.adversariesExcluded(), 100 * r.honestBannedShare(), 100 * r.honestNewcomerShare()));
        }
        return sb.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%,d", (long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    public static void writeJson(Path file, Scenario scenario, List<PolicyResult> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", scenario.name());
        doc.put("description", scenario.description());
        doc.put("seed", scenario.seed());
        doc.put("jobs", results.isEmpty() ? scenario.jobs() : results.get(0).jobs());
        doc.put("workers", scenario.workerCount());
        doc.put("results", results);
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), doc);
    }

    /** A line chart of the success rate per block of 1,000 jobs, one line per policy. */
    public static String svg(Scenario scenario, List<PolicyResult> results) {
        int w = 900;
        int h = 420;
        int left = 60;
        int right = 150;
        int top = 40;
        int bottom = 50;
        int pw = w - left - right;
        int ph = h - top - bottom;
        int blocks = results.stream().mapToInt(r -> r.successPerThousand().size()).max().orElse(1);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s: success rate per 1,000 jobs</text>%n",
                left, esc(scenario.name())));
        for (int i = 0; i <= 10; i += 2) {
            double y = top + ph - ph * i / 10.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d %%</text>%n", left, y, left + pw, y, left - 6,
                    y + 4, i * 10));
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                left, top + ph, left + pw, top + ph));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">jobs (thousands)</text>%n",
                left + pw / 2, h - 12));
        int step = Math.max(1, blocks / 10);
        for (int b = 0; b <= blocks; b += step) {
            double x = left + (blocks == 0 ? 0 : (double) pw * b / blocks);
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, top + ph + 18, b));
        }
        for (int i = 0; i < results.size(); i++) {
            PolicyResult r = results.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            List<Double> s = r.successPerThousand();
            for (int b = 0; b < s.size(); b++) {
                double x = left + pw * (b + 0.5) / blocks;
                double y = top + ph - ph * s.get(b);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" "
                    + "points=\"%s\"/>%n", colour, pts.toString().trim()));
            int ly = top + 10 + 18 * i;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>%n", left + pw + 10, ly, left + pw + 30, ly,
                    colour, left + pw + 36, ly + 4, esc(r.policy())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
