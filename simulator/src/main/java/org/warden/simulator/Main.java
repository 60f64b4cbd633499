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
 * [--jobs N] [--out DIR] [--threads N]}: runs each scenario against each policy and prints a table per scenario;
 * with {@code --out}, writes {@code <scenario>.json} and {@code <scenario>.svg} there.
 */
public final class Main {
    static final String USAGE = "usage: java -jar simulator.jar SCENARIO.json... [--policies "
            + "default,strict,bayesian,random,lowest-bid,oracle] [--jobs N] [--out DIR] [--threads N]";

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
        Path outDir = null;
        int threads = Runtime.getRuntime().availableProcessors();
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
                    case "--threads" -> threads = positive(value(args, ++i, a), a);
                    case "--out" -> outDir = Path.of(value(args, ++i, a));
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
        } catch (IllegalArgumentException e) {
            err.println("simulator: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<Scenario> scenarios = new ArrayList<>();
        try {
            for (Path f : files) {
                Scenario s = ScenarioParser.parse(f);
                scenarios.add(jobs == null ? s : s.withJobs(jobs));
            }
        } catch (ScenarioException e) {
            err.println("simulator: " + e.getMessage());
            return 2;
        }
        try {
            for (Scenario s : scenarios) {
                long t0 = System.nanoTime();
                List<PolicyResult> results = Simulation.runAll(s, strategies, threads);
                double secs = (System.nanoTime() - t0) / 1e9;
                out.println(Report.table(s, results));
                out.printf(Locale.ROOT, "(%s: %d policies in %.1f s on %d threads)%n%n", s.name(), strategies.size(),
                        secs, threads);
                if (outDir != null) {
                    Report.writeJson(outDir.resolve(s.name() + ".json"), s, results);
                    Files.writeString(outDir.resolve(s.name() + ".svg"), Report.svg(s, results));
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
