package org.warden.engine.shell;

import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.warden.api.Penalty;
import org.warden.api.PenaltyService;
import org.warden.api.PenaltyType;

@Command(scope = "warden", name = "penalize", description = "Applies a penalty to a worker (as the distributor would).")
@Service
public class PenalizeCommand extends WardenCommandSupport {

    @Argument(index = 0, name = "id", description = "The worker id", required = true)
    @Completion(WorkerIdCompleter.class)
    String id;

    @Argument(index = 1, name = "type", description = "The penalty type (job_timeout, job_failure, ...; any case)", required = true)
    @Completion(PenaltyTypeCompleter.class)
    String type;

    @Argument(index = 2, name = "severity", description = "The severity, in [0, 1]", required = true)
    String severity;

    @Argument(index = 3, name = "reason", description = "Why (several words allowed)", required = true, multiValued = true)
    List<String> reason;

    @Option(name = "--job", aliases = "-j", description = "The job the penalty is about")
    String jobId;

    @Reference
    private PenaltyService penalties;

    @Override
    protected Object doExecute() {
        PenaltyType penaltyType = penaltyType(type);
        double value;
        try {
            value = Double.parseDouble(severity);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("severity must be a number in [0, 1], was " + severity);
        }
        Penalty p = penalties.applyPenalty(id, penaltyType, value, words(reason), jobId);
        System.out.println("Penalized " + p.workerId() + ": " + p.type().name().toLowerCase(Locale.ROOT)
                + ", severity " + score(p.severity()) + (p.jobId() == null ? "" : ", job " + p.jobId()));
        return null;
    }
}
