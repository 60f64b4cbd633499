package org.warden.engine.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.Ban;
import org.warden.api.Eligibility;
import org.warden.api.HealthMetrics;
import org.warden.api.HealthService;
import org.warden.api.Penalty;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.ScoreComponent;
import org.warden.api.WorkerHealth;
import org.warden.api.WorkerReputation;

@Command(scope = "warden", name = "worker", description = "Shows one worker in full: reputation and its components, health, eligibility, penalties and bans.")
@Service
public class WorkerCommand extends WardenCommandSupport {

    /** How many of the latest penalties to show. */
    static final int RECENT_PENALTIES = 10;

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON: {reputation, health, eligibility, penalties, bans} (the API's value types)")
    boolean json;

    @Reference
    private ReputationService reputation;

    @Reference
    private HealthService health;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() throws Exception {
        WorkerReputation rep = reputation.reputation(id)
                .orElseThrow(() -> new IllegalArgumentException("unknown worker " + id));
        WorkerHealth h = health.health(id).orElse(null);
        Eligibility eligibility = reputation.eligibility(id);

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("state", WorkersCommand.state(rep, h));
            out.put("reputation", rep);
            out.put("health", h);
            out.put("eligibility", eligibility);
            out.put("penalties", penalties.penalties(id));
            out.put("bans", penalties.bans(id));
            printJson(out);
            return null;
        }

        System.out.println("Worker " + id + " (" + WorkersCommand.state(rep, h) + ")");
        ShellTable summary = new ShellTable();
        summary.column("Name");
        summary.column("Value");
        summary.addRow().addContent("reputation", score(rep.score()));
        summary.addRow().addContent("jobsCompleted", rep.jobsCompleted());
        summary.addRow().addContent("jobsFailed", rep.jobsFailed());
        summary.addRow().addContent("penaltyCount", rep.penaltyCount());
        summary.addRow().addContent("maliciousReports", rep.maliciousReports());
        summary.addRow().addContent("banned", rep.banned());
        summary.addRow().addContent("firstSeen", instant(rep.firstSeen()));
        summary.addRow().addContent("lastSeen", instant(rep.lastSeen()));
        summary.addRow().addContent("eligible", eligibility.eligible());
        summary.addRow().addContent("eligibilityThreshold", score(eligibility.threshold()));
        summary.addRow().addContent("eligibilityReason", text(eligibility.reason()));
        summary.addRow().addContent("healthScore", h == null ? "-" : score(h.score()));
        summary.addRow().addContent("active", h != null && h.active());
        summary.addRow().addContent("healthy", h != null && h.healthy());
        summary.addRow().addContent("lastReport", h == null ? "-" : instant(h.lastReport()));
        HealthMetrics m = h == null ? null : h.metrics();
        if (m != null) {
            summary.addRow().addContent("responseTimeMs", m.responseTimeMs());
            summary.addRow().addContent("cpuUsagePercent", score(m.cpuUsagePercent()));
            summary.addRow().addContent("memoryUsagePercent", score(m.memoryUsagePercent()));
            summary.addRow().addContent("diskUsagePercent", score(m.diskUsagePercent()));
            summary.addRow().addContent("networkLatencyMs", m.networkLatencyMs());
            summary.addRow().addContent("bandwidthMbps", m.bandwidthMbps() == null ? "-" : score(m.bandwidthMbps()));
            summary.addRow().addContent("gpuUtilizationPercent",
                    m.gpuUtilizationPercent() == null ? "-" : score(m.gpuUtilizationPercent()));
            summary.addRow().addContent("temperatureCelsius",
                    m.temperatureCelsius() == null ? "-" : score(m.temperatureCelsius()));
            summary.addRow().addContent("errorCount", m.errorCount());
        }
        summary.print(System.out, !noFormat);

        System.out.println();
        System.out.println("Reputation components");
        ShellTable components = new ShellTable();
        components.column("Component");
        components.column("Value").alignRight();
        components.column("Weight").alignRight();
        for (ScoreComponent c : rep.breakdown().components()) {
            components.addRow().addContent(c.name(), score(c.value()), score(c.weight()));
        }
        components.print(System.out, !noFormat);

        List<Penalty> recent = penalties.penalties(id);
        System.out.println();
        System.out.println("Recent penalties");
        ShellTable penaltyTable = new ShellTable();
        penaltyTable.column("At");
        penaltyTable.column("Type");
        penaltyTable.column("Severity").alignRight();
        penaltyTable.column("Job");
        penaltyTable.column("Reason");
        recent.stream().limit(RECENT_PENALTIES).forEach(p -> penaltyTable.addRow()
                .addContent(instant(p.at()), p.type().name().toLowerCase(java.util.Locale.ROOT), score(p.severity()),
                        text(p.jobId()), p.reason()));
        penaltyTable.print(System.out, !noFormat);

        System.out.println();
        System.out.println("Bans");
        ShellTable banTable = new ShellTable();
        banTable.column("Banned at");
        banTable.column("Until");
        banTable.column("Automatic");
        banTable.column("Reason");
        banTable.column("Lifted at");
        banTable.column("Lift reason");
        for (Ban b : penalties.bans(id)) {
            banTable.addRow().addContent(instant(b.bannedAt()), instant(b.until()), b.automatic(), b.reason(),
                    instant(b.liftedAt()), text(b.liftReason()));
        }
        banTable.print(System.out, !noFormat);
        return null;
    }
}
