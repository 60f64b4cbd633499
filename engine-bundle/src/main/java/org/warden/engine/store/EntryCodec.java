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
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;

/**
 * The journal's row payload: a batch of entries in a compact binary form (one row per group commit, so the
 * database sees one insert however many calls it carries). Tagged and versioned, so a newer build reads what an
 * older one wrote; penalty types are written by name, so reordering the enum changes nothing. An imported
 * record ({@link Change.Put}, rare) is written as the JSON of its {@link WorkerSnapshot}, the export format.
 */
final class EntryCodec {

    /** Format of a batch payload; a reader refuses a newer one rather than misread it. */
    static final int FORMAT = 1;
    private static final int CLEAR = 0;
    private static final int HEALTH = 1;
    private static final int OUTCOME = 2;
    private static final int PENALTY = 3;
    private static final int BAN = 4;
    private static final int UNBAN = 5;
    private static final int PUT = 6;

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    byte[] encode(List<JournalEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * entries.size() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(entries.size());
            for (JournalEntry e : entries) {
                if (e.isClear()) {
                    out.writeByte(0);
                    out.writeByte(CLEAR);
                    continue;
                }
                out.writeByte(e.changes().size());
                for (Change c : e.changes()) {
                    write(out, c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    List<JournalEntry> decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalStateException("journal batch format " + format + " is not readable by this build "
                        + "(it reads format " + FORMAT + "): written by a newer Warden?");
            }
            int n = in.readInt();
            List<JournalEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int changes = in.readUnsignedByte();
                if (changes == 0) {
                    int tag = in.readUnsignedByte();
                    if (tag != CLEAR) {
                        throw new IllegalStateException("journal batch: unknown entry tag " + tag);
                    }
                    entries.add(JournalEntry.clear());
                    continue;
                }
                List<Change> list = new ArrayList<>(changes);
                for (int k = 0; k < changes; k++) {
                    list.add(read(in));
                }
                entries.add(new JournalEntry(list.get(0).workerId(), list));
            }
            if (in.available() > 0) {
                throw new IllegalStateException("journal batch: " + in.available() + " bytes after the last entry");
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("journal batch is truncated or corrupt: " + e, e);
        }
    }

    private void write(DataOutputStream out, Change c) throws IOException {
        if (c instanceof Change.Health h) {
            out.writeByte(HEALTH);
            string(out, h.workerId());
            instant(out, h.at());
            HealthMetrics m = h.metrics();
            out.writeLong(m.responseTimeMs());
            out.writeDouble(m.cpuUsagePercent());
            out.writeDouble(m.memoryUsagePercent());
            out.writeDouble(m.diskUsagePercent());
            out.writeLong(m.networkLatencyMs());
            optionalDouble(out, m.bandwidthMbps());
            optionalDouble(out, m.gpuUtilizationPercent());
            optionalDouble(out, m.temperatureCelsius());
            out.writeLong(m.errorCount());
        } else if (c instanceof Change.Outcome o) {
            out.writeByte(OUTCOME);
            string(out, o.workerId());
            instant(out, o.at());
            out.writeBoolean(o.success());
            out.writeLong(o.executionTimeMs());
            byte[] earnings = o.earnings().toByteArray();
            out.writeByte(earnings.length);
            out.write(earnings);
            optionalDouble(out, o.resultQuality());
            out.writeBoolean(o.estimatedTimeMs() != null);
            if (o.estimatedTimeMs() != null) {
                out.writeLong(o.estimatedTimeMs());
            }
        } else if (c instanceof Change.PenaltyChange p) {
            out.writeByte(PENALTY);
            Penalty penalty = p.penalty();
            string(out, penalty.workerId());
            instant(out, penalty.at());
            string(out, penalty.type().name());
            out.writeDouble(penalty.severity());
            string(out, penalty.reason());
            string(out, penalty.jobId());
            out.writeBoolean(p.malicious());
        } else if (c instanceof Change.BanChange b) {
            out.writeByte(BAN);
            Ban ban = b.ban();
            string(out, ban.workerId());
            instant(out, ban.bannedAt());
            string(out, ban.reason());
            out.writeBoolean(ban.automatic());
            optionalInstant(out, ban.until());
            optionalInstant(out, ban.liftedAt());
            string(out, ban.liftReason());
        } else if (c instanceof Change.Unban u) {
            out.writeByte(UNBAN);
            string(out, u.workerId());
            instant(out, u.at());
            string(out, u.reason());
        } else if (c instanceof Change.Put p) {
            out.writeByte(PUT);
            string(out, p.workerId());
            instant(out, p.at());
            byte[] snapshot = json.writeValueAsBytes(p.snapshot());
            out.writeInt(snapshot.length);
            out.write(snapshot);
        } else {
            throw new IllegalArgumentException("no encoding for " + c.getClass().getName());
        }
    }

    private Change read(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        String workerId = string(in);
        Instant at = instant(in);
        switch (tag) {
            case HEALTH:
                return new Change.Health(workerId, new HealthMetrics(in.readLong(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readLong(), optionalDouble(in), optionalDouble(in), optionalDouble(in),
                        in.readLong()), at);
            case OUTCOME: {
                boolean success = in.readBoolean();
                long executionTimeMs = in.readLong();
                byte[] earnings = new byte[in.readUnsignedByte()];
                in.readFully(earnings);
                Double quality = optionalDouble(in);
                Long estimate = in.readBoolean() ? in.readLong() : null;
                return new Change.Outcome(workerId, success, executionTimeMs, new BigInteger(earnings), quality,
                        estimate, at);
            }
            case PENALTY: {
                PenaltyType type = PenaltyType.valueOf(string(in));
                double severity = in.readDouble();
                String reason = string(in);
                String jobId = string(in);
                return new Change.PenaltyChange(new Penalty(workerId, type, severity, reason, jobId, at), in.readBoolean());
            }
            case BAN: {
                String reason = string(in);
                boolean automatic = in.readBoolean();
                Instant until = optionalInstant(in);
                Instant liftedAt = optionalInstant(in);
                return new Change.BanChange(new Ban(workerId, reason, automatic, at, until, liftedAt, string(in)));
            }
            case UNBAN:
                return new Change.Unban(workerId, string(in), at);
            case PUT: {
                byte[] snapshot = new byte[in.readInt()];
                in.readFully(snapshot);
                return new Change.Put(json.readValue(snapshot, WorkerSnapshot.class), at);
            }
            default:
                throw new IllegalStateException("journal batch: unknown change tag " + tag);
        }
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
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
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
