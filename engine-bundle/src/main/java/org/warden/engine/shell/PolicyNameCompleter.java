package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

/** Completes the names ({@code warden.policy.name}) of the installed policy services. */
@Service
public class PolicyNameCompleter implements Completer {

    @Reference
    private BundleContext bundleContext;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names;
        try {
            names = PoliciesCommand.installedNames(bundleContext);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter is given, so this cannot happen", e);
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
