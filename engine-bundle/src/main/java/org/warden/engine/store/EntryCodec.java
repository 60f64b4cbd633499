package org.warden.engine.store;

import static org.warden.engine.store.CodecFields.count;
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
     * Format of a batch payload (a journal row) as written now; a reader refuses one it does not know rather than
     * misread it. 2: a row's entries name each worker once (a dictionary in the order of first use), numbers are
     * variable-length, and times are relative to the previous one in the row. 3 (issue 16): as 2, but an entry
     * without changes is followed by its kind, {@link #CLEAR} or {@link #AUCTION} (then the auction,
     * {@link AuctionCodec}). Rows of format 2 are still read.
     */
    static final int FORMAT = 3;
    /** The oldest row format still read. */
    static final int OLDEST_FORMAT = 2;
    /** Format of a worker's whole record (a checkpoint's): as rows of format 2. */
    static final int RECORD_FORMAT = 2;
    /** An entry without changes (format 3 on): every worker forgotten. */
    private static final int CLEAR = 0;
    /** An entry without changes (format 3 on): an auction kept for the history. */
    private static final int AUCTION = 1;

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
                    out.writeByte(CLEAR);
                    continue;
                }
                if (e.isAuction()) {
                    out.writeByte(AUCTION);
                    AuctionCodec.write(out, e.auction(), row);
                    continue;
                }
                row.writeWorker(out, e.workerId());
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
        return framed(payload, "journal batch", OLDEST_FORMAT, FORMAT, (in, format) -> {
            // an entry takes at least 2 bytes (its ticket and its number of changes), a change at least 3
            int n = count(in, varLong(in), MAX_ENTRIES, 2, "entries");
            List<Journaled> entries = new ArrayList<>(n);
            Row row = new Row();
            for (int i = 0; i < n; i++) {
                row.ticket += unzigzag(varLong(in));
                int changes = count(in, varLong(in), Integer.MAX_VALUE, 3, "changes");
                if (changes == 0) {
                    entries.add(new Journaled(row.ticket, withoutChanges(in, format, row)));
                    continue;
                }
                String workerId = row.readWorker(in);
                List<Change> list = new ArrayList<>(changes);
                for (int k = 0; k < changes; k++) {
                    list.add(ChangeCodec.read(in, workerId, row));
                }
                entries.add(new Journaled(row.ticket, new JournalEntry(workerId, list)));
            }
            return entries;
        });
    }

    /** An entry without changes: a clear (all format 2 has), or what its kind byte says. */
    private static JournalEntry withoutChanges(DataInputStream in, int format, Row row) throws IOException {
        if (format == 2) {
            return JournalEntry.clear();
        }
        int kind = in.readUnsignedByte();
        switch (kind) {
            case CLEAR:
                return JournalEntry.clear();
            case AUCTION:
                return JournalEntry.auction(AuctionCodec.read(in, row));
            default:
                throw new CorruptPayloadException("unknown entry kind " + kind);
        }
    }

    private interface Reader<T> {
        T read(DataInputStream in, int format) throws IOException;
    }

    /**
     * Reads what {@code reader} reads after the format byte, refusing another format and bytes left over. Whatever
     * the bytes, it returns a value or throws a {@link CorruptPayloadException}: every length read is checked
     * against the bytes left before anything is allocated for it, and what the values' own constructors refuse
     * (an unknown penalty type, a time out of range, a negative count) is reported the same way.
     */
    private static <T> T framed(byte[] bytes, String what, int oldest, int newest, Reader<T> reader) {
        if (bytes == null) {
            throw new CorruptPayloadException(what + " is missing (null)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format < oldest || format > newest) {
                throw new CorruptPayloadException("format " + format + " is not readable by this build (it "
                        + "reads format " + (oldest == newest ? "" + newest : oldest + " to " + newest)
                        + "): written by a newer Warden?");
            }
            T value = reader.read(in, format);
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
            out.writeByte(RECORD_FORMAT);
            SnapshotCodec.write(out, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    WorkerSnapshot decodeRecord(byte[] bytes) {
        return framed(bytes, "checkpoint record", RECORD_FORMAT, RECORD_FORMAT, (in, format) -> SnapshotCodec.read(in));
    }
}
