package org.warden.engine.shell;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.SnapshotService;

@Command(scope = "warden", name = "export", description = "Exports every worker's state as JSON (a Warden snapshot, "
        + "format " + Snapshot.FORMAT + "), to the console, or with --file (admin) to a file in "
        + "${karaf.data}/warden/exports.",
        detailedDescription = "Each worker's statistics exactly as kept: job counts, decayed counters as of their own "
                + "time, moving averages, earnings, last health report, penalties, malicious reports, the ban in force "
                + "and past bans. warden:import reads the file back. Written worker by worker; a file is written whole "
                + "or not at all. --file takes a file name, not a path: letters, digits, '.', '_' and '-'. Writing a "
                + "file needs the admin role (etc/org.apache.karaf.command.acl.warden.cfg); the console needs viewer.")
@Service
public class ExportCommand extends WardenCommandSupport {

    @Option(name = "--file", aliases = "-f", description = "The name of the file to write in ${karaf.data}/warden/exports "
            + "(no path); the console when absent")
    @Completion(SnapshotFileCompleter.class)
    String file;

    @Option(name = "--force", description = "Replace the file if it exists (otherwise an existing file is refused)")
    boolean force;

    @Reference
    private SnapshotService snapshots;

    @Reference
    private SnapshotFiles files;

    @Override
    protected Object doExecute() throws Exception {
        if (file == null) {
            if (force) {
                throw new IllegalArgumentException("--force goes with --file");
            }
            PrintStream console = System.out;
            SnapshotWriter.write(snapshots.export(), new KeepOpen(console));
            console.println();
            return null;
        }
        // the name is checked before the network is read: a refused name costs nothing
        files.directory().resolve(file);
        Snapshot snapshot = snapshots.export();
        Path written = files.export(snapshot, file, force);
        System.out.println("Exported " + snapshot.workers().size() + " workers to " + written);
        return null;
    }

    /** The console, which the shell owns: written to, flushed, never closed. */
    private static final class KeepOpen extends OutputStream {
        private final PrintStream out;

        KeepOpen(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
