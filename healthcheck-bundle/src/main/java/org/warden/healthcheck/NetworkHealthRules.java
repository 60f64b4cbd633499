package org.warden.healthcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.felix.hc.api.Result;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.NetworkHealth;
import org.warden.api.StoreHealth;

/**
 * The status rules, as a pure function of one {@link NetworkHealth}, the {@link Thresholds} and the policy
 * faults counted since the previous check. Every rule that applies gives one line with its figures; the
 * result's status is the worst line's.
 *
 * <ul>
 * <li><b>CRITICAL</b>: the durable store is unavailable (Warden serves from memory, queues what it records and
 * refuses bans and penalties until the database is back); with active workers, the health score is below
 * {@code criticalScore} or the healthy share of the active workers is below {@code criticalHealthyShare}; or
 * the banned share of the known workers is above {@code criticalBannedShare}. The network cannot be trusted
 * with jobs.</li>
 * <li><b>WARN</b>: with active workers, the health score is below {@code warnScore}; the banned share is
 * above {@code warnBannedShare}; no worker is active; the engine's fallback judges (no policy bound: the
 * engine still answers, but with no automatic bans); automatic bans wait for an operator because the engine's
 * ban budget is spent; the policy faulted since the previous check; more than {@code storeBacklogWarn} records
 * wait to be committed to the (available) durable store; a configuration Warden refused is still on file (other
 * settings apply until it is fixed). The engine answers, an operator should look.</li>
 * <li><b>OK</b> otherwise.</li>
 * </ul>
 *
 * With no active worker the score and the healthy share say nothing (the score is then made of past jobs
 * and reputations only), so they are not judged: the network is WARN for having no active worker, or
 * CRITICAL if too many of its workers are banned.
 */
public final class NetworkHealthRules {

    /** One line of the result: its status and the reason, with the figures. */
    public record Finding(Result.Status status, String message) {
    }

    private NetworkHealthRules() {
    }

    /**
     * @param network   the network health to judge
     * @param limits    the thresholds
     * @param newFaults policy faults counted since the previous check (0 on a first check with none)
     * @return two summary lines first: the network's figures (OK), then the durable store's, which is OK when
     *         the store is available (its backend, node, backlog and last commit; or that the record is in memory
     *         only) and CRITICAL when it is not (with the problem); then one line per rule that applies, CRITICAL
     *         ones before WARN ones; or one OK line saying why all is well
     */
    public static List<Finding> evaluate(NetworkHealth network, Thresholds limits, long newFaults) {
        return evaluate(network, limits, newFaults, List.of());
    }

    /**
     * As {@link #evaluate(NetworkHealth, Thresholds, long)}, with one WARN line per configuration Warden refuses
     * while it is on file.
     *
     * @param refusals the refusals in force (see {@link org.warden.api.ConfigurationStatus}); empty when none
     */
    public static List<Finding> evaluate(NetworkHealth network, Thresholds limits, long newFaults,
            List<ConfigurationRefusal> refusals) {
        List<Finding> critical = new ArrayList<>();
        List<Finding> warn = new ArrayList<>();
        StoreHealth store = network.store();
        Finding storeState = null;
        if (!store.available()) {
            // First of the CRITICAL lines, so always the second line of the result.
            critical.add(new Finding(Result.Status.CRITICAL, "durable store " + store.backend() + " unavailable: "
                    + (store.problem() == null ? "no reason given" : store.problem()) + "; " + store.backlog()
                    + " records wait to be written (serving from memory, retrying; bans and penalties are refused "
                    + "until it is back; last commit " + lastCommit(store) + ")"));
        } else if (isMemory(store)) {
            storeState = new Finding(Result.Status.OK, "no durable store (backend memory): the record (worker "
                    + "statistics, penalties, bans) is in memory only and lost on restart; see the configuration "
                    + "org.warden.store");
        } else {
            storeState = new Finding(Result.Status.OK, "durable store " + store.backend() + " available ("
                    + (store.nodeId() == null ? "no node id" : "node " + store.nodeId()) + "): " + store.backlog()
                    + " records wait to be written, last commit " + lastCommit(store));
            if (store.backlog() > limits.storeBacklogWarn()) {
                warn.add(new Finding(Result.Status.WARN, "durable store " + store.backend() + ": " + store.backlog()
                        + " records wait to be written, above the warning threshold " + limits.storeBacklogWarn()
                        + " (storeBacklogWarn); the writer falls behind (last commit " + lastCommit(store) + ")"));
            }
        }

        long total = network.totalWorkers();
        long active = network.activeWorkers();
        long healthy = network.healthyWorkers();
        long banned = network.bannedWorkers();
        double score = network.healthScore();
        double healthyShare = active == 0 ? 0 : (double) healthy / active;
        double bannedShare = total == 0 ? 0 : (double) banned / total;

        if (active > 0) {
            if (score < limits.criticalScore()) {
                critical.add(new Finding(Result.Status.CRITICAL, "network health score " + score(score)
                        + " is below the critical threshold " + limits.criticalScore() + " (criticalScore)"
                        + scoreTerms(network, healthyShare)));
            } else if (score < limits.warnScore()) {
                warn.add(new Finding(Result.Status.WARN, "network health score " + score(score)
                        + " is below the warning threshold " + limits.warnScore() + " (warnScore)"
                        + scoreTerms(network, healthyShare)));
            }
            if (healthyShare < limits.criticalHealthyShare()) {
                critical.add(new Finding(Result.Status.CRITICAL, "only " + healthy + " of " + active
                        + " active workers are healthy (" + percent(healthyShare) + "), below the critical share "
                        + percent(limits.criticalHealthyShare()) + " (criticalHealthyShare)"));
            }
        } else {
            warn.add(new Finding(Result.Status.WARN, total == 0
                    ? "no active workers: no worker is known yet"
                    : "no active workers: none of the " + total
                            + " known workers reported health within the activity window"));
        }

        if (bannedShare > limits.criticalBannedShare()) {
            critical.add(new Finding(Result.Status.CRITICAL, banned + " of " + total + " known workers are banned ("
                    + percent(bannedShare) + "), above the critical share " + percent(limits.criticalBannedShare())
                    + " (criticalBannedShare)"));
        } else if (bannedShare > limits.warnBannedShare()) {
            warn.add(new Finding(Result.Status.WARN, banned + " of " + total + " known workers are banned ("
                    + percent(bannedShare) + "), above the warning share " + percent(limits.warnBannedShare())
                    + " (warnBannedShare)"));
        }

        if (network.fallbackActive()) {
            warn.add(new Finding(Result.Status.WARN, "no policy is in force: the engine's built-in fallback judges "
                    + "the workers (policy '" + network.policyName() + "', no automatic bans); start or install a "
                    + "policy bundle"));
        }
        if (network.pendingBans() > 0) {
            warn.add(new Finding(Result.Status.WARN, network.pendingBans() + " automatic ban(s) wait for an operator "
                    + "(ban budget spent): see warden:pending, then warden:pending-confirm or warden:pending-dismiss"));
        }
        if (newFaults > 0) {
            warn.add(new Finding(Result.Status.WARN, "the policy failed " + newFaults + " time(s) since the last check ("
                    + network.policyFaults() + " since the engine started): the fallback answered those calls; "
                    + "see the engine's log"));
        }
        for (ConfigurationRefusal refused : refusals) {
            warn.add(new Finding(Result.Status.WARN, "configuration " + refused.pid() + " refused since "
                    + refused.since() + ": " + refused.reason() + "; " + refused.inForce() + " apply until the value "
                    + "is fixed in etc/" + refused.pid() + ".cfg"));
        }

        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding(Result.Status.OK, summary(network)));
        if (storeState != null) {
            findings.add(storeState);
        }
        findings.addAll(critical);
        findings.addAll(warn);
        if (critical.isEmpty() && warn.isEmpty()) {
            findings.add(new Finding(Result.Status.OK, "network OK: health score " + score(score) + " >= "
                    + limits.warnScore() + ", " + healthy + " of " + active + " active workers healthy ("
                    + percent(healthyShare) + ") >= " + percent(limits.criticalHealthyShare()) + ", " + banned
                    + " of " + total + " known workers banned (" + percent(bannedShare) + ") <= "
                    + percent(limits.warnBannedShare()) + ", policy '" + network.policyName() + "' in force"));
        }
        return findings;
    }

    private static String summary(NetworkHealth n) {
        return n.totalWorkers() + " workers known, " + n.activeWorkers() + " active, " + n.healthyWorkers()
                + " healthy, " + n.bannedWorkers() + " banned; health score " + score(n.healthScore())
                + ", success rate " + score(n.successRate()) + ", average reputation " + score(n.averageReputation())
                + "; policy '" + n.policyName() + "'" + (n.fallbackActive() ? " (fallback)" : "")
                + ", " + n.policyFaults() + " policy faults; computed at " + n.computedAt();
    }

    private static boolean isMemory(StoreHealth store) {
        return "memory".equals(store.backend());
    }

    private static String lastCommit(StoreHealth store) {
        return store.lastCommitAt() == null ? "none yet" : "at " + store.lastCommitAt();
    }

    private static String scoreTerms(NetworkHealth n, double healthyShare) {
        return " (0.4 x healthy share " + score(healthyShare) + " + 0.3 x success rate " + score(n.successRate())
                + " + 0.3 x average reputation " + score(n.averageReputation()) + ")";
    }

    static String score(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
