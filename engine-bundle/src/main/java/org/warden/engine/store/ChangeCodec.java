package org.warden.engine.store;

import static org.warden.engine.store.CodecFields.amount;
import static org.warden.engine.store.CodecFields.banAfter;
import static org.warden.engine.store.CodecFields.health;
import static org.warden.engine.store.CodecFields.string;
import static org.warden.engine.store.CodecFields.unzigzag;
import static org.warden.engine.store.CodecFields.varLong;
import static org.warden.engine.store.CodecFields.zigzag;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.warden.api.Ban;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.engine.state.Change;
import org.warden.engine.store.EntryCodec.CorruptPayloadException;

/**
 * One change of a journal row in bytes: a tag naming its kind, its time relative to the row's previous one, then
 * what that kind carries. Apart from the row's framing ({@link EntryCodec}) so that a new kind of change, or a
 * change that carries more, is added here alone.
 */
final class ChangeCodec {

    private static final int HEALTH = 1;
    private static final int OUTCOME = 2;
    private static final int PENALTY = 3;
    private static final int BAN = 4;
    private static final int UNBAN = 5;
    private static final int PUT = 6;

    private ChangeCodec() {
    }

    /** What the entries of one row share: its workers, named once, and the previous ticket and time. */
    static final class Row {
        final Map<String, Integer> index = new HashMap<>();
        final List<String> ids = new ArrayList<>();
        long ticket;
        long second;

        /** A worker by its number in the row, named (after its number) where it is first used. */
        void writeWorker(DataOutputStream out, String workerId) throws IOException {
            Integer known = index.get(workerId);
            if (known == null) {
                varLong(out, index.size());
                string(out, workerId);
                index.put(workerId, index.size());
            } else {
                varLong(out, known);
            }
        }

        String readWorker(DataInputStream in) throws IOException {
            long n = varLong(in);
            if (n == ids.size()) {
                ids.add(string(in));
            } else if (n < 0 || n > ids.size()) {
                throw new CorruptPayloadException("worker " + n + " before it was named");
            }
            return ids.get((int) n);
        }
    }

    static void write(DataOutputStream out, Change c, Row row) throws IOException {
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
            SnapshotCodec.write(out, p.snapshot());
        } else {
            throw new IllegalArgumentException("no encoding for " + c.getClass().getName());
        }
    }

    static Change read(DataInputStream in, String workerId, Row row) throws IOException {
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
                return new Change.Put(SnapshotCodec.read(in), at);
            default:
                throw new CorruptPayloadException("unknown change tag " + tag);
        }
    }

    /** A time in a row: seconds relative to the previous one's, then nanoseconds. */
    static void time(DataOutputStream out, Instant t, Row row) throws IOException {
        varLong(out, zigzag(t.getEpochSecond() - row.second));
        row.second = t.getEpochSecond();
        varLong(out, t.getNano());
    }

    static Instant time(DataInputStream in, Row row) throws IOException {
        row.second += unzigzag(varLong(in));
        return Instant.ofEpochSecond(row.second, varLong(in));
    }
}
