package org.warden.engine.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.warden.api.Ban;

/**
 * A worker's bans and malicious reports: the bookkeeping the operator and the auto-ban rule act on, apart from the
 * statistics a policy scores, so that the rules of a ban's life (replaced, lifted, run out, the bounded history)
 * change in one place. Most workers never have one: a {@link WorkerRecord} creates it on the first report or ban.
 * Like the record it belongs to, it is only changed on a private copy ({@link #copy()}).
 */
final class BanLedger {

    int maliciousReports;
    int banCount;
    Ban currentBan;
    /** Past bans, newest first, bounded. */
    List<Ban> pastBans = List.of();

    BanLedger copy() {
        BanLedger c = new BanLedger();
        c.maliciousReports = maliciousReports;
        c.banCount = banCount;
        c.currentBan = currentBan;
        c.pastBans = pastBans;
        return c;
    }

    /** See {@link WorkerRecord#recordMalicious()}: refused at the maximum, so the count never wraps. */
    void recordMalicious(String workerId) {
        if (maliciousReports >= WorkerRecord.MAX_MALICIOUS_REPORTS) {
            throw new IllegalStateException("worker '" + workerId + "' already has " + maliciousReports
                    + " malicious reports, the most Warden counts (" + WorkerRecord.MAX_MALICIOUS_REPORTS
                    + "); report refused");
        }
        maliciousReports++;
    }

    void start(Ban ban, int historySize) {
        endExpired(ban.bannedAt(), historySize);
        if (currentBan != null) {
            // a new ban replaces the one in force, which goes to the history as lifted
            pastBans = prepend(pastBans, currentBan.lift(ban.bannedAt(), "replaced by a new ban"), historySize);
        }
        currentBan = ban;
        banCount++;
    }

    void lift(Instant now, String reason, int historySize) {
        pastBans = prepend(pastBans, currentBan.lift(now, reason), historySize);
        currentBan = null;
    }

    /** See {@link WorkerRecord#endExpiredBan(Instant, int)}. */
    void endExpired(Instant now, int historySize) {
        if (currentBan != null && currentBan.until() != null && !now.isBefore(currentBan.until())) {
            pastBans = prepend(pastBans, currentBan, historySize);
            currentBan = null;
        }
    }

    /** Every ban, newest first: the one in force (or ended by time) first, then the past ones. */
    List<Ban> all() {
        if (currentBan == null) {
            return pastBans;
        }
        List<Ban> all = new ArrayList<>(pastBans.size() + 1);
        all.add(currentBan);
        all.addAll(pastBans);
        return List.copyOf(all);
    }

    private static <T> List<T> prepend(List<T> list, T item, int max) {
        List<T> out = new ArrayList<>(Math.min(list.size() + 1, max));
        out.add(item);
        for (int i = 0; i < list.size() && out.size() < max; i++) {
            out.add(list.get(i));
        }
        return List.copyOf(out);
    }
}
