package org.warden.simulator;

import java.util.List;
import java.util.Locale;

import org.warden.simulator.model.Scenario;

/** The SVG chart of one experiment. */
public final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2"};

    private SvgChart() {
    }

    /** A line chart of the success rate per block of 1,000 jobs (mean over the seeds), one line per policy. */
    public static String svg(ExperimentResult experiment) {
        Scenario scenario = experiment.scenario();
        List<PolicySummary> results = experiment.requestedSummaries();
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
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s: success rate per 1,000 jobs%s</text>%n",
                left, esc(scenario.name()), experiment.seeds().size() > 1 ? " (mean of " + experiment.seeds().size() + " seeds)" : ""));
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
            PolicySummary r = results.get(i);
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
