package org.warden.engine.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes the names of the snapshot files in {@code ${karaf.data}/warden/exports}, the only ones warden:import
 * reads and the ones warden:export --file --force would replace; nothing elsewhere on disk.
 */
@Service
public class SnapshotFileCompleter implements Completer {

    @Reference
    private SnapshotFiles files;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names;
        try {
            names = files.directory().names();
        } catch (IllegalStateException e) {
            // karaf.data unset or the directory unreadable: no candidates, and completion must not break the line
            names = List.of();
        }
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
