package org.warden.engine.shell;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * Writes a {@link Snapshot} as JSON, worker by worker, straight to a stream (a file or the console): the text of the
 * whole network is never held in memory. The same JSON as the shell's mapper ({@link Json}) writes for the record:
 * {@code {"format", "exportedAt", "workers": [...]}}, indented.
 */
public final class SnapshotWriter {

    private SnapshotWriter() {
    }

    /** Writes {@code snapshot} to {@code out}, and flushes it; {@code out} is left open. */
    public static void write(Snapshot snapshot, OutputStream out) throws IOException {
        ObjectMapper mapper = Json.mapper();
        // one flush at the end, not one per worker
        ObjectWriter writer = mapper.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("format", snapshot.format());
            g.writeFieldName("exportedAt");
            writer.writeValue(g, snapshot.exportedAt());
            g.writeArrayFieldStart("workers");
            for (WorkerSnapshot worker : snapshot.workers()) {
                writer.writeValue(g, worker);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }
}
