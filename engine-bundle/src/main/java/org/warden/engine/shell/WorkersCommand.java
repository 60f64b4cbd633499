package org.warden.engine.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.HealthService;
import org.warden.api.ReputationService;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;

/**
 * Lists workers. Made for 100,000 of them: each worker is read once through the services (its reputation, its
 * health only when shown or filtered on), the filters apply as it is read, and with {@code --limit n} only the
 * best {@code n} are kept (a bounded heap, no sort of the whole list), so the table holds {@code n} rows.
 */
@Command(scope = "warden", name = "workers", description = "Lists the workers Warden knows, with their state, scores and record.")
@Service
public class WorkersCommand extends WardenCommandSupport {

    @Option(name = "--banned", aliases = "-b", description = "Only the workers under a ban")
    boolean banned;

    @Option(name = "--eligible", aliases = "-e", description = "Only the workers eligible for jobs")
    boolean eligible;

    @Option(name = "--unhealthy", aliases = "-u", description = "Only the workers that are not healthy (inactive, or below the policy's health threshold)")
    boolean unhealthy;

    @Option(name = "--min-rep", aliases = "-r", description = "Only the workers whose reputation is at least this, in [0, 1]")
    String minRep;

    @Option(name = "--sort", aliases = "-s", description = "Sort by rep (reputation, best first), health (best first), jobs (most first) or id (the default); ties by id")
    @Completion(value = StringsCompleter.class, values = { "rep", "health", "jobs", "id" })
    String sort = "id";

    @Option(name = "--limit", aliases = "-l", description = "Show at most this many workers (the first ones in the sort order); all when absent")
    String limit;

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON: a list of {workerId, state, reputation, health} (the API's WorkerReputation and WorkerHealth)")
    boolean json;

    @Reference
    private ReputationService reputation;

    @Reference
    private HealthService health;

    /** One worker's line, read once; its health is read only if needed to filter or sort, else once kept. */
    record Line(String id, WorkerReputation rep, WorkerHealth health) {
        long jobs() {
            return rep.jobsCompleted() + rep.jobsFailed();
        }

        double healthScore() {
            return health == null ? -1 : health.score();
        }

        String state() {
            return WorkersCommand.state(rep, health);
        }
    }

    @Override
    protected Object doExecute() throws Exception {
        Comparator<Line> order = order(sort);
        Double minReputation = unitOption("min-rep", minRep);
        Integer max = countOption("limit", limit);
        boolean byId = "id".equalsIgnoreCase(sort);
        boolean healthFirst = unhealthy || "health".equalsIgnoreCase(sort);

        List<String> ids = reputation.workerIds();
        if (byId && max != null) {
            // sorted ids first: then only the first `max` workers that pass the filters are read at all
            ids = new ArrayList<>(ids);
            ids.sort(null);
        }
        // With a limit, keep the best `max` lines in a heap whose head is the worst kept.
        PriorityQueue<Line> best = max == null ? null : new PriorityQueue<>(Math.min(max, 1024) + 1, order.reversed());
        List<Line> all = max == null ? new ArrayList<>() : null;
        for (String id : ids) {
            if (byId && max != null && best.size() >= max) {
                break;
            }
            Optional<WorkerReputation> r = reputation.reputation(id);
            if (r.isEmpty()) {
                continue; // gone since workerIds()
            }
            WorkerReputation rep = r.get();
            if (banned && !rep.banned() || minReputation != null && rep.score() < minReputation) {
                continue;
            }
            WorkerHealth h = healthFirst ? health.health(id).orElse(null) : null;
            if (unhealthy && h != null && h.healthy() || eligible && !reputation.isEligible(id)) {
                continue;
            }
            Line line = new Line(id, rep, h);
            if (all != null) {
                all.add(line);
            } else if (max > 0) {
                if (best.size() < max) {
                    best.add(line);
                } else if (order.compare(line, best.peek()) < 0) {
                    best.poll();
                    best.add(line);
                }
            }
        }
        List<Line> lines = all != null ? all : new ArrayList<>(best);
        lines.sort(order);
        if (!healthFirst) {
            lines.replaceAll(l -> new Line(l.id(), l.rep(), health.health(l.id()).orElse(null)));
        }

        if (json) {
            List<Map<String, Object>> out = new ArrayList<>(lines.size());
            for (Line l : lines) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("workerId", l.id());
                m.put("state", l.state());
                m.put("reputation", l.rep());
                m.put("health", l.health());
                out.add(m);
            }
            printJson(out);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("State");
        table.column("Health").alignRight();
        table.column("Reputation").alignRight();
        table.column("Jobs done").alignRight();
        table.column("Jobs failed").alignRight();
        table.column("Penalties").alignRight();
        for (Line l : lines) {
            table.addRow().addContent(l.id(), l.state(), l.health() == null ? "-" : score(l.health().score()),
                    score(l.rep().score()), l.rep().jobsCompleted(), l.rep().jobsFailed(), l.rep().penaltyCount());
        }
        table.print(System.out, !noFormat);
        return null;
    }

    static Comparator<Line> order(String sort) {
        Comparator<Line> byId = Comparator.comparing(Line::id);
        return switch (sort == null ? "" : sort.toLowerCase(Locale.ROOT)) {
            case "id" -> byId;
            case "rep" -> Comparator.comparingDouble((Line l) -> l.rep().score()).reversed().thenComparing(byId);
            case "health" -> Comparator.comparingDouble(Line::healthScore).reversed().thenComparing(byId);
            case "jobs" -> Comparator.comparingLong(Line::jobs).reversed().thenComparing(byId);
            default -> throw new IllegalArgumentException("sort must be one of rep, health, jobs, id, was " + sort);
        };
    }

    /**
     * banned (a ban in force); inactive (not heard from within the activity window, or never reported health);
     * unhealthy (active, health below the policy's threshold); new (healthy, no job judged yet); active.
     */
    static String state(WorkerReputation rep, WorkerHealth health) {
        if (rep.banned()) {
            return "banned";
        }
        if (health == null || !health.active()) {
            return "inactive";
        }
        if (!health.healthy()) {
            return "unhealthy";
        }
        return rep.jobsCompleted() + rep.jobsFailed() == 0 ? "new" : "active";
    }
}
