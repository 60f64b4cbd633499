package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.engine.state.WorkerRecord;

/**
 * Issue 12, row 2: a journal row or checkpoint record whose bytes are corrupt (truncated, a length field inflated,
 * random, mutated) gives the codec's own {@link EntryCodec.CorruptPayloadException}, never another throwable: no
 * {@link OutOfMemoryError} from a huge length, no {@link NegativeArraySizeException}, no buffer underflow.
 * Seeded loops (the seed in every failure message), so a failure is reproducible.
 */
class CorruptPayloadTest {

    private static final long SEED = 0x5741524445_4e12L;
    private static final int CASES = 100_000;
    private final EntryCodec codec = new EntryCodec();

    private byte[] batch() {
        return codec.encode(EntryCodecTest.withTickets(EntryCodecTest.everyKind()));
    }

    private byte[] record() {
        Instant t = Instant.parse("2026-11-29T01:02:03Z");
        WorkerRecord r = WorkerRecord.newWorker("w-1", t);
        r.recordOutcome(false, 10, BigInteger.TWO.pow(127), 0.25, 20L, t);
        r.recordHealth(new HealthMetrics(1, 2, 3, 4, 5, null, 50.0, null, 9), t.plusSeconds(1));
        r.recordPenalty(new Penalty("w-1", PenaltyType.JOB_TIMEOUT, 0.8, "late", "j", t.plusSeconds(2)), 10);
        r.startBan(new Ban("w-1", "x", true, t.plusSeconds(3), t.plusSeconds(60), null, null), 5);
        r.liftBan(t.plusSeconds(4), "appeal", 5);
        return codec.encodeRecord(r.toSnapshot());
    }

    /** Decodes {@code bytes}: fine, or the codec's own exception with a message; anything else fails the test. */
    private static void onlyTheCodecsError(Function<byte[], ?> decoder, byte[] bytes, String what) {
        try {
            decoder.apply(bytes);
        } catch (EntryCodec.CorruptPayloadException e) {
            assertThat(e.getMessage()).as(what).isNotBlank();
        } catch (Throwable t) { // the point of the test: an OutOfMemoryError, too, is a failure, with its input
            fail(what + " threw " + t + " rather than the codec's CorruptPayloadException; bytes: "
                    + Arrays.toString(bytes), t);
        }
    }

    @Test
    void everyTruncationOfARowAndOfARecordIsRefusedClearly() {
        byte[] row = batch();
        for (int n = 0; n < row.length; n++) {
            byte[] cut = Arrays.copyOf(row, n);
            assertThatThrownBy(() -> codec.decode(cut)).as("row cut at %d", n)
                    .isExactlyInstanceOf(EntryCodec.CorruptPayloadException.class);
        }
        byte[] rec = record();
        for (int n = 0; n < rec.length; n++) {
            byte[] cut = Arrays.copyOf(rec, n);
            assertThatThrownBy(() -> codec.decodeRecord(cut)).as("record cut at %d", n)
                    .isExactlyInstanceOf(EntryCodec.CorruptPayloadException.class);
        }
        assertThatThrownBy(() -> codec.decode(null)).isExactlyInstanceOf(EntryCodec.CorruptPayloadException.class);
    }

    /** The row of the issue: a length field saying 2 GB; nothing of that size is allocated. */
    @Test
    void aHugeLengthIsRefusedBeforeAnythingIsAllocated() {
        // a row claiming 2^62 entries, then a worker name of Integer.MAX_VALUE bytes
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(EntryCodec.FORMAT);
        writeVarLong(b, 1L << 62);
        assertThatThrownBy(() -> codec.decode(b.toByteArray()))
                .isExactlyInstanceOf(EntryCodec.CorruptPayloadException.class)
                .hasMessageContaining("journal batch: a count of " + (1L << 62) + " entries");

        ByteArrayOutputStream name = new ByteArrayOutputStream();
        name.write(EntryCodec.FORMAT);
        writeVarLong(name, 1); // one entry
        writeVarLong(name, 0); // ticket
        writeVarLong(name, 1); // one change
        writeVarLong(name, 0); // a new worker, named now:
        name.writeBytes(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
        name.writeBytes(new byte[16]);
        assertThatThrownBy(() -> codec.decode(name.toByteArray()))
                .isExactlyInstanceOf(EntryCodec.CorruptPayloadException.class)
                .hasMessageContaining("a count of " + Integer.MAX_VALUE + " string bytes");

        // every 4-byte window of a valid row and record set to a huge or negative number (inflating whatever
        // length field is there)
        for (boolean isRow : new boolean[] { true, false }) {
            byte[] valid = isRow ? batch() : record();
            Function<byte[], ?> decoder = isRow ? codec::decode : codec::decodeRecord;
            for (int at = 1; at + 4 <= valid.length; at++) {
                for (int value : new int[] { Integer.MAX_VALUE, Integer.MIN_VALUE, -2, 0x7FFF_FFF0 }) {
                    byte[] inflated = valid.clone();
                    ByteBuffer.wrap(inflated).putInt(at, value);
                    onlyTheCodecsError(decoder, inflated, (isRow ? "row" : "record") + " with " + value + " at " + at);
                }
                byte[] varInflated = valid.clone();
                Arrays.fill(varInflated, at, Math.min(valid.length, at + 9), (byte) 0xFF);
                onlyTheCodecsError(decoder, varInflated, "a 9-byte run of 0xFF at " + at);
            }
        }
    }

    @Test
    void randomAndMutatedBytesGiveOnlyTheCodecsError() {
        Random random = new Random(SEED);
        byte[][] valid = { batch(), record() };
        for (int i = 0; i < CASES; i++) {
            boolean row = (i & 1) == 0;
            byte[] base = valid[row ? 0 : 1];
            byte[] bytes;
            switch (random.nextInt(4)) {
                case 0 -> { // random bytes of the right format
                    bytes = new byte[random.nextInt(200)];
                    random.nextBytes(bytes);
                    if (bytes.length > 0) {
                        bytes[0] = EntryCodec.FORMAT;
                    }
                }
                case 1 -> { // a few bytes of a valid one changed
                    bytes = base.clone();
                    for (int k = random.nextInt(4) + 1; k > 0; k--) {
                        bytes[1 + random.nextInt(bytes.length - 1)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> { // a run of bytes cut out, or repeated
                    int from = 1 + random.nextInt(base.length - 1);
                    int len = 1 + random.nextInt(Math.min(32, base.length - from));
                    bytes = random.nextBoolean()
                            ? concat(Arrays.copyOf(base, from), Arrays.copyOfRange(base, from + len, base.length))
                            : concat(Arrays.copyOf(base, from + len), Arrays.copyOfRange(base, from, base.length));
                }
                default -> { // one bit flipped
                    bytes = base.clone();
                    int bit = 8 + random.nextInt((bytes.length - 1) * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            onlyTheCodecsError(row ? codec::decode : codec::decodeRecord, bytes,
                    "case " + i + " of seed " + SEED + " (" + (row ? "row" : "record") + ")");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
