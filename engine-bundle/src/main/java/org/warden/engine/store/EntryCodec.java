package org.warden.engine.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;

/**
 * The store's binary forms: a journal row's payload, a batch of entries each with its ticket (one row per group
 * commit, so the database sees one insert however many calls it carries), and a worker's whole record (an
 * imported one, a checkpoint's). Tagged and versioned, so a newer build reads what an older one wrote; enum
 * constants are written by name, so reordering an enum changes nothing.
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

    /**
     * The longest string a reader accepts, in bytes: the engine's longest text (a reason, 1024 characters) is at
     * most 4096 bytes of UTF-8; more is a corrupt length, not a text, and is never allocated.
     */
    static final int MAX_STRING_BYTES = 64 * 1024;
    /** An amount is below 2^128: at most 17 bytes of two's complement. */
    private static final int MAX_AMOUNT_BYTES = 17;
    /** The most entries a row holds (the writer's largest group commit). */
    static final int MAX_ENTRIES = JdbcJournal.MAX_BATCH;
    /** The most penalties or bans a record holds: a count beyond is a corrupt one, not history. */
    private static final int MAX_HISTORY = 1 << 20;

    /**
     * Format of a batch payload and of a record; a reader refuses another one rather than misread it. 2: a row's
     * entries name each worker once (a dictionary in the order of first use), numbers are variable-length, and times
     * are relative to the previous one in the row.
     */
    static final int FORMAT = 2;
    private static final int HEALTH = 1;
    private static final int OUTCOME = 2;
    private static final int PENALTY = 3;
    private static final int BAN = 4;
    private static final int UNBAN = 5;
    private static final int PUT = 6;

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
                    write(out, c, row);
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
                    list.add(read(in, workerId, row));
                }
                entries.add(new Journaled(row.ticket, new JournalEntry(workerId, list)));
            }
            return entries;
        });
    }

    /** What the entries of one row share: its workers, named once, and the previous ticket and time. */
    private static final class Row {
        final Map<String, Integer> index = new java.util.HashMap<>();
        final List<String> ids = new ArrayList<>();
        long ticket;
        long second;
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
     * A count read from the bytes, refused unless it is in [0, {@code max}] and the bytes left hold that many items
     * of at least {@code minBytes} each: so a corrupt count never sizes an allocation.
     */
    private static int count(DataInputStream in, long n, int max, int minBytes, String what) throws IOException {
        int left = in.available();
        if (n < 0 || n > max || n > left / minBytes) {
            throw new CorruptPayloadException("a count of " + n + " " + what + " with " + left
                    + " bytes left (at most " + max + ", of at least " + minBytes + " bytes each)");
        }
        return (int) n;
    }

    private static void write(DataOutputStream out, Change c, Row row) throws IOException {
        if (c instanceof Change.Health h) {
            out.writeByte(HEALTH);
            time(out, h.at(), row);
            health(out, h.metrics());
        } else if (c instanceof Change.Outcome o) {
            out.writeByte(OUTCOME);
            time(out, o.at(), row);
            out.writeByte((o.success() ? 1 : 0) | (o.resultQuality() != null ? 2 : 0)
                    | (o.estimatedTimeMs() != null ? 4 : 0));
            varLong(out, o.executionTimeMs());
            amount(out, o.earnings());
            if (o.resultQuality() != null) {
                out.writeDouble(o.resultQuality());
            }
            if (o.estimatedTimeMs() != null) {
                varLong(out, o.estimatedTimeMs());
            }
        } else if (c instanceof Change.PenaltyChange p) {
            out.writeByte(PENALTY);
            Penalty penalty = p.penalty();
            time(out, penalty.at(), row);
            string(out, penalty.type().name());
            out.writeDouble(penalty.severity());
            string(out, penalty.reason());
            string(out, penalty.jobId());
            out.writeBoolean(p.malicious());
        } else if (c instanceof Change.BanChange b) {
            out.writeByte(BAN);
            Ban ban = b.ban();
            time(out, ban.bannedAt(), row);
            banAfter(out, ban);
        } else if (c instanceof Change.Unban u) {
            out.writeByte(UNBAN);
            time(out, u.at(), row);
            string(out, u.reason());
        } else if (c instanceof Change.Put p) {
            out.writeByte(PUT);
            time(out, p.at(), row);
            snapshot(out, p.snapshot());
        } else {
            throw new IllegalArgumentException("no encoding for " + c.getClass().getName());
        }
    }

    private static Change read(DataInputStream in, String workerId, Row row) throws IOException {
        int tag = in.readUnsignedByte();
        Instant at = time(in, row);
        switch (tag) {
            case HEALTH:
                return new Change.Health(workerId, health(in), at);
            case OUTCOME: {
                int flags = in.readUnsignedByte();
                long executionTimeMs = varLong(in);
                BigInteger earnings = amount(in);
                Double quality = (flags & 2) != 0 ? in.readDouble() : null;
                Long estimate = (flags & 4) != 0 ? varLong(in) : null;
                return new Change.Outcome(workerId, (flags & 1) != 0, executionTimeMs, earnings, quality, estimate, at);
            }
            case PENALTY: {
                PenaltyType type = PenaltyType.valueOf(string(in));
                double severity = in.readDouble();
                String reason = string(in);
                String jobId = string(in);
                return new Change.PenaltyChange(new Penalty(workerId, type, severity, reason, jobId, at), in.readBoolean());
            }
            case BAN:
                return new Change.BanChange(banAfter(in, workerId, at));
            case UNBAN:
                return new Change.Unban(workerId, string(in), at);
            case PUT:
                return new Change.Put(snapshot(in), at);
            default:
                throw new CorruptPayloadException("unknown change tag " + tag);
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
            snapshot(out, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    WorkerSnapshot decodeRecord(byte[] bytes) {
        return framed(bytes, "checkpoint record", EntryCodec::snapshot);
    }

    private static void snapshot(DataOutputStream out, WorkerSnapshot s) throws IOException {
        string(out, s.workerId());
        instant(out, s.firstSeen());
        instant(out, s.lastSeen());
        optionalInstant(out, s.lastJobAt());
        instant(out, s.decayedAt());
        out.writeLong(s.jobsCompleted());
        out.writeLong(s.jobsFailed());
        for (Horizon h : Horizon.values()) {
            out.writeDouble(s.decayedSuccesses().get(h));
            out.writeDouble(s.decayedFailures().get(h));
        }
        out.writeInt(s.consecutiveSuccesses());
        out.writeInt(s.consecutiveFailures());
        moments(out, s.executionTimeMs());
        moments(out, s.timeToEstimateRatio());
        moments(out, s.resultQuality());
        amount(out, s.earnings());
        out.writeBoolean(s.lastHealth() != null);
        if (s.lastHealth() != null) {
            health(out, s.lastHealth());
            instant(out, s.lastHealthAt());
        }
        out.writeByte(PenaltyType.values().length);
        for (PenaltyType t : PenaltyType.values()) {
            string(out, t.name());
            out.writeInt(s.penaltyCounts().get(t));
            out.writeDouble(s.decayedPenaltySeverity().get(t));
        }
        out.writeInt(s.maliciousReports());
        out.writeInt(s.banCount());
        out.writeBoolean(s.currentBan() != null);
        if (s.currentBan() != null) {
            ban(out, s.currentBan());
        }
        out.writeInt(s.recentPenalties().size());
        for (Penalty p : s.recentPenalties()) {
            instant(out, p.at());
            string(out, p.type().name());
            out.writeDouble(p.severity());
            string(out, p.reason());
            string(out, p.jobId());
        }
        out.writeInt(s.pastBans().size());
        for (Ban b : s.pastBans()) {
            ban(out, b);
        }
    }

    private static WorkerSnapshot snapshot(DataInputStream in) throws IOException {
        String workerId = string(in);
        Instant firstSeen = instant(in);
        Instant lastSeen = instant(in);
        Instant lastJobAt = optionalInstant(in);
        Instant decayedAt = instant(in);
        long completed = in.readLong();
        long failed = in.readLong();
        Map<Horizon, Double> successes = new EnumMap<>(Horizon.class);
        Map<Horizon, Double> failures = new EnumMap<>(Horizon.class);
        for (Horizon h : Horizon.values()) {
            successes.put(h, in.readDouble());
            failures.put(h, in.readDouble());
        }
        int consecutiveSuccesses = in.readInt();
        int consecutiveFailures = in.readInt();
        Moments exec = moments(in);
        Moments ratio = moments(in);
        Moments quality = moments(in);
        BigInteger earnings = amount(in);
        HealthMetrics lastHealth = null;
        Instant lastHealthAt = null;
        if (in.readBoolean()) {
            lastHealth = health(in);
            lastHealthAt = instant(in);
        }
        Map<PenaltyType, Integer> counts = new EnumMap<>(PenaltyType.class);
        Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        for (PenaltyType t : PenaltyType.values()) {
            counts.put(t, 0);
            severities.put(t, 0.0);
        }
        int types = in.readUnsignedByte();
        for (int i = 0; i < types; i++) {
            PenaltyType t = PenaltyType.valueOf(string(in));
            counts.put(t, in.readInt());
            severities.put(t, in.readDouble());
        }
        int malicious = in.readInt();
        int banCount = in.readInt();
        Ban currentBan = in.readBoolean() ? ban(in, workerId) : null;
        // a penalty takes at least 32 bytes, a ban 23
        int n = count(in, in.readInt(), MAX_HISTORY, 32, "recent penalties");
        List<Penalty> penalties = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant at = instant(in);
            PenaltyType type = PenaltyType.valueOf(string(in));
            double severity = in.readDouble();
            String reason = string(in);
            penalties.add(new Penalty(workerId, type, severity, reason, string(in), at));
        }
        n = count(in, in.readInt(), MAX_HISTORY, 23, "past bans");
        List<Ban> bans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bans.add(ban(in, workerId));
        }
        return new WorkerSnapshot(workerId, firstSeen, lastSeen, lastJobAt, decayedAt, completed, failed, successes,
                failures, consecutiveSuccesses, consecutiveFailures, exec, ratio, quality, earnings, lastHealth,
                lastHealthAt, counts, severities, malicious, banCount, currentBan, penalties, bans);
    }

    private static void moments(DataOutputStream out, Moments m) throws IOException {
        out.writeLong(m.count());
        out.writeDouble(m.mean());
        out.writeDouble(m.variance());
    }

    private static Moments moments(DataInputStream in) throws IOException {
        return new Moments(in.readLong(), in.readDouble(), in.readDouble());
    }

    /** An amount in [0, 2^128): a length byte 0 and a variable-length number when it fits a long, else its bytes. */
    private static void amount(DataOutputStream out, BigInteger amount) throws IOException {
        if (amount.bitLength() < Long.SIZE) {
            out.writeByte(0);
            varLong(out, amount.longValue());
            return;
        }
        byte[] b = amount.toByteArray();
        out.writeByte(b.length);
        out.write(b);
    }

    private static BigInteger amount(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        if (n == 0) {
            return BigInteger.valueOf(varLong(in));
        }
        count(in, n, MAX_AMOUNT_BYTES, 1, "amount bytes");
        byte[] b = new byte[n];
        in.readFully(b);
        return new BigInteger(b);
    }

    private static void health(DataOutputStream out, HealthMetrics m) throws IOException {
        out.writeLong(m.responseTimeMs());
        out.writeDouble(m.cpuUsagePercent());
        out.writeDouble(m.memoryUsagePercent());
        out.writeDouble(m.diskUsagePercent());
        out.writeLong(m.networkLatencyMs());
        optionalDouble(out, m.bandwidthMbps());
        optionalDouble(out, m.gpuUtilizationPercent());
        optionalDouble(out, m.temperatureCelsius());
        out.writeLong(m.errorCount());
    }

    private static HealthMetrics health(DataInputStream in) throws IOException {
        return new HealthMetrics(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(),
                optionalDouble(in), optionalDouble(in), optionalDouble(in), in.readLong());
    }

    private static void ban(DataOutputStream out, Ban ban) throws IOException {
        instant(out, ban.bannedAt());
        banAfter(out, ban);
    }

    private static Ban ban(DataInputStream in, String workerId) throws IOException {
        return banAfter(in, workerId, instant(in));
    }

    /** A ban but for its worker and start, which a record or a row writes its own way. */
    private static void banAfter(DataOutputStream out, Ban ban) throws IOException {
        string(out, ban.reason());
        out.writeBoolean(ban.automatic());
        optionalInstant(out, ban.until());
        optionalInstant(out, ban.liftedAt());
        string(out, ban.liftReason());
    }

    private static Ban banAfter(DataInputStream in, String workerId, Instant bannedAt) throws IOException {
        String reason = string(in);
        boolean automatic = in.readBoolean();
        Instant until = optionalInstant(in);
        Instant liftedAt = optionalInstant(in);
        return new Ban(workerId, reason, automatic, bannedAt, until, liftedAt, string(in));
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        count(in, n, MAX_STRING_BYTES, 1, "string bytes");
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A time in a row: seconds relative to the previous one's, then nanoseconds. */
    private static void time(DataOutputStream out, Instant t, Row row) throws IOException {
        varLong(out, zigzag(t.getEpochSecond() - row.second));
        row.second = t.getEpochSecond();
        varLong(out, t.getNano());
    }

    private static Instant time(DataInputStream in, Row row) throws IOException {
        row.second += unzigzag(varLong(in));
        return Instant.ofEpochSecond(row.second, varLong(in));
    }

    /** An unsigned variable-length number: 7 bits a byte, low first, the high bit saying more follow. */
    private static void varLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long varLong(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptPayloadException("a variable-length number longer than 64 bits");
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void optionalInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            instant(out, t);
        }
    }

    private static Instant optionalInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? instant(in) : null;
    }

    private static void optionalDouble(DataOutputStream out, Double d) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            out.writeDouble(d);
        }
    }

    private static Double optionalDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }
}
