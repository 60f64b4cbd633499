package org.warden.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.warden.simulator.model.Scenario;
import org.warden.simulator.model.ScenarioException;
import org.warden.simulator.model.ScenarioParser;

/**
 * {@code java -jar simulator.jar SCENARIO.json... [--policies default,strict,bayesian,random,lowest-bid,oracle]
 * [--jobs N] [--seeds 1,2,3] [--out DIR] [--threads N] [--whatif]}: runs each scenario against each policy (on each
 * seed) and prints a table per scenario; with {@code --out}, writes {@code <scenario>.json} and {@code <scenario>.svg}
 * there. With {@code --whatif} (Warden policies only), also records each run under the first policy and replays it
 * under each other one ({@link WhatIf}): a second table, and the "whatif" key of the JSON.
 */
public final class Main {
    static final String USAGE = "usage: java -jar simulator.jar SCENARIO.json... [--policies "
            + "default,strict,bayesian,random,lowest-bid,oracle] [--jobs N] [--seeds 1,2,3] [--out DIR] [--threads N]"
            + " [--whatif]";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command without {@code System.exit}; returns the exit status (0 ok, 1 failed run, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        List<Strategy> strategies = Strategy.ALL;
        Integer jobs = null;
        List<Long> seeds = List.of();
        Path outDir = null;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean whatif = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--policies" -> {
                        strategies = new ArrayList<>();
                        for (String p : value(args, ++i, a).split(",")) {
                            if (!p.isBlank()) {
                                Strategy s = Strategy.parse(p);
                                if (!strategies.contains(s)) {
                                    strategies.add(s);
                                }
                            }
                        }
                        if (strategies.isEmpty()) {
                            throw new IllegalArgumentException("--policies names no policy");
                        }
                    }
                    case "--jobs" -> jobs = positive(value(args, ++i, a), a);
                    case "--seeds" -> seeds = seeds(value(args, ++i, a));
                    case "--threads" -> threads = positive(value(args, ++i, a), a);
                    case "--out" -> outDir = Path.of(value(args, ++i, a));
                    case "--whatif" -> whatif = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        files.add(Path.of(a));
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no scenario file given");
            }
            if (whatif) {
                WhatIf.check(strategies);
            }
        } catch (IllegalArgumentException e) {
            err.println("simulator: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<Scenario> scenarios = new ArrayList<>();
        try {
            for (Path f : files) {
                scenarios.add(ScenarioParser.parse(f));
            }
        } catch (ScenarioException e) {
            err.println("simulator: " + e.getMessage());
            return 2;
        }
        try {
            for (Scenario s : scenarios) {
                ExperimentResult x = Experiment.run(s, strategies, seeds, jobs, threads);
                out.println(MarkdownReport.table(x));
                int runs = x.summaries().size() * x.seeds().size();
                out.printf(Locale.ROOT, "(%s: %d runs (%d policies × %d seeds) in %.1f s on %d threads)%n%n", s.name(),
                        runs, x.summaries().size(), x.seeds().size(), x.seconds(), threads);
                WhatIf.Result w = null;
                if (whatif) {
                    w = WhatIf.run(s, strategies, seeds, jobs, threads);
                    out.println(WhatIfMarkdown.table(w));
                }
                if (outDir != null) {
                    Files.createDirectories(outDir);
                    JsonReport.write(outDir.resolve(s.name() + ".json"), x, w);
                    Files.writeString(outDir.resolve(s.name() + ".svg"), SvgChart.svg(x));
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("simulator: " + e);
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** A comma-separated list of distinct integers (each may be negative: any long is a seed). */
    static List<Long> seeds(String v) {
        List<Long> out = new ArrayList<>();
        for (String p : v.split(",")) {
            if (p.isBlank()) {
                continue;
            }
            try {
                long seed = Long.parseLong(p.trim());
                if (out.contains(seed)) {
                    throw new IllegalArgumentException("--seeds names seed " + seed + " twice");
                }
                out.add(seed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds must be integers separated by commas, was '" + v + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--seeds names no seed");
        }
        return out;
    }

    private static int positive(String v, String option) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive integer, was '" + v + "'");
        }
    }
}
