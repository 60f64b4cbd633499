package org.warden.engine.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.warden.api.PenaltyType;

/** Completes the penalty type names, in lower case (parsing ignores case). */
@Service
public class PenaltyTypeCompleter implements Completer {

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter(Arrays.stream(PenaltyType.values())
                .map(t -> t.name().toLowerCase(Locale.ROOT)).toList(), false);
        return delegate.complete(session, commandLine, candidates);
    }
}
