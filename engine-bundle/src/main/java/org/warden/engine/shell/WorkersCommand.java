package org.warden.engine.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.HealthService;
import org.warden.api.ReputationService;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;

@Command(scope = "warden", name = "workers", description = "Lists the workers Warden knows, with their state, scores and record.")
@Service
public class WorkersCommand extends WardenCommandSupport {

    @Option(name = "--banned", aliases = "-b", description = "Only the workers under a ban")
    boolean banned;

    @Option(name = "--eligible", aliases = "-e", description = "Only the workers eligible for jobs")
    boolean eligible;

    @Option(name = "--sort", aliases = "-s", description = "Sort by rep (reputation, best first), health (best first), jobs (most first) or id")
    @Completion(value = StringsCompleter.class, values = { "rep", "health", "jobs", "id" })
    String sort = "id";

    @Option(name = "--limit", aliases = "-l", description = "Show at most this many workers")
    int limit = -1;

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Reference
    private ReputationService reputation;

    @Reference
    private HealthService health;

    /** One worker's line, read once. */
    record Line(String id, String state, Double health, WorkerReputation rep) {
        long jobs() {
            return rep.jobsCompleted() + rep.jobsFailed();
        }
    }

    @Override
    protected Object doExecute() {
        Comparator<Line> order = switch (sort == null ? "" : sort.toLowerCase(Locale.ROOT)) {
            case "id" -> Comparator.comparing(Line::id);
            case "rep" -> Comparator.comparingDouble((Line l) -> l.rep().score()).reversed().thenComparing(Line::id);
            case "health" -> Comparator.comparingDouble((Line l) -> l.health() == null ? -1 : l.health()).reversed()
                    .thenComparing(Line::id);
            case "jobs" -> Comparator.comparingLong(Line::jobs).reversed().thenComparing(Line::id);
            default -> throw new IllegalArgumentException("sort must be one of rep, health, jobs, id, was " + sort);
        };
        if (limit < -1) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        List<Line> lines = new ArrayList<>();
        for (String id : reputation.workerIds()) {
            Optional<WorkerReputation> rep = reputation.reputation(id);
            if (rep.isEmpty()) {
                continue; // gone since workerIds()
            }
            if (banned && !rep.get().banned() || eligible && !reputation.isEligible(id)) {
                continue;
            }
            Optional<WorkerHealth> h = health.health(id);
            lines.add(new Line(id, state(rep.get(), h), h.map(WorkerHealth::score).orElse(null), rep.get()));
        }
        lines.sort(order);
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("State");
        table.column("Health").alignRight();
        table.column("Reputation").alignRight();
        table.column("Jobs done").alignRight();
        table.column("Jobs failed").alignRight();
        table.column("Penalties").alignRight();
        lines.stream().limit(limit < 0 ? Long.MAX_VALUE : limit).forEach(l -> table.addRow().addContent(
                l.id(), l.state(), l.health() == null ? "-" : score(l.health()), score(l.rep().score()),
                l.rep().jobsCompleted(), l.rep().jobsFailed(), l.rep().penaltyCount()));
        table.print(System.out, !noFormat);
        return null;
    }

    static String state(WorkerReputation rep, Optional<WorkerHealth> health) {
        if (rep.banned()) {
            return "banned";
        }
        if (health.isEmpty() || !health.get().active()) {
            return "inactive";
        }
        return health.get().healthy() ? "active" : "unhealthy";
    }
}
