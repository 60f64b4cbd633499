package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;
import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.state.WorkerRecord;

/**
 * Export and import as streams (issue 12, rows 1 and 7): the export never holds the text of the network, the import
 * never reads more than its limit (a 5 GB file took Karaf from 343 to 960 MB), and what a file says is quoted in a
 * message only once made printable.
 */
class SnapshotStreamsTest {

    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
    private static final String HEAD = "{\"format\": 1, \"exportedAt\": \"2026-03-01T00:00:00Z\", \"workers\": [";

    @TempDir
    Path dir;

    @Test
    void theStreamedJsonIsWhatTheMapperWrites() throws IOException {
        Snapshot snapshot = network(7);
        assertThat(written(snapshot)).isEqualTo(Json.mapper().writeValueAsString(snapshot));
    }

    @Test
    void theExportIsWrittenWorkerByWorkerInSmallPieces() throws IOException {
        Snapshot snapshot = network(3_000);
        long[] largestWrite = {0};
        long[] total = {0};
        int[] writes = {0};
        OutputStream watcher = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                largestWrite[0] = Math.max(largestWrite[0], len);
                total[0] += len;
                writes[0]++;
            }
        };
        SnapshotWriter.write(snapshot, watcher);
        assertThat(total[0]).isGreaterThan(3_000_000L);
        // Jackson's own buffer (8 KB), never the network as one piece
        assertThat(largestWrite[0]).isLessThanOrEqualTo(16_384L);
        assertThat(writes[0]).isGreaterThan(100);
    }

    @Test
    void aLargeNetworkGoesToAFileAndBackExactly() {
        Snapshot snapshot = network(3_000);
        SnapshotFiles files = new SnapshotFiles(new ExportDirectory(dir.resolve("exports")), 64L << 20);
        files.export(snapshot, "network.json", false);
        assertThat(files.read("network.json")).isEqualTo(snapshot);
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        SnapshotFiles files = new SnapshotFiles(new ExportDirectory(dir.resolve("exports")), 10_000);
        Path file = files.export(network(20), "big.json", false);
        long size = Files.size(file);
        assertThat(size).isGreaterThan(10_000);
        assertThatThrownBy(() -> files.read("big.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("big.json: " + size + " bytes, larger than the import limit of 10000 bytes "
                        + "(maxImportMegabytes in org.warden.snapshot); nothing imported");
    }

    @Test
    void anEndlessStreamIsRefusedAtTheLimitWhileReading() throws IOException {
        byte[] head = HEAD.getBytes(StandardCharsets.UTF_8);
        byte[] worker = (Json.mapper().writeValueAsString(network(1).workers().get(0)) + ",")
                .getBytes(StandardCharsets.UTF_8);
        long[] delivered = {0};
        // a file whose size said nothing: workers for ever (what a 5 GB file is to a reader)
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                long i = delivered[0]++;
                return i < head.length ? head[(int) i] : worker[(int) ((i - head.length) % worker.length)];
            }
        };
        int limit = 1 << 20;
        assertThatThrownBy(() -> new SnapshotReader("endless.json", limit).read(endless))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endless.json: larger than the import limit of " + limit + " bytes (maxImportMegabytes in "
                        + "org.warden.snapshot); nothing imported");
        assertThat(delivered[0]).isEqualTo(limit + 1L);
    }

    @Test
    void theLimitIsASettingAndABadValueKeepsThePreviousOne() {
        SnapshotFiles files = files(config(16));
        assertThat(files.maxImportBytes()).isEqualTo(16L << 20);
        files.modified(config(0));
        assertThat(files.maxImportBytes()).isEqualTo(16L << 20);
        files.modified(config(SnapshotFiles.MAX_IMPORT_MEGABYTES + 1));
        assertThat(files.maxImportBytes()).isEqualTo(16L << 20);
        files.modified(config(128));
        assertThat(files.maxImportBytes()).isEqualTo(128L << 20);
        assertThat(files(config(64)).maxImportBytes()).as("the default").isEqualTo(64L << 20);
    }

    @Test
    void hostileFilesAreRefusedWithPrintableMessages() {
        assertRefused(HEAD.replace("\"workers\"", "\"\\u001b]0;pwned\\u0007\"") + "]}",
                "x.json: not a Warden export: unknown field '\\u001B]0;pwned\\u0007'");
        assertRefused("{\"format\": \"1\\u001b[2J\", \"workers\": []}", "format must be 1, was 1\\u001B[2J");
        assertRefused("{\"format\": 1, \"format\": 1, \"workers\": []}",
                "x.json: not a Warden export: malformed JSON at line 1, column 23: Duplicate field 'format'");
        assertRefused(HEAD + "{\"workerId\": \"" + "w".repeat(SnapshotReader.MAX_STRING_LENGTH + 1) + "\"}]}",
                "x.json: not a Warden export: String value length (16385) exceeds the maximum allowed (16384, "
                        + "from `StreamReadConstraints.getMaxStringLength()`)");
        // read strictly, a file never gets deep: the first token that is not what a worker is stops it
        assertRefused(HEAD + "[".repeat(10_000) + "]".repeat(10_000) + "]}", "workers[0] must be an object");
        String worker = "{\"workerId\": \"w\", \"earnings\": " + "9".repeat(SnapshotReader.MAX_NUMBER_LENGTH + 1) + "}";
        assertThatThrownBy(() -> SnapshotReader.parse("x.json", HEAD + worker + "]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("x.json: not a Warden export: Number value length (65) exceeds the maximum "
                        + "allowed (64");
    }

    @Test
    void escapesInReasonsAreRefusedWhereTheyEnter() throws IOException {
        WorkerSnapshot w = network(1).workers().get(0);
        String json = Json.mapper().writeValueAsString(new Snapshot(Snapshot.FORMAT, T, List.of(w)));
        String escaped = json.replace("\"reason\" : \"late\"", "\"reason\" : \"\\u001b[31mlate\"");
        assertThat(escaped).isNotEqualTo(json);
        assertRefused(escaped, "workers[0].recentPenalties[0].reason must not contain control characters "
                + "(found U+001B at index 0)");
        String badBan = json.replace("\"reason\" : \"suspected\"", "\"reason\" : \"sus\\u009bpected\"");
        assertThat(badBan).isNotEqualTo(json);
        assertRefused(badBan, "workers[0].pastBans[0].reason must not contain control characters "
                + "(found U+009B at index 3)");
    }

    @Test
    void theSameWorkerTwiceIsRefused() throws IOException {
        String worker = Json.mapper().writeValueAsString(network(1).workers().get(0));
        assertRefused(HEAD + worker + ", " + worker + "]}", "workers[1]: worker 'w-00000' appears twice");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> SnapshotReader.parse("x.json", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static String written(Snapshot snapshot) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotWriter.write(snapshot, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code n} workers with jobs, a health report, a penalty and a lifted ban each. */
    static Snapshot network(int n) {
        List<WorkerSnapshot> workers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = String.format("w-%05d", i);
            WorkerRecord r = WorkerRecord.newWorker(id, T.minusSeconds(3_600));
            r.recordOutcome(true, 1_000 + i, BigInteger.valueOf(i), 0.5, 1_100L, T.minusSeconds(3_000));
            r.recordOutcome(i % 3 != 0, 900, BigInteger.ONE.shiftLeft(100), null, null, T.minusSeconds(2_000));
            r.recordHealth(HealthMetrics.of(120, 40, 50, 30, 15), T.minusSeconds(1_500));
            r.recordPenalty(new Penalty(id, PenaltyType.JOB_TIMEOUT, 0.5, "late", "job-" + i, T.minusSeconds(1_200)), 5);
            r.startBan(new Ban(id, "suspected", false, T.minusSeconds(1_000), null, null, null), 5);
            r.liftBan(T.minusSeconds(500), "appeal accepted", 5);
            workers.add(r.toSnapshot());
        }
        return new Snapshot(Snapshot.FORMAT, T, workers);
    }

    /** The configuration Declarative Services passes, with the limit set as a number. */
    private static Map<String, Object> config(int megabytes) {
        return Map.of("maxImportMegabytes", megabytes);
    }

    /** The component as Declarative Services creates it from {@code properties}. */
    private static SnapshotFiles files(Map<String, Object> properties) {
        return new SnapshotFiles(properties, NOPLogger.NOP_LOGGER, Clock.systemUTC());
    }
}
