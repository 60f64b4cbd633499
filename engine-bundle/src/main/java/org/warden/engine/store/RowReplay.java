package org.warden.engine.store;

import java.util.List;

import org.warden.engine.state.Journal;

/**
 * Applies one journal row's entries to a target, deciding for each whether the target already holds it: the rule
 * restore and follower share (an auction, kept for the history only, is skipped). Changes when what a row or a
 * watermark means changes.
 */
final class RowReplay {

    private final EntryCodec codec;

    RowReplay(EntryCodec codec) {
        this.codec = codec;
    }

    /**
     * Where an entry is in the journal: its row and its index in the row, as one number that grows with both (a
     * record's watermark for the other nodes' entries; a row holds many entries of one worker).
     */
    static long position(long seq, int index) {
        return (seq << 16) | index;
    }

    /**
     * Applies one row's entries. {@code asNode}'s entries count as the target's own, filtered by ticket: those up to
     * {@code clearTicket} (its last clear before the checkpoint) are in the checkpoint or were wiped by that clear,
     * later ones are in a record if its ticket says so. The others' are filtered by row: a clear up to
     * {@code clearSeq} is in the checkpoint, other entries are in a record if its row watermark says so. With
     * {@code asNode} {@code null} every entry is another node's and no clear is held yet (following).
     */
    void apply(Journal.Target t, long seq, String node, byte[] payload, String asNode, long clearTicket,
            long clearSeq) {
        List<EntryCodec.Journaled> entries;
        try {
            entries = codec.decode(payload);
        } catch (RuntimeException e) {
            throw new IllegalStateException("journal row " + seq + " is unreadable (" + e.getMessage() + "); it is "
                    + "left as it is, and nothing after it is read until it is repaired", e);
        }
        boolean own = node.equals(asNode);
        for (int i = 0; i < entries.size(); i++) {
            EntryCodec.Journaled j = entries.get(i);
            if (j.entry().isAuction()) {
                continue; // kept for the history a what-if replays: it changes no record
            }
            if (own && j.ticket() <= clearTicket) {
                continue;
            }
            if (!j.entry().isClear() || own || asNode == null || seq > clearSeq) {
                t.applyJournaled(j.entry(), own, j.ticket(), position(seq, i));
            }
        }
    }
}
