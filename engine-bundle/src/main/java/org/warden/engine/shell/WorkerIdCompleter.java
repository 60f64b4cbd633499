package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.warden.api.ReputationService;

/** Completes the ids of the workers Warden knows. */
@Service
public class WorkerIdCompleter implements Completer {

    @Reference
    private ReputationService reputation;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter(reputation.workerIds());
        return delegate.complete(session, commandLine, candidates);
    }
}
