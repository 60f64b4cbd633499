package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.engine.state.Auction;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;

class EntryCodecTest {

    private static final Instant T = Instant.parse("2026-11-29T01:02:03.123456789Z");
    private final EntryCodec codec = new EntryCodec();

    static List<JournalEntry> everyKind() {
        BigInteger max = BigInteger.TWO.pow(128).subtract(BigInteger.ONE);
        WorkerRecord r = WorkerRecord.newWorker("imported", T);
        r.recordOutcome(true, 10, BigInteger.TEN, 0.5, 20L, T);
        return List.of(
                JournalEntry.of(new Change.Health("w-é", new HealthMetrics(1, 2.5, 3, 4, 5, 6.0, null, -12.5, 7), T)),
                JournalEntry.of(new Change.Outcome("w1", true, 0, max, null, null, T)),
                JournalEntry.of(new Change.Outcome("w1", false, Long.MAX_VALUE, BigInteger.ZERO, 1.0, 1L, T),
                        new Change.BanChange(new Ban("w1", "4 failures", true, T, T.plusSeconds(60), null, null))),
                JournalEntry.of(new Change.PenaltyChange(
                        new Penalty("w2", PenaltyType.MALICIOUS_BEHAVIOR, 0.5, "x".repeat(1024), "job-1", T), true)),
                JournalEntry.of(new Change.PenaltyChange(new Penalty("w2", PenaltyType.JOB_TIMEOUT, 0.8, "late", null, T),
                        false)),
                JournalEntry.of(new Change.BanChange(new Ban("w3", "operator", false, T, null, null, null))),
                JournalEntry.of(new Change.Unban("w3", "appeal", T.plusNanos(1))),
                JournalEntry.clear(),
                JournalEntry.of(new Change.Put(r.toSnapshot(), T)));
    }

    /**
     * {@link #everyKind()} and auctions (format 3 on): bids of workers the row named already and of new ones, an
     * amount beyond a long, no job id, none chosen, no bid.
     */
    static List<JournalEntry> everyKindWithAuctions() {
        List<JournalEntry> entries = new java.util.ArrayList<>(everyKind());
        entries.add(1, JournalEntry.auction(new Auction("job-1", List.of(Bid.of("w1", 120, 3000),
                new Bid("w-new", BigInteger.TWO.pow(127), 0), Bid.of("w2", 0, 1)), "w-new", T.minusSeconds(5))));
        entries.add(JournalEntry.auction(new Auction(null, List.of(Bid.of("w3", 7, 7)), null, T.plusNanos(3))));
        entries.add(JournalEntry.auction(new Auction("job-2", List.of(), null, T)));
        entries.add(JournalEntry.clear());
        return entries;
    }

    static List<EntryCodec.Journaled> withTickets(List<JournalEntry> entries) {
        List<EntryCodec.Journaled> list = new java.util.ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            list.add(new EntryCodec.Journaled(Long.MAX_VALUE - i, entries.get(i)));
        }
        return list;
    }

    @Test
    void everyKindOfChangeReadsBackEqualWithItsTicket() {
        List<EntryCodec.Journaled> entries = withTickets(everyKind());
        assertThat(codec.decode(codec.encode(entries))).isEqualTo(entries);
    }

    @Test
    void auctionsReadBackEqualAmongChangesAndClears() {
        List<EntryCodec.Journaled> entries = withTickets(everyKindWithAuctions());
        List<EntryCodec.Journaled> read = codec.decode(codec.encode(entries));
        assertThat(read).isEqualTo(entries);
        assertThat(read).filteredOn(j -> j.entry().isAuction()).hasSize(3)
                .allSatisfy(j -> assertThat(j.entry().isClear()).isFalse());
        assertThat(read.get(read.size() - 1).entry().isClear()).isTrue();
    }

    @Test
    void aRowOfAnUnknownEntryKindIsRefused() {
        byte[] clear = codec.encode(List.of(new EntryCodec.Journaled(1, JournalEntry.clear())));
        assertThat(clear).containsExactly(EntryCodec.FORMAT, 1, 2, 0, 0); // one entry, ticket 1, no change, a clear
        byte[] unknown = clear.clone();
        unknown[4] = 2;
        assertThatThrownBy(() -> codec.decode(unknown)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown entry kind 2");
    }

    @Test
    void aRowNamesEachWorkerOnceAndTimesAndTicketsGoBothWays() {
        Instant later = T.plusSeconds(3_600);
        List<EntryCodec.Journaled> entries = List.of(
                new EntryCodec.Journaled(500, JournalEntry.of(new Change.Outcome("w-a", true, 1, BigInteger.ONE, null,
                        null, later))),
                new EntryCodec.Journaled(3, JournalEntry.of(new Change.Outcome("w-b", false, 2, BigInteger.ZERO, 0.5,
                        7L, T))),
                new EntryCodec.Journaled(501, JournalEntry.of(new Change.Outcome("w-a", true, 3, BigInteger.TEN, null,
                        null, T.minusNanos(1)))));
        byte[] payload = codec.encode(entries);
        assertThat(codec.decode(payload)).isEqualTo(entries);
        // "w-a" is written once
        assertThat(new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1).split("w-a", -1)).hasSize(2);
    }

    @Test
    void aRecordReadsBackEqual() {
        WorkerRecord r = WorkerRecord.newWorker("w-1", T);
        r.recordOutcome(false, 10, BigInteger.TWO.pow(127), 0.25, 20L, T);
        r.recordHealth(new HealthMetrics(1, 2, 3, 4, 5, null, 50.0, null, 9), T.plusSeconds(1));
        r.recordPenalty(new Penalty("w-1", PenaltyType.JOB_TIMEOUT, 0.8, "late", "j", T.plusSeconds(2)), 10);
        r.recordMalicious();
        r.startBan(new Ban("w-1", "x", true, T.plusSeconds(3), T.plusSeconds(60), null, null), 5);
        r.liftBan(T.plusSeconds(4), "appeal", 5);
        r.startBan(new Ban("w-1", "y", false, T.plusSeconds(5), null, null, null), 5);
        assertThat(codec.decodeRecord(codec.encodeRecord(r.toSnapshot()))).isEqualTo(r.toSnapshot());
        WorkerRecord empty = WorkerRecord.newWorker("w-2", T);
        assertThat(codec.decodeRecord(codec.encodeRecord(empty.toSnapshot()))).isEqualTo(empty.toSnapshot());
    }

    @Test
    void aTruncatedOrForeignPayloadIsRefusedNotMisread() {
        byte[] payload = codec.encode(withTickets(everyKind()));
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(payload, payload.length - 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated or corrupt");
        byte[] newer = payload.clone();
        newer[0] = EntryCodec.FORMAT + 1;
        assertThatThrownBy(() -> codec.decode(newer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format " + (EntryCodec.FORMAT + 1) + " is not readable");
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThatThrownBy(() -> codec.decode(longer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bytes after its end");
    }
}
