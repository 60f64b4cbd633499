package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.warden.api.Ban;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.snapshot.Snapshot;
import org.warden.api.snapshot.WorkerSnapshot;
import org.warden.engine.shell.SnapshotRoundTrip;
import org.warden.engine.state.Change;
import org.warden.engine.state.JournalEntry;

/**
 * Every id and reason Check accepts, with numbers at their edges and every ban state, comes back exactly (record
 * equality, so every string {@code equals} its original) from the three forms the engine keeps it in: a journal
 * row ({@link EntryCodec#encode}), a checkpoint record ({@link EntryCodec#encodeRecord}) and a
 * {@code warden:export} file ({@link SnapshotJson}, Jackson). In memory only: 1,000 records each (through JSON
 * five a file, as the shell's Jackson mapper per read and write is the costly part).
 */
class RoundTripPropertyTest {

    private static final Instant EXPORTED = Instant.parse("2226-01-01T00:00:00Z");
    private final EntryCodec codec = new EntryCodec();

    @Property(tries = 1_000)
    void aWorkerRecordComesBackExactlyFromACheckpoint(@ForAll("snapshots") WorkerSnapshot s) {
        assertThat(codec.decodeRecord(codec.encodeRecord(s))).isEqualTo(s);
    }

    /** Five workers a file: the shell makes a Jackson mapper per read and write, the costly part here. */
    @Property(tries = 200)
    void workerRecordsComeBackExactlyFromAnExportFile(@ForAll("exports") List<WorkerSnapshot> workers) {
        Snapshot export = new Snapshot(Snapshot.FORMAT, EXPORTED, workers);
        assertThat(SnapshotRoundTrip.through(export)).isEqualTo(export);
    }

    @Property(tries = 1_000)
    void everyChangeComesBackExactlyFromAJournalRow(@ForAll("snapshots") WorkerSnapshot s,
            @ForAll("ids") String other, @ForAll("reasons") String reason, @ForAll Random r) {
        String id = s.workerId();
        Instant at = Generated.instant(r);
        BigInteger earnings = Generated.amount(r);
        Ban ban = Generated.ban(other, reason, reason, r, false);
        List<JournalEntry> entries = new ArrayList<>(List.of(
                JournalEntry.of(new Change.Health(id, Generated.health(r), at)),
                JournalEntry.of(new Change.Outcome(other, r.nextBoolean(), Generated.count(r), earnings,
                        r.nextBoolean() ? null : r.nextDouble(), r.nextBoolean() ? null : Generated.count(r), at)),
                JournalEntry.of(new Change.PenaltyChange(new Penalty(id, PenaltyType.MALICIOUS_BEHAVIOR, r.nextDouble(),
                        reason, r.nextBoolean() ? null : other, Generated.instant(r)), r.nextBoolean())),
                JournalEntry.of(new Change.BanChange(ban)),
                JournalEntry.of(new Change.Unban(other, reason, Generated.instant(r))),
                JournalEntry.clear(),
                JournalEntry.of(new Change.Put(s, at))));
        List<EntryCodec.Journaled> row = new ArrayList<>();
        for (JournalEntry e : entries) {
            row.add(new EntryCodec.Journaled(r.nextLong(), e));
        }
        List<EntryCodec.Journaled> back = codec.decode(codec.encode(row));
        assertThat(back).isEqualTo(row);
        // the ids are the same strings, not just equal records by some looser rule
        assertThat(back.get(3).entry().workerId()).isEqualTo(other);
        assertThat(back.get(0).entry().workerId()).isEqualTo(id);
    }

    @Provide
    Arbitrary<WorkerSnapshot> snapshots() {
        return Generated.snapshots();
    }

    @Provide
    Arbitrary<List<WorkerSnapshot>> exports() {
        return Generated.snapshots().list().ofSize(5).uniqueElements(WorkerSnapshot::workerId);
    }

    @Provide
    Arbitrary<String> ids() {
        return Generated.ids();
    }

    @Provide
    Arbitrary<String> reasons() {
        return Generated.reasons();
    }
}
