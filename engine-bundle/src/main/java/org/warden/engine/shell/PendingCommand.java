package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.PenaltyService;
import org.warden.api.PendingBan;

/** Lists the automatic bans the ban budget held back, for an operator to confirm or dismiss. */
@Command(scope = "warden", name = "pending", description = "Lists the automatic bans held back by the ban budget, "
        + "waiting for an operator (warden:pending-confirm, warden:pending-dismiss).")
@Service
public class PendingCommand extends WardenCommandSupport {

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON: [{workerId, reason, duration, proposedAt, policyName}]")
    boolean json;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() throws Exception {
        List<PendingBan> pending = penalties.pendingBans();
        if (json) {
            printJson(pending);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Worker");
        table.column("Reason");
        table.column("Duration");
        table.column("Proposed at");
        table.column("Policy");
        for (PendingBan p : pending) {
            table.addRow().addContent(p.workerId(), p.reason(), p.duration() == null ? "no end" : p.duration().toString(),
                    instant(p.proposedAt()), p.policyName());
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
