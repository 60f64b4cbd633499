package org.warden.engine.shell;

import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.Ban;
import org.warden.api.PenaltyService;

@Command(scope = "warden", name = "pending-confirm", description = "Imposes a ban the ban budget held back, as the "
        + "policy asked (from now, for its duration).")
@Service
public class PendingConfirmCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Argument(index = 1, name = "reason", description = "Why (several words allowed)", required = true, multiValued = true)
    List<String> reason;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() {
        Optional<Ban> ban = penalties.confirmPendingBan(id, words(reason));
        System.out.println(ban.map(b -> "Banned " + id + (b.until() == null ? "" : " until " + b.until()))
                .orElse(id + " has no pending ban"));
        return null;
    }
}
