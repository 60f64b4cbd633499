package org.warden.engine.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.warden.api.snapshot.Snapshot;

/** An export written by the shell's writer and read back by its reader, as warden:export then warden:import do. */
public final class SnapshotRoundTrip {

    private SnapshotRoundTrip() {
    }

    public static Snapshot through(Snapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SnapshotWriter.write(snapshot, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SnapshotReader.parse("export.json", out.toString(StandardCharsets.UTF_8));
    }
}
