package org.warden.engine.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.policy.Moments;
import org.warden.engine.store.EntryCodec.CorruptPayloadException;

/**
 * The encodings of the single values every binary form of the store is made of (numbers, strings, times, amounts,
 * health metrics, bans), apart from the forms (a journal row's changes, a checkpoint's record) that put them
 * together: a value is written the same way wherever it stands, so it changes here once. Every reader checks a
 * length against the bytes left before it allocates for it.
 */
final class CodecFields {

    /**
     * The longest string a reader accepts, in bytes: the engine's longest text (a reason, 1024 characters) is at
     * most 4096 bytes of UTF-8; more is a corrupt length, not a text, and is never allocated.
     */
    static final int MAX_STRING_BYTES = 64 * 1024;
    /** An amount is below 2^128: at most 17 bytes of two's complement. */
    private static final int MAX_AMOUNT_BYTES = 17;

    private CodecFields() {
    }

    /**
     * A count read from the bytes, refused unless it is in [0, {@code max}] and the bytes left hold that many items
     * of at least {@code minBytes} each: so a corrupt count never sizes an allocation.
     */
    static int count(DataInputStream in, long n, int max, int minBytes, String what) throws IOException {
        int left = in.available();
        if (n < 0 || n > max || n > left / minBytes) {
            throw new CorruptPayloadException("a count of " + n + " " + what + " with " + left
                    + " bytes left (at most " + max + ", of at least " + minBytes + " bytes each)");
        }
        return (int) n;
    }

    static void moments(DataOutputStream out, Moments m) throws IOException {
        out.writeLong(m.count());
        out.writeDouble(m.mean());
        out.writeDouble(m.variance());
    }

    static Moments moments(DataInputStream in) throws IOException {
        return new Moments(in.readLong(), in.readDouble(), in.readDouble());
    }

    /** An amount in [0, 2^128): a length byte 0 and a variable-length number when it fits a long, else its bytes. */
    static void amount(DataOutputStream out, BigInteger amount) throws IOException {
        if (amount.bitLength() < Long.SIZE) {
            out.writeByte(0);
            varLong(out, amount.longValue());
            return;
        }
        byte[] b = amount.toByteArray();
        out.writeByte(b.length);
        out.write(b);
    }

    static BigInteger amount(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        if (n == 0) {
            return BigInteger.valueOf(varLong(in));
        }
        count(in, n, MAX_AMOUNT_BYTES, 1, "amount bytes");
        byte[] b = new byte[n];
        in.readFully(b);
        return new BigInteger(b);
    }

    static void health(DataOutputStream out, HealthMetrics m) throws IOException {
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

    static HealthMetrics health(DataInputStream in) throws IOException {
        return new HealthMetrics(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(),
                optionalDouble(in), optionalDouble(in), optionalDouble(in), in.readLong());
    }

    static void ban(DataOutputStream out, Ban ban) throws IOException {
        instant(out, ban.bannedAt());
        banAfter(out, ban);
    }

    static Ban ban(DataInputStream in, String workerId) throws IOException {
        return banAfter(in, workerId, instant(in));
    }

    /** A ban but for its worker and start, which a record or a row writes its own way. */
    static void banAfter(DataOutputStream out, Ban ban) throws IOException {
        string(out, ban.reason());
        out.writeBoolean(ban.automatic());
        optionalInstant(out, ban.until());
        optionalInstant(out, ban.liftedAt());
        string(out, ban.liftReason());
    }

    static Ban banAfter(DataInputStream in, String workerId, Instant bannedAt) throws IOException {
        String reason = string(in);
        boolean automatic = in.readBoolean();
        Instant until = optionalInstant(in);
        Instant liftedAt = optionalInstant(in);
        return new Ban(workerId, reason, automatic, bannedAt, until, liftedAt, string(in));
    }

    static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        count(in, n, MAX_STRING_BYTES, 1, "string bytes");
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** An unsigned variable-length number: 7 bits a byte, low first, the high bit saying more follow. */
    static void varLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long varLong(DataInputStream in) throws IOException {
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

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    static void optionalInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            instant(out, t);
        }
    }

    static Instant optionalInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? instant(in) : null;
    }

    static void optionalDouble(DataOutputStream out, Double d) throws IOException {
        out.writeBoolean(d != null);
        if (d != null) {
            out.writeDouble(d);
        }
    }

    static Double optionalDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }
}
