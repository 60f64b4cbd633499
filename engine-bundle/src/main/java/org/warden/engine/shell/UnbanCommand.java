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

@Command(scope = "warden", name = "unban", description = "Lifts the ban in force on a worker.")
@Service
public class UnbanCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Argument(index = 1, name = "reason", description = "Why (several words allowed)", required = true, multiValued = true)
    List<String> reason;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() {
        Optional<Ban> lifted = penalties.unban(id, words(reason));
        System.out.println(lifted.isPresent() ? "Unbanned " + id : id + " was not banned");
        return null;
    }
}
