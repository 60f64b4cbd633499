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

@Command(scope = "warden", name = "import", description = "Imports the workers of a file written by warden:export, "
        + "from ${karaf.data}/warden/exports: merged with the workers known (the file's win), or replacing all of them "
        + "with --replace.",
        detailedDescription = "The file is read as a stream, at most maxImportMegabytes (configuration "
                + "org.warden.snapshot, 64 MiB by default), and the whole of it is checked before anything changes: a "
                + "file that is not a Warden export, of another format, with an impossible value (a negative count, a "
                + "count the engine could not add to, a lift before its ban, a control character in a reason) or a "
                + "time after the engine's clock is refused with one Error line naming the worker and the field, and "
                + "nothing changes. warden:import --replace with a snapshot without workers forgets every worker.")
@Service
public class ImportCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "file", description = "The name of a file in ${karaf.data}/warden/exports (no path), "
            + "as written by warden:export --file", required = true)
    @Completion(SnapshotFileCompleter.class)
    String file;

    @Option(name = "--replace", description = "Forget every worker first: the state becomes exactly the file's")
    boolean replace;

    @Reference
    private SnapshotService snapshots;

    @Reference
    private SnapshotFiles files;

    @Override
    protected Object doExecute() {
        Snapshot snapshot = files.read(file);
        ImportMode mode = replace ? ImportMode.REPLACE : ImportMode.MERGE;
        int imported = snapshots.importSnapshot(snapshot, mode);
        System.out.println("Imported " + imported + " workers (" + mode.name().toLowerCase(Locale.ROOT) + ")");
        return null;
    }
}
