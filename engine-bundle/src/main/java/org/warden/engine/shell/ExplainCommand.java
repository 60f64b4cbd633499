package org.warden.engine.shell;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.Col;
import org.apache.karaf.shell.support.table.ShellTable;
import org.warden.api.Bid;
import org.warden.api.Eligibility;
import org.warden.api.HealthService;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.ScoreComponent;
import org.warden.api.SelectionService;
import org.warden.engine.EngineInsight;

/**
 * Ranks bids as {@link SelectionService#rank} does, with each score's breakdown, and says why a bid was left out
 * (the bidder's eligibility, or unknown worker). A viewer's command: it records nothing. The distributor's
 * {@code rank} is also shown to the shadow policy, whose counters compare real auctions; the operator's made-up bids
 * must not move them, so the command ranks through the engine's {@link EngineInsight#explain}, which does not tell the
 * shadow.
 */
@Command(scope = "warden", name = "explain", description = "Ranks the given bids as the selection service would, with each score's breakdown; records nothing.")
@Service
public class ExplainCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "bids", description = "Bids as workerId:amount:estimateMs (amount: a whole number in [0, 2^128); estimate in milliseconds)", required = true, multiValued = true)
    @Completion(WorkerIdCompleter.class)
    List<String> specs;

    @Option(name = "--job", aliases = "-j", description = "The job the bids are for (for the policy and logs)")
    String jobId;

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON: {jobId, policy, ranked: [RankedBid], leftOut: [Eligibility]}")
    boolean json;

    @Reference
    private EngineInsight engine;

    @Reference
    private ReputationService reputation;

    @Reference
    private HealthService health;

    @Override
    protected Object doExecute() throws Exception {
        List<Bid> bids = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            bids.add(bid(i, specs.get(i)));
        }
        String policy = health.networkHealth().policyName();
        List<RankedBid> ranked = engine.explain(jobId, bids);
        Set<String> rankedWorkers = new HashSet<>();
        ranked.forEach(r -> rankedWorkers.add(r.bid().workerId()));
        List<Eligibility> leftOut = new ArrayList<>();
        for (Bid bid : bids) {
            if (!rankedWorkers.contains(bid.workerId())) {
                leftOut.add(reputation.eligibility(bid.workerId()));
            }
        }

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("jobId", jobId);
            out.put("policy", policy);
            out.put("ranked", ranked);
            out.put("leftOut", leftOut);
            printJson(out);
            return null;
        }
        if (!noFormat) {
            System.out.println((jobId == null ? "Bids" : "Bids for " + jobId) + " ranked by policy " + policy
                    + "; nothing recorded");
        }
        // the policy names the terms; the first ranked bid's are the columns (a policy gives every bid the same)
        List<ScoreComponent> terms = ranked.isEmpty() ? List.of() : ranked.get(0).breakdown().components();
        ShellTable table = new ShellTable();
        table.column("Rank").alignRight();
        table.column("Worker");
        table.column("Amount").alignRight();
        table.column("Estimate ms").alignRight();
        table.column("Score").alignRight();
        for (ScoreComponent term : terms) {
            Col col = table.column(term.name() + " (w " + score(term.weight()) + ")");
            col.alignRight();
        }
        for (RankedBid r : ranked) {
            List<Object> cells = new ArrayList<>(List.of(r.rank(), r.bid().workerId(), r.bid().amount(),
                    r.bid().estimatedCompletionMs(), score(r.score())));
            for (ScoreComponent term : terms) {
                double value = r.breakdown().component(term.name());
                cells.add(Double.isNaN(value) ? "-" : score(value));
            }
            table.addRow().addContent(cells);
        }
        table.print(System.out, !noFormat);
        for (Eligibility e : leftOut) {
            System.out.println(noFormat ? "left out\t" + e.workerId() + "\t" + e.reason()
                    : "Left out: " + e.workerId() + " (" + e.reason() + ")");
        }
        return null;
    }

    /** {@code worker:amount:estimateMs}; the worker id may itself hold colons (the last two fields are split off). */
    static Bid bid(int index, String spec) {
        String prefix = "bids[" + index + "]: ";
        int last = spec.lastIndexOf(':');
        int middle = last <= 0 ? -1 : spec.lastIndexOf(':', last - 1);
        if (middle <= 0) {
            throw new IllegalArgumentException(prefix + "expected worker:amount:estimateMs, was '" + spec + "'");
        }
        BigInteger amount;
        long estimate;
        try {
            amount = new BigInteger(spec.substring(middle + 1, last));
            estimate = Long.parseLong(spec.substring(last + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + "expected worker:amount:estimateMs, was '" + spec + "'");
        }
        try {
            return new Bid(spec.substring(0, middle), amount, estimate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }
}
