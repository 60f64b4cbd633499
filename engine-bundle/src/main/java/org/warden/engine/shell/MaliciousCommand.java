package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.PenaltyService;
import org.warden.api.WorkerReputation;

@Command(scope = "warden", name = "malicious", description = "Reports malicious behaviour of a worker (the policy may ban it automatically).")
@Service
public class MaliciousCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Argument(index = 1, name = "reason", description = "Why (several words allowed)", required = true, multiValued = true)
    List<String> reason;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() {
        WorkerReputation rep = penalties.reportMalicious(id, words(reason));
        System.out.println("Reported " + rep.workerId() + " as malicious (" + rep.maliciousReports()
                + " report(s)); reputation " + score(rep.score()) + (rep.banned() ? ", banned" : ""));
        return null;
    }
}
