package org.warden.engine.shell;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/** Karaf's file name completer, registered with this bundle's commands (warden:export, warden:import). */
@Service
public class SnapshotFileCompleter extends FileCompleter {
}
