package org.warden.simulator;

import java.util.List;

/**
 * One policy's figures on one scenario. "Good" jobs are completed with a valid result; adversarial identities are
 * those whose behaviour is malicious, on-off, whitewasher, health-spoofer or cheap-bidder.
 *
 * @param policy                  the policy or baseline
 * @param jobs                    jobs distributed
 * @param successRate             good jobs / jobs (a job no eligible worker bid for counts as failed)
 * @param shareOfOracle           successRate / the oracle's successRate on the same scenario
 * @param unassigned              jobs without an eligible bid
 * @param lostToAdversaries       jobs given to adversarial identities that did not end well
 * @param badJobsBeforeBanMedian  median over adversarial identities of their bad jobs before their first ban
 *                                (never banned: all their bad jobs)
 * @param badJobsBeforeBanMax     the maximum of the same
 * @param adversariesBanned       adversarial identities ever banned
 * @param adversaryIdentities     adversarial identities (whitewashers' new ids included)
 * @param adversariesExcluded     adversarial identities not eligible at the end of the run (banned, or reputation
 *                                below the policy's threshold); 0 for the baselines, which exclude no one
 * @param honestBannedShare       honest, flaky and slow workers ever banned / all of them
 * @param honestNewcomerShare     share of all jobs given to honest identities that joined after the start
 * @param successPerThousand      success rate of each block of 1,000 jobs (the last block may be shorter)
 * @param seconds                 wall-clock time of the run
 */
public record PolicyResult(String policy, int jobs, double successRate, double shareOfOracle, long unassigned,
        long lostToAdversaries, double badJobsBeforeBanMedian, long badJobsBeforeBanMax, long adversariesBanned,
        long adversaryIdentities, long adversariesExcluded, double honestBannedShare, double honestNewcomerShare,
        List<Double> successPerThousand, double seconds) {

    PolicyResult withShareOfOracle(double oracleRate) {
        return new PolicyResult(policy, jobs, successRate, oracleRate > 0 ? successRate / oracleRate : Double.NaN,
                unassigned, lostToAdversaries, badJobsBeforeBanMedian, badJobsBeforeBanMax, adversariesBanned,
                adversaryIdentities, adversariesExcluded, honestBannedShare, honestNewcomerShare, successPerThousand, seconds);
    }
}
