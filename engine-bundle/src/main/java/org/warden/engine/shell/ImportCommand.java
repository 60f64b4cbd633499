package org.warden.engine.shell;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.snapshot.ImportMode;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.SnapshotService;

@Command(scope = "warden", name = "import", description = "Imports the workers of a file written by warden:export: "
        + "merged with the workers known (the file's win), or replacing all of them with --replace.",
        detailedDescription = "The whole file is checked first: a file that is not a Warden export, of another format, "
                + "with an impossible value or a worker dated after the engine's clock is refused with one Error line "
                + "and nothing changes. warden:import --replace with a snapshot without workers forgets every worker.")
@Service
public class ImportCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "file", description = "The JSON file written by warden:export", required = true)
    @Completion(SnapshotFileCompleter.class)
    String file;

    @Option(name = "--replace", description = "Forget every worker first: the state becomes exactly the file's")
    boolean replace;

    @Reference
    private SnapshotService snapshots;

    @Override
    protected Object doExecute() {
        Snapshot snapshot = SnapshotJson.read(SnapshotJson.path(file));
        ImportMode mode = replace ? ImportMode.REPLACE : ImportMode.MERGE;
        int imported = snapshots.importSnapshot(snapshot, mode);
        System.out.println("Imported " + imported + " workers (" + mode.name().toLowerCase(Locale.ROOT) + ")");
        return null;
    }
}
