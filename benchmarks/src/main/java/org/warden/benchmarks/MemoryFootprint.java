package org.warden.benchmarks;

import org.warden.api.PenaltyType;
import org.warden.engine.WardenEngine;

/**
 * Goal 4: memory per tracked worker at 1,000,000 workers with a typical history (a health report, 20 outcomes
 * with quality and estimate, 2 penalties), measured as the heap difference after full GCs. Goal: at most 512 bytes.
 * Run: {@code java -Xmx8g -cp benchmarks/target/benchmarks.jar org.warden.benchmarks.MemoryFootprint [workers]
 * [--no-penalties]}.
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean penalties = args.length <= 1 || !"--no-penalties".equals(args[1]);
        WardenEngine engine = Workload.engine();
        long before = usedAfterGc();
        // the worker ids (about 56 bytes each) are held by the engine's map: they count as the worker's memory
        Workload.populate(engine, workers, 20);
        for (int i = 0; penalties && i < workers; i++) {
            String id = Workload.id(i);
            engine.applyPenalty(id, PenaltyType.JOB_TIMEOUT, 0.3, "late", null);
            engine.applyPenalty(id, PenaltyType.POOR_PERFORMANCE, 0.2, "slow", null);
        }
        long after = usedAfterGc();
        System.out.printf("penalties=%s workers=%d heap before=%d MB after=%d MB bytes/worker=%.0f (engine alive: %d workers)%n",
                penalties ? 2 : 0, workers, before >> 20, after >> 20, (double) (after - before) / workers, engine.workerIds().size());
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
