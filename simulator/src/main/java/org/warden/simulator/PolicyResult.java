package org.warden.simulator;

import java.util.List;

/**
 * One policy's figures on one scenario and one seed. "Good" jobs are completed with a valid result; adversarial
 * identities are those whose behaviour is malicious, on-off, whitewasher, health-spoofer or cheap-bidder; honest
 * ones are honest, flaky and slow (a group failure's workers included: they are honest machines failing together).
 *
 * @param policy                  the policy or baseline
 * @param seed                    the seed of this run
 * @param jobs                    jobs distributed
 * @param successRate             good jobs / jobs (a job no eligible worker bid for counts as failed)
 * @param gapClosed               (successRate − random's) / (oracle's − random's) on the same scenario and seed;
 *                                NaN until {@link #withYardstick} and when the oracle does no better than random
 * @param shareOfOracle           successRate / the oracle's successRate on the same scenario and seed
 * @param successFirstHalf        success rate of jobs [0, jobs/2)
 * @param successLast10           success rate of the last 10 % of the jobs
 * @param successInEvents         per event of the scenario (in file order): success rate of the jobs from its atJob
 *                                to its end (or the end of the run); NaN if the window is outside the run
 * @param unassigned              jobs without an eligible bid
 * @param unassignedWithHonestBidder jobs left unassigned although an honest worker that was up (not in an outage)
 *                                bid for them
 * @param lostToAdversaries       jobs given to adversarial identities that did not end well
 * @param lostShare               lostToAdversaries / jobs
 * @param badJobsBeforeBanMedian  median over adversarial identities of their bad jobs before their first ban
 *                                (never banned: all their bad jobs)
 * @param badJobsBeforeBanMax     the maximum of the same
 * @param adversariesBanned       adversarial identities ever banned
 * @param adversaryIdentities     adversarial identities (whitewashers' new ids included)
 * @param adversariesExcluded     adversarial identities not eligible at the end of the run (banned, or reputation
 *                                below the policy's threshold); 0 for the baselines, which exclude no one
 * @param identitiesBanned        identities ever banned, adversarial or not
 * @param banPrecision            adversariesBanned / identitiesBanned; NaN when nobody was banned
 * @param honestBannedShare       honest, flaky and slow workers ever banned / all of them
 * @param honestNewcomerShare     share of all jobs given to honest identities that joined after the start
 * @param successPerThousand      success rate of each block of 1,000 jobs (the last block may be shorter)
 * @param seconds                 wall-clock time of the run
 */
public record PolicyResult(String policy, long seed, int jobs, double successRate, double gapClosed,
        double shareOfOracle, double successFirstHalf, double successLast10, List<Double> successInEvents,
        long unassigned, long unassignedWithHonestBidder, long lostToAdversaries, double lostShare,
        double badJobsBeforeBanMedian, long badJobsBeforeBanMax, long adversariesBanned, long adversaryIdentities,
        long adversariesExcluded, long identitiesBanned, double banPrecision, double honestBannedShare,
        double honestNewcomerShare, List<Double> successPerThousand, double seconds) {

    public PolicyResult {
        successInEvents = List.copyOf(successInEvents);
        successPerThousand = List.copyOf(successPerThousand);
    }

    /** The gap closed: (success − random) / (oracle − random); NaN when the oracle does no better than random. */
    public static double gapClosed(double success, double random, double oracle) {
        return oracle > random ? (success - random) / (oracle - random) : Double.NaN;
    }

    /** These figures placed between random choice's and the oracle's success on the same scenario and seed. */
    PolicyResult withYardstick(double randomRate, double oracleRate) {
        return new PolicyResult(policy, seed, jobs, successRate, gapClosed(successRate, randomRate, oracleRate),
                oracleRate > 0 ? successRate / oracleRate : Double.NaN, successFirstHalf, successLast10,
                successInEvents, unassigned, unassignedWithHonestBidder, lostToAdversaries, lostShare,
                badJobsBeforeBanMedian, badJobsBeforeBanMax, adversariesBanned, adversaryIdentities,
                adversariesExcluded, identitiesBanned, banPrecision, honestBannedShare, honestNewcomerShare,
                successPerThousand, seconds);
    }
}
