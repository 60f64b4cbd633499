package org.warden.engine.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.StoreHealth;
import org.warden.engine.EngineInsight;

@Command(scope = "warden", name = "network", description = "Shows the health of the whole worker network, the policy in force and the durable store.")
@Service
public class NetworkCommand extends WardenCommandSupport {

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON (the API's NetworkHealth)")
    boolean json;

    @Reference
    private HealthService health;

    /** The engine's own figures beyond the API (job totals, the policy setting); absent when another engine serves. */
    @Reference(optional = true)
    private EngineInsight insight;

    @Override
    protected Object doExecute() throws Exception {
        NetworkHealth n = health.networkHealth();
        if (json) {
            printJson(n);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Value");
        table.addRow().addContent("totalWorkers", n.totalWorkers());
        table.addRow().addContent("activeWorkers", n.activeWorkers());
        table.addRow().addContent("healthyWorkers", n.healthyWorkers());
        table.addRow().addContent("bannedWorkers", n.bannedWorkers());
        table.addRow().addContent("averageReputation", score(n.averageReputation()));
        table.addRow().addContent("successRate", score(n.successRate()));
        table.addRow().addContent("averageResponseTimeMs", score(n.averageResponseTimeMs()));
        table.addRow().addContent("healthScore", score(n.healthScore()));
        if (insight != null) {
            // engine-internal running sums (not in the API's NetworkHealth, so not in --json)
            long succeeded = insight.jobsSucceeded();
            long failed = insight.jobsFailed();
            table.addRow().addContent("totalJobs", succeeded + failed);
            table.addRow().addContent("jobsSucceeded", succeeded);
            table.addRow().addContent("jobsFailed", failed);
        }
        table.addRow().addContent("policyName", text(n.policyName()));
        if (insight != null) {
            // the engine's policy setting, engine-internal (not in the API's NetworkHealth, so not in --json)
            String configured = insight.configuredPolicy();
            table.addRow().addContent("policyConfigured", configured.isEmpty() ? "automatic (highest ranking)"
                    : insight.configuredPolicyInstalled() ? configured : configured + " (configured but not installed)");
        }
        table.addRow().addContent("fallbackActive", n.fallbackActive());
        table.addRow().addContent("policyFaults", n.policyFaults());
        table.addRow().addContent("computedAt", instant(n.computedAt()));
        StoreHealth store = n.store();
        table.addRow().addContent("storeBackend", text(store.backend()));
        table.addRow().addContent("storeNodeId", text(store.nodeId()));
        table.addRow().addContent("storeAvailable", store.available() ? "yes" : "NO: " + oneLine(store.problem()));
        table.addRow().addContent("storeBacklog", store.backlog());
        table.addRow().addContent("storeLastCommitAt", instant(store.lastCommitAt()));
        table.print(System.out, !noFormat);
        return null;
    }

    /** A database's message on one line of one cell: its line breaks and tabs would split the table's rows. */
    private static String oneLine(String problem) {
        return problem == null ? "no reason given" : problem.strip().replaceAll("\\s+", " ");
    }
}
