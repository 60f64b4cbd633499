package org.warden.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.WorkerHealth;

/**
 * {@code warden:workers}: its filters and sort orders on a small set of workers (exact lists), then its speed on
 * 100,000 workers. Methods run in name order (the small set first, alone in the container; then the 100,000 are
 * added).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ShellWorkersIT extends ShellTestSupport {

    /** Generous, for a noisy 2-core CI machine: the measured figure is printed on the test output. */
    private static final long BOUND_MS = 5_000;
    private static final int MANY = 100_000;

    private ReputationService reputation;
    private HealthService health;
    private PenaltyService penalties;

    @Before
    public void findServicesAndCommands() {
        reputation = getService(ReputationService.class);
        health = getService(HealthService.class);
        penalties = getService(PenaltyService.class);
        awaitCommands("workers");
    }

    @Test
    public void filtersAndSortsASmallSetExactly() throws Exception {
        // a: fit, 5 good jobs; b: fair, 2 good 2 failed; c: sick, 1 job; d: fit, no job (new);
        // e: fit, 3 jobs, banned; f: no health report, 6 failed jobs
        health.reportHealth("w-a", Fixtures.FIT);
        health.reportHealth("w-b", Fixtures.FAIR);
        health.reportHealth("w-c", Fixtures.SICK);
        health.reportHealth("w-d", Fixtures.FIT);
        health.reportHealth("w-e", Fixtures.FIT);
        outcomes("w-a", 5, 0);
        outcomes("w-b", 2, 2);
        outcomes("w-c", 1, 0);
        outcomes("w-e", 3, 0);
        outcomes("w-f", 0, 6);
        penalties.ban("w-e", "small set", null);
        List<String> ids = List.of("w-a", "w-b", "w-c", "w-d", "w-e", "w-f");
        assertEquals(ids, reputation.workerIds().stream().sorted().toList());

        assertEquals(ids, firstCells(ok("warden:workers --no-format", VIEWER)));
        assertEquals(ids, firstCells(ok("warden:workers --sort id --no-format", VIEWER)));
        assertEquals(List.of("w-f", "w-a", "w-b", "w-e", "w-c", "w-d"), firstCells(ok("warden:workers --sort jobs --no-format", VIEWER)));
        assertEquals(List.of("w-f", "w-a"), firstCells(ok("warden:workers --sort jobs --limit 2 --no-format", VIEWER)));
        assertEquals(List.of(), firstCells(ok("warden:workers --limit 0 --no-format", VIEWER)));

        // rep and health: best first, ties by id; the expected order from the services' scores
        List<String> byRep = expectedOrder(ids, id -> reputation.reputation(id).orElseThrow().score());
        List<String> byHealth = expectedOrder(ids, id -> health.health(id).map(WorkerHealth::score).orElse(-1.0));
        assertNotEquals("the scores must order the set differently from the ids", ids, byRep);
        assertNotEquals("the scores must order the set differently from the ids", ids, byHealth);
        assertEquals("w-f", byRep.get(ids.size() - 1)); // six failures: the worst reputation
        assertEquals(byRep, firstCells(ok("warden:workers --sort rep --no-format", VIEWER)));
        assertEquals(byHealth, firstCells(ok("warden:workers --sort health --no-format", VIEWER)));
        assertEquals(byRep.subList(0, 3), firstCells(ok("warden:workers --sort rep --limit 3 --no-format", VIEWER)));

        // filters
        assertEquals(List.of("w-e"), firstCells(ok("warden:workers --banned --no-format", VIEWER)));
        assertEquals(List.of("w-c", "w-f"), firstCells(ok("warden:workers --unhealthy --no-format", VIEWER)));
        List<String> eligible = ids.stream().filter(reputation::isEligible).toList();
        assertTrue("a fit worker with five good jobs is eligible", eligible.contains("w-a"));
        assertTrue(!eligible.contains("w-c") && !eligible.contains("w-e") && !eligible.contains("w-f"));
        assertEquals(eligible, firstCells(ok("warden:workers --eligible --no-format", VIEWER)));
        double min = reputation.reputation("w-b").orElseThrow().score();
        List<String> atLeast = byRep.stream().filter(id -> reputation.reputation(id).orElseThrow().score() >= min).toList();
        assertTrue(atLeast.size() > 1 && atLeast.size() < ids.size());
        // a threshold a hair below w-b's score, as typed (three decimals, rounded down)
        String typed = String.format(Locale.ROOT, "%.3f", Math.floor(min * 1000) / 1000);
        List<String> expected = byRep.stream()
                .filter(id -> reputation.reputation(id).orElseThrow().score() >= Double.parseDouble(typed)).toList();
        assertEquals(expected, firstCells(ok("warden:workers --sort rep --min-rep " + typed + " --no-format", VIEWER)));
        assertEquals(List.of("w-a"), firstCells(ok("warden:workers --eligible --sort jobs --limit 1 --no-format", VIEWER)));

        // the state column
        String all = ok("warden:workers --no-format", VIEWER);
        assertEquals("active", row(all, "w-a").orElseThrow()[1]);
        assertEquals("unhealthy", row(all, "w-c").orElseThrow()[1]);
        assertEquals("new", row(all, "w-d").orElseThrow()[1]);
        assertEquals("banned", row(all, "w-e").orElseThrow()[1]);
        ok("warden:workers --sort rep", VIEWER); // the formatted table, for the transcript
    }

    @Test
    public void listsTheTopOf100000WorkersQuickly() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < MANY; i++) {
            String id = String.format(Locale.ROOT, "scale-%06d", i);
            health.reportHealth(id, i % 7 == 0 ? Fixtures.FAIR : Fixtures.FIT);
            if (i % 10 == 0) {
                reputation.recordOutcome(id, i % 20 == 0, 1_000 + i % 1_000, BigInteger.valueOf(i), 0.5 + (i % 50) / 100.0);
            }
        }
        long registerMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(reputation.workerIds().size() >= MANY);
        System.out.println("warden:workers scale: registered " + MANY + " workers (one health report each, an outcome for"
                + " every 10th) in " + registerMs + " ms");

        String command = "warden:workers --limit 20 --sort rep --no-format";
        List<Long> times = new ArrayList<>();
        String out = null;
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            Result result = execute(command, VIEWER);
            times.add((System.nanoTime() - t0) / 1_000_000);
            assertEquals("", result.err());
            out = result.out();
        }
        System.out.println("warden:workers scale: '" + command + "' on " + reputation.workerIds().size()
                + " workers took " + times + " ms (3 runs, through the shell as viewer)");
        List<String[]> rows = rows(out);
        assertEquals(20, rows.size());
        double previous = Double.MAX_VALUE;
        for (String[] row : rows) {
            double rep = Double.parseDouble(row[3]);
            assertTrue("sorted by reputation, best first", rep <= previous);
            previous = rep;
        }
        double best = reputation.workerIds().stream()
                .mapToDouble(id -> reputation.reputation(id).orElseThrow().score()).max().orElseThrow();
        assertEquals(best, Double.parseDouble(rows.get(0)[3]), 0.0015);
        assertTrue("warden:workers --limit 20 took " + times + " ms, bound " + BOUND_MS,
                times.stream().allMatch(t -> t < BOUND_MS));

        // the other sorts and the whole list, measured for the record (bounded generously)
        for (String other : List.of("warden:workers --limit 20 --sort health --no-format",
                "warden:workers --limit 20 --sort jobs --no-format", "warden:workers --limit 20 --no-format",
                "warden:workers --eligible --limit 20 --sort rep --no-format",
                "warden:workers --no-format", "warden:network --no-format")) {
            long t0 = System.nanoTime();
            Result result = execute(other, VIEWER);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("", result.err());
            System.out.println("warden:workers scale: '" + other + "' took " + ms + " ms, " + rows(result.out()).size() + " rows");
            assertTrue(other + " took " + ms + " ms", ms < 6 * BOUND_MS);
        }
        ok("warden:workers --limit 5 --sort rep", VIEWER); // the formatted table, for the transcript
    }

    private void outcomes(String worker, int good, int failed) {
        for (int i = 0; i < good; i++) {
            reputation.recordOutcome(worker, true, 1_000, BigInteger.valueOf(100), 0.9);
        }
        for (int i = 0; i < failed; i++) {
            reputation.recordOutcome(worker, false, 5_000, BigInteger.ZERO, null);
        }
    }

    /** Best first, ties by id: what --sort rep / health promise. */
    private static List<String> expectedOrder(List<String> ids, ToDoubleFunction<String> score) {
        return ids.stream().sorted(Comparator.comparingDouble(score).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }
}
