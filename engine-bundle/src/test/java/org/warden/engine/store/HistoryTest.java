package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.Bid;
import org.warden.api.JobOutcome;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.Auction;
import org.warden.engine.state.Change;
import org.warden.engine.state.History;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.state.JournalEntry;

/**
 * The history a what-if replays (issue 16): with a retention, a checkpoint's compaction keeps every row written
 * within it and deletes the older ones (an injected clock); without one it compacts as before. The history is read
 * in journal order with each entry's time, in batches, until the reader says stop, and a read from before what is
 * retained is refused saying since when it is. Auctions are kept beside the changes, skipped by a restore, and
 * dropped (counted, never thrown) while the store cannot take them.
 */
class HistoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private volatile Instant now = T0;
    private final List<JdbcStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(JdbcStore::close);
    }

    private Connection h2() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath()
                + ";WRITE_DELAY=0");
    }

    /** Checkpoints only when asked (the interval is an hour), followed every 20 ms. */
    private static JdbcJournal.Settings settings(Duration retention) {
        return new JdbcJournal.Settings("node", false, false, Duration.ofMillis(100), Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofSeconds(10), 1_000_000, 10_000, Duration.ofHours(1), 0)
                .withHistoryRetention(retention);
    }

    private JdbcStore store(JdbcJournal.Connector db, Duration retention) {
        JdbcStore store = new JdbcStore(db, "h2", settings(retention), clock);
        stores.add(store);
        return store;
    }

    /** A store started on a target that keeps nothing, its writer running. */
    private JdbcJournal started(JdbcJournal.Connector db, Duration retention) {
        JdbcStore store = store(db, retention);
        store.start(new StubTarget());
        assertThat(store.health().available()).as(store.health().problem()).isTrue();
        return store.journal();
    }

    private static JournalEntry outcome(String worker, Instant at) {
        return JournalEntry.of(new Change.Outcome(worker, true, 100, BigInteger.TEN, null, null, at));
    }

    private static Auction auction(String job, Instant at) {
        return new Auction(job, List.of(Bid.of("w1", 100, 1000), new Bid("w2", BigInteger.TWO.pow(100), 5)), "w2",
                at);
    }

    /** Appends {@code entry} and waits for its commit: one row each, written at the clock's time. */
    private static void committed(JdbcJournal journal, JournalEntry entry) {
        if (entry.isAuction()) {
            journal.record(entry.auction());
        } else {
            journal.append(entry);
        }
        await().atMost(WAIT).until(() -> journal.status().backlog() == 0);
    }

    private static List<Instant> rowTimes(JdbcJournal.Connector db) throws SQLException {
        List<Instant> times = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT written_at FROM warden_journal ORDER BY seq")) {
            while (rs.next()) {
                times.add(rs.getTimestamp(1).toInstant());
            }
        }
        return times;
    }

    /** What a read hands over: each entry with its time. */
    private record Read(JournalEntry entry, Instant at) {
    }

    private static List<Read> read(History history, Instant since) {
        List<Read> read = new ArrayList<>();
        history.read(since, (entry, at) -> read.add(new Read(entry, at)));
        return read;
    }

    @Test
    void aCheckpointKeepsTheRowsWrittenWithinTheRetentionAndDeletesTheOlderOnes() throws Exception {
        retentionKeepsItsRowsOnly(this::h2);
    }

    @Test
    void onPostgresqlTooTheRetentionKeepsItsRowsOnly() throws Exception {
        DataSource ds = LocalPostgres.get().freshDatabase("history");
        retentionKeepsItsRowsOnly(ds::getConnection);
    }

    private void retentionKeepsItsRowsOnly(JdbcJournal.Connector db) throws Exception {
        JdbcJournal journal = started(db, Duration.ofHours(2));
        assertThat(journal.history().retained()).as("nothing journaled yet").isEmpty();
        committed(journal, outcome("old", now));
        committed(journal, JournalEntry.auction(auction("job-old", now)));
        now = T0.plus(Duration.ofHours(1));
        Instant kept = now;
        committed(journal, outcome("kept", now));
        committed(journal, JournalEntry.auction(auction("job-kept", now)));
        now = T0.plus(Duration.ofMinutes(150));
        Instant recent = now;
        committed(journal, outcome("recent", now));
        assertThat(journal.history().retained()).contains(new History.Retained(T0, true, 5));

        // checkpoints at T0 + 2h30 (until the follower is past every row): with 2 hours kept, the rows of T0 go,
        // those of T0 + 1h stay, however many checkpoints come
        await().atMost(WAIT).until(() -> {
            journal.checkpoint();
            return rowTimes(db).size() == 3;
        });
        assertThat(journal.checkpoint().deletedRows()).isZero();
        assertThat(rowTimes(db)).containsExactly(kept, kept, recent);
        assertThat(journal.history().retained()).contains(new History.Retained(kept, false, 3));

        assertThat(read(journal.history(), kept)).containsExactly(
                new Read(outcome("kept", kept), kept),
                new Read(JournalEntry.auction(auction("job-kept", kept)), kept),
                new Read(outcome("recent", recent), recent));
        assertThat(read(journal.history(), recent)).containsExactly(new Read(outcome("recent", recent), recent));
        assertThat(read(journal.history(), recent.plusNanos(1000))).isEmpty();
        Instant tooEarly = kept.minusSeconds(1);
        assertThatThrownBy(() -> read(journal.history(), tooEarly)).isInstanceOf(IllegalStateException.class)
                .hasMessage("history since " + tooEarly + " is not retained: the oldest retained entry was written at "
                        + kept + " (historyRetentionHours=2)");

        // a restart keeps knowing that rows were compacted away
        stores.forEach(JdbcStore::close);
        JdbcJournal again = started(db, Duration.ofHours(2));
        assertThat(again.history().retained()).contains(new History.Retained(kept, false, 3));
        assertThatThrownBy(() -> read(again.history(), tooEarly)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not retained");
    }

    @Test
    void withoutRetentionACheckpointDeletesEveryRowNoNodeNeedsAndNoAuctionIsKept() throws Exception {
        JdbcJournal journal = started(this::h2, Duration.ZERO);
        committed(journal, outcome("w1", now));
        journal.record(auction("job-1", now));
        committed(journal, outcome("w2", now));
        assertThat(journal.status().committedAuctions()).isZero();
        assertThat(journal.status().droppedAuctions()).as("not dropped: not asked for").isZero();
        assertThat(rowTimes(this::h2)).hasSize(2);

        // checkpoints (until the follower is past every row): every row goes, however recent
        await().atMost(WAIT).until(() -> {
            journal.checkpoint();
            return rowTimes(this::h2).isEmpty();
        });
        assertThat(journal.history().retained()).isEmpty();
        assertThatThrownBy(() -> read(journal.history(), T0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no history is kept: the durable store keeps none (historyRetentionHours=0 in "
                        + "org.warden.store)");
    }

    @Test
    void aReadStreamsEveryEntryInJournalOrderWithItsTimeAcrossBatchesAndStopsWhenTold() {
        JdbcJournal journal = started(this::h2, Duration.ofHours(1));
        List<Read> written = new ArrayList<>();
        // more rows than a read holds at once, one per commit, times going forward a second a row
        for (int i = 0; i < Sql.HISTORY_BATCH * 2 + 7; i++) {
            now = T0.plusSeconds(i);
            JournalEntry e = i % 3 == 0 ? JournalEntry.auction(auction("job-" + i, now)) : outcome("w" + i, now);
            committed(journal, e);
            written.add(new Read(e, now));
        }
        assertThat(read(journal.history(), T0)).containsExactlyElementsOf(written);
        assertThat(read(journal.history(), T0.plusSeconds(100))).containsExactlyElementsOf(written.subList(100,
                written.size()));

        // entries committed together: each with the time of its row
        now = T0.plusSeconds(1000);
        journal.append(outcome("a", now));
        journal.record(auction("job-a", now));
        committed(journal, outcome("b", now));
        assertThat(read(journal.history(), now)).extracting(Read::at).containsOnly(now).hasSize(3);

        List<JournalEntry> seen = new ArrayList<>();
        journal.history().read(T0, (entry, at) -> {
            seen.add(entry);
            return seen.size() < Sql.HISTORY_BATCH + 3;
        });
        assertThat(seen).containsExactlyElementsOf(written.subList(0, Sql.HISTORY_BATCH + 3).stream()
                .map(Read::entry).toList());
    }

    @Test
    void auctionsAreSkippedByARestoreAndTheRecordAfterItEqualsTheOneBefore() {
        JdbcStore store = store(this::h2, Duration.ofHours(1));
        WardenEngine engine = new WardenEngine(clock, new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                EventSink.NONE);
        engine.useStore(store);
        for (int i = 0; i < 30; i++) {
            engine.recordOutcome(new JobOutcome("w" + (i % 4), i % 5 != 0, 100 + i, BigInteger.valueOf(i), null, null,
                    "job-" + i));
            store.journal().record(auction("job-" + i, now));
            engine.reportHealth("w" + (i % 4), org.warden.api.HealthMetrics.of(150, 20, 30, 40, 20));
        }
        await().atMost(WAIT).until(() -> store.health().backlog() == 0);
        assertThat(store.journal().status().committedAuctions()).isEqualTo(30);
        var before = engine.export().workers();
        store.close();

        // what a restore hands to a target: every change journaled, in order, and no auction
        List<JournalEntry> restored = new ArrayList<>();
        JdbcStore reread = store(this::h2, Duration.ofHours(1));
        reread.start(new SchemaTest.Recorder(restored));
        List<JournalEntry> journaled = read(reread.journal().history(), T0).stream().map(Read::entry).toList();
        assertThat(journaled).filteredOn(JournalEntry::isAuction).hasSize(30);
        assertThat(restored).hasSizeGreaterThanOrEqualTo(60)
                .containsExactlyElementsOf(journaled.stream().filter(e -> !e.isAuction()).toList());
        reread.close();

        JdbcStore again = store(this::h2, Duration.ofHours(1));
        WardenEngine after = new WardenEngine(clock, new InMemoryWorkerStore(), EngineSettings.DEFAULTS,
                EventSink.NONE);
        after.useStore(again);
        assertThat(after.export().workers()).containsExactlyElementsOf(before);
        // and the history still holds them, in order among the changes
        assertThat(read(again.journal().history(), T0)).filteredOn(r -> r.entry().isAuction())
                .extracting(r -> r.entry().auction().jobId())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30).mapToObj(i -> "job-" + i).toList());
    }

    @Test
    void aFollowerPassesTheOtherNodesChangesOnAndNoAuction() {
        EntryCodec codec = new EntryCodec();
        byte[] row = codec.encode(EntryCodecTest.withTickets(EntryCodecTest.everyKindWithAuctions()));
        List<JournalEntry> applied = new ArrayList<>();
        new RowReplay(codec).apply(new SchemaTest.Recorder(applied), 7, "other-node", row, null, 0, 0);
        assertThat(applied).containsExactlyElementsOf(EntryCodecTest.everyKindWithAuctions().stream()
                .filter(e -> !e.isAuction()).toList());
    }

    @Test
    void recordNeverThrowsWhileTheStoreIsDownItDropsAndCountsTheAuctions() {
        JdbcStore store = store(() -> {
            throw new SQLException("connection refused (test)");
        }, Duration.ofHours(1));
        store.start(new StubTarget());
        assertThat(store.health().available()).isFalse();
        for (int i = 0; i < 5; i++) {
            store.journal().record(auction("job-" + i, now));
        }
        JdbcJournal.Status s = store.journal().status();
        assertThat(s.droppedAuctions()).isEqualTo(5);
        assertThat(s.backlog()).as("nothing queued for the store that is down").isZero();
        assertThat(store.health().historyDroppedAuctions()).as("what network health shows").isEqualTo(5);
        assertThatThrownBy(() -> store.journal().history().read(T0, (e, at) -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the history cannot be read from the durable store (h2)")
                .hasMessageContaining("connection refused (test)");
    }

    @Test
    void recordDropsWhenTheBacklogIsFullWithoutWaiting() throws Exception {
        // a database that takes the connection, then hangs on every insert: the writer holds its batch
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        JdbcStore store = new JdbcStore(() -> Faults.inject(h2(), sql -> {
            if (sql.startsWith("INSERT INTO warden_journal")) {
                release.await();
            }
        }), "h2", new JdbcJournal.Settings("node", false, false, Duration.ofMillis(100), Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofSeconds(60), 3, 10_000, Duration.ofHours(1), 0)
                .withHistoryRetention(Duration.ofHours(1)), clock);
        stores.add(store);
        try {
            store.start(new StubTarget());
            for (int i = 0; i < 3; i++) {
                store.journal().record(auction("job-" + i, now));
            }
            await().atMost(WAIT).until(() -> store.journal().status().backlog() == 3);
            long started = System.nanoTime();
            store.journal().record(auction("job-3", now));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(store.journal().status().droppedAuctions()).isEqualTo(1);
            assertThat(store.journal().status().backlog()).isEqualTo(3);
        } finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> store.journal().status().committedAuctions() == 3);
    }

    @Test
    void theRetentionIsConfiguredInHoursBetweenNoneAndAYear() {
        assertThat(StoreSettings.settingsOf(StoreComponent.configOf(java.util.Map.of()), () -> "n").historyRetention())
                .as("the default: a week").isEqualTo(Duration.ofDays(7));
        assertThat(StoreSettings.settingsOf(StoreComponent.configOf(java.util.Map.of("historyRetentionHours", 0L)),
                () -> "n").historyRetention()).isZero();
        assertThat(StoreSettings.settingsOf(StoreComponent.configOf(java.util.Map.of("historyRetentionHours", 8784L)),
                () -> "n").historyRetention()).isEqualTo(Duration.ofDays(366));
        for (long bad : new long[] { -1, 8785 }) {
            assertThatThrownBy(() -> StoreComponent.validate(
                    StoreComponent.configOf(java.util.Map.of("historyRetentionHours", bad))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(StoreComponent.REFUSED + "historyRetentionHours must be in [0, 8784], was " + bad);
        }
        assertThat(Optional.of(StoreComponent.configOf(java.util.Map.of("historyRetentionHours", "12")))
                .map(StoreComponent.Config::historyRetentionHours)).contains(12L);
    }
}
