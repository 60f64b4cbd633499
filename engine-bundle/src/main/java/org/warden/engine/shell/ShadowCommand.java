package org.warden.engine.shell;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.engine.EngineInsight;
import org.warden.engine.core.ShadowMonitor;

@Command(scope = "warden", name = "shadow", description = "Shows what the policy running in shadow would have done "
        + "differently from the policy in force (would-have-banned workers, top-choice disagreements).")
@Service
public class ShadowCommand extends WardenCommandSupport {

    static final String NONE = "no shadow policy (set " + EngineInsight.SHADOW_POLICY + " in etc/org.warden.engine.cfg)";

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Reference
    private EngineInsight engine;

    @Override
    protected Object doExecute() throws Exception {
        // the shadow report is engine-internal, not API: the engine offers it to its own commands as EngineInsight
        Optional<ShadowMonitor.Report> report = engine.shadowReport();
        if (report.isEmpty()) {
            String configured = engine.configuredShadowPolicy();
            String message = configured.isEmpty() ? NONE : "no shadow policy: " + EngineInsight.SHADOW_POLICY + " "
                    + configured + " is configured but not installed";
            if (json) {
                printJson(java.util.Map.of("shadowPolicy", "none", "message", message));
            } else {
                System.out.println(message);
            }
            return null;
        }
        ShadowMonitor.Report r = report.get();
        if (json) {
            // plain values only: no engine class reaches Jackson's caches
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("shadowPolicy", r.policyName());
            out.put("policyInForce", engine.policyInForce());
            out.put("since", instant(r.since()));
            out.put("rankingsCompared", r.rankingsCompared());
            out.put("topChoiceDisagreements", r.topChoiceDisagreements());
            out.put("meanRankDisplacement", r.meanRankDisplacement());
            out.put("banDecisionsCompared", r.banDecisionsCompared());
            out.put("wouldHaveBanned", r.wouldHaveBanned());
            out.put("recentWouldHaveBanned", r.recentWouldHaveBanned());
            out.put("wouldNotHaveBanned", r.wouldNotHaveBanned());
            out.put("recentWouldNotHaveBanned", r.recentWouldNotHaveBanned());
            out.put("shadowFaults", r.shadowFaults());
            printJson(out);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Value");
        table.addRow().addContent("shadowPolicy", r.policyName());
        table.addRow().addContent("policyInForce", engine.policyInForce());
        table.addRow().addContent("since", instant(r.since()));
        table.addRow().addContent("rankingsCompared", r.rankingsCompared());
        table.addRow().addContent("topChoiceDisagreements", r.topChoiceDisagreements());
        table.addRow().addContent("meanRankDisplacement", score(r.meanRankDisplacement()));
        table.addRow().addContent("banDecisionsCompared", r.banDecisionsCompared());
        table.addRow().addContent("wouldHaveBanned", r.wouldHaveBanned());
        table.addRow().addContent("recentWouldHaveBanned", ids(r.recentWouldHaveBanned()));
        table.addRow().addContent("wouldNotHaveBanned", r.wouldNotHaveBanned());
        table.addRow().addContent("recentWouldNotHaveBanned", ids(r.recentWouldNotHaveBanned()));
        table.addRow().addContent("shadowFaults", r.shadowFaults());
        table.print(System.out, !noFormat);
        return null;
    }

    private static String ids(List<String> ids) {
        return ids.isEmpty() ? "-" : String.join(", ", ids);
    }
}
