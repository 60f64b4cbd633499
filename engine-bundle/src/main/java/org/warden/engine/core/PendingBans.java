package org.warden.engine.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.warden.api.PendingBan;

/**
 * Automatic bans held back by the {@link BanBudget}, waiting for an operator: at most one per worker, the newest.
 * Changes only when the rules of holding a ban back change.
 */
final class PendingBans {

    private final ConcurrentHashMap<String, PendingBan> pending = new ConcurrentHashMap<>();

    /** Holds {@code held} back (replacing an older one of its worker); {@code true} if the worker had none yet. */
    boolean hold(PendingBan held) {
        return pending.put(held.workerId(), held) == null;
    }

    /** Puts back a pending ban that could not be imposed, unless a newer one came meanwhile. */
    void restore(PendingBan pb) {
        pending.putIfAbsent(pb.workerId(), pb);
    }

    /** Takes the worker's pending ban away; {@code null} if it has none. */
    PendingBan remove(String workerId) {
        return pending.remove(workerId);
    }

    long count() {
        return pending.size();
    }

    /** Oldest first. */
    List<PendingBan> list() {
        List<PendingBan> list = new ArrayList<>(pending.values());
        list.sort(Comparator.comparing(PendingBan::proposedAt).thenComparing(PendingBan::workerId));
        return list;
    }
}
