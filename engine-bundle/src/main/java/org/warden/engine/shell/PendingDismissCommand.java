package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.PenaltyService;

@Command(scope = "warden", name = "pending-dismiss", description = "Drops a ban the ban budget held back: the worker "
        + "is not banned.")
@Service
public class PendingDismissCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Argument(index = 1, name = "reason", description = "Why (several words allowed)", required = true, multiValued = true)
    List<String> reason;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() {
        boolean dropped = penalties.dismissPendingBan(id, words(reason));
        System.out.println(dropped ? "Dismissed the pending ban of " + id : id + " has no pending ban");
        return null;
    }
}
