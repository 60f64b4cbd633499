package org.warden.engine.shell;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.SnapshotService;

@Command(scope = "warden", name = "export", description = "Exports every worker's state as JSON (a Warden snapshot, "
        + "format " + Snapshot.FORMAT + "), to a file or to the console.",
        detailedDescription = "Each worker's statistics exactly as kept: job counts, decayed counters as of their own "
                + "time, moving averages, earnings, last health report, penalties, malicious reports, the ban in force "
                + "and past bans. warden:import reads the file back. A file is written whole or not at all.")
@Service
public class ExportCommand extends WardenCommandSupport {

    @Option(name = "--file", aliases = "-f", description = "The file to write (replaced if it exists); the console when absent")
    @Completion(SnapshotFileCompleter.class)
    String file;

    @Reference
    private SnapshotService snapshots;

    @Override
    protected Object doExecute() {
        Snapshot snapshot = snapshots.export();
        if (file == null) {
            System.out.println(SnapshotJson.toJson(snapshot));
        } else {
            Path path = SnapshotJson.path(file);
            SnapshotJson.write(snapshot, path);
            System.out.println("Exported " + snapshot.workers().size() + " workers to " + path);
        }
        return null;
    }
}
