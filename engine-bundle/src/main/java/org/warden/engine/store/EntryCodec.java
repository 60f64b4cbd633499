package org.warden.engine.store;

import static org.warden.engine.store.CodecFields.count;
import static org.warden.engine.store.CodecFields.string;
import static org.warden.engine.store.CodecFields.unzigzag;
import static org.warden.engine.store.CodecFields.varLong;
import static org.warden.engine.store.CodecFields.zigzag;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.store.ChangeCodec.Row;

/**
 * The store's binary forms: a journal row's payload, a batch of entries each with its ticket (one row per group
 * commit, so the database sees one insert however many calls it carries), and a worker's whole record (an
 * imported one, a checkpoint's). Tagged and versioned, so a newer build reads what an older one wrote; enum
 * constants are written by name, so reordering an enum changes nothing.
 *
 * <p>This class holds the framing (the format byte, a row's entries and its dictionary of workers, a record);
 * {@link ChangeCodec} writes each change, {@link SnapshotCodec} a whole record, {@link CodecFields} the single values.
 */
final class EntryCodec {

    /** An entry as journaled: with this node's ticket for it. */
    record Journaled(long ticket, JournalEntry entry) {
    }

    /**
     * The only thing a decoder throws for bytes it cannot read (truncated, inflated, random, another format): a
     * corrupt row must give the store a clear reason, never an {@link OutOfMemoryError} or an exception of the
     * JDK's from deep inside the reading.
     */
    static final class CorruptPayloadException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CorruptPayloadException(String message) {
            super(message);
        }

        CorruptPayloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The most entries a row holds (the writer's largest group commit). */
    static final int MAX_ENTRIES = JdbcJournal.MAX_BATCH;

    /**
     * Format of a batch payload and of a record; a reader refuses another one rather than misread it. 2: a row's
     * entries name each worker once (a dictionary in the order of first use), numbers are variable-length, and times
     * are relative to the previous one in the row.
     */
    static final int FORMAT = 2;

    byte[] encode(List<Journaled> entries) {
        Buffer bytes = new Buffer(40 * entries.size() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            varLong(out, entries.size());
            Row row = new Row();
            for (Journaled j : entries) {
                varLong(out, zigzag(j.ticket() - row.ticket));
                row.ticket = j.ticket();
                JournalEntry e = j.entry();
                varLong(out, e.changes().size());
                if (e.isClear()) {
                    continue;
                }
                Integer known = row.index.get(e.workerId());
                if (known == null) {
                    varLong(out, row.index.size());
                    string(out, e.workerId());
                    row.index.put(e.workerId(), row.index.size());
                } else {
                    varLong(out, known);
                }
                for (Change c : e.changes()) {
                    ChangeCodec.write(out, c, row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the buffer does not throw
        }
        return bytes.toByteArray();
    }

    List<Journaled> decode(byte[] payload) {
        return framed(payload, "journal batch", in -> {
            // an entry takes at least 2 bytes (its ticket and its number of changes), a change at least 3
            int n = count(in, varLong(in), MAX_ENTRIES, 2, "entries");
            List<Journaled> entries = new ArrayList<>(n);
            Row row = new Row();
            for (int i = 0; i < n; i++) {
                row.ticket += unzigzag(varLong(in));
                int changes = count(in, varLong(in), Integer.MAX_VALUE, 3, "changes");
                if (changes == 0) {
                    entries.add(new Journaled(row.ticket, JournalEntry.clear()));
                    continue;
                }
                long index = varLong(in);
                if (index == row.ids.size()) {
                    row.ids.add(string(in));
                } else if (index < 0 || index > row.ids.size()) {
                    throw new CorruptPayloadException("worker " + index + " before it was named");
                }
                String workerId = row.ids.get((int) index);
                List<Change> list = new ArrayList<>(changes);
                for (int k = 0; k < changes; k++) {
                    list.add(ChangeCodec.read(in, workerId, row));
                }
                entries.add(new Journaled(row.ticket, new JournalEntry(workerId, list)));
            }
            return entries;
        });
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /**
     * Reads what {@code reader} reads after the format byte, refusing another format and bytes left over. Whatever
     * the bytes, it returns a value or throws a {@link CorruptPayloadException}: every length read is checked
     * against the bytes left before anything is allocated for it, and what the values' own constructors refuse
     * (an unknown penalty type, a time out of range, a negative count) is reported the same way.
     */
    private static <T> T framed(byte[] bytes, String what, Reader<T> reader) {
        if (bytes == null) {
            throw new CorruptPayloadException(what + " is missing (null)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new CorruptPayloadException("format " + format + " is not readable by this build (it "
                        + "reads format " + FORMAT + "): written by a newer Warden?");
            }
            T value = reader.read(in);
            if (in.available() > 0) {
                throw new CorruptPayloadException(in.available() + " bytes after its end");
            }
            return value;
        } catch (CorruptPayloadException e) {
            throw new CorruptPayloadException(what + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptPayloadException(what + " is truncated or corrupt: " + e, e);
        }
    }

    /**
     * A growing byte array, unlike {@link ByteArrayOutputStream} not synchronized: the writer encodes tens of
     * thousands of small fields a second, each a call here.
     */
    private static final class Buffer extends java.io.OutputStream {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        @Override
        public void write(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /** A worker's whole record, for a checkpoint. */
    byte[] encodeRecord(WorkerSnapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            SnapshotCodec.write(out, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    WorkerSnapshot decodeRecord(byte[] bytes) {
        return framed(bytes, "checkpoint record", SnapshotCodec::read);
    }
}
