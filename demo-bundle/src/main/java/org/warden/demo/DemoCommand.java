package org.warden.demo;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code warden:demo}: what the demo distributor has done since it started. */
@Command(scope = "warden", name = "demo", description = "Shows the demo distributor's counters: jobs, assigned, "
        + "failed calls to Warden, workers and pace.")
@Service
public class DemoCommand implements Action {

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Reference
    private DemoDistributor demo;

    @Override
    public Object execute() {
        DemoDistributor.Stats s = demo.stats();
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Value");
        table.addRow().addContent("jobs", s.jobs());
        table.addRow().addContent("assigned", s.assigned());
        table.addRow().addContent("unassigned", s.unassigned());
        table.addRow().addContent("succeeded", s.good());
        table.addRow().addContent("failedCalls", s.failedCalls());
        table.addRow().addContent("workers", s.workers());
        table.addRow().addContent("jobsPerSecond", s.jobsPerSecond());
        table.addRow().addContent("running", s.running());
        table.addRow().addContent("lastFailure", s.lastFailure() == null ? "-" : s.lastFailure());
        table.print(System.out, !noFormat);
        return null;
    }
}
